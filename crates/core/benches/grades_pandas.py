"""The pandas baseline for `make bench` (grades): what an instructor's script would do.

Reads the grade report and the mirror export, merges on username, converts the grade to a
percentage, writes the Canvas upload and the unmatched rows. Times only the work (not Python's
start-up or `import pandas`) and reports tracemalloc's peak and the process's peak RSS.

usage: grades_pandas.py REPORT MIRROR OUT ERRORS
"""
import json
import resource
import sys
import time
import tracemalloc

import pandas as pd

report, mirror, out, errors = sys.argv[1:5]
tracemalloc.start()
started = time.perf_counter()
grades = pd.read_csv(report, dtype=str, keep_default_na=False)
links = pd.read_csv(mirror, dtype=str, keep_default_na=False)
merged = grades.merge(links, how="left", left_on="Username", right_on="username", indicator=True)
enrolled = merged[merged["Enrollment Status"] != "unenrolled"]
matched = enrolled[enrolled["_merge"] == "both"].copy()
grade = pd.to_numeric(matched["Grade"], errors="coerce")
matched["Final grade"] = (grade * 100).round(2).map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
canvas = pd.DataFrame(
    {
        "Student": matched["Username"],
        "ID": "",
        "SIS User ID": matched["remote_id"],
        "SIS Login ID": "",
        "Section": "",
        "Final grade": matched["Final grade"],
    }
)
canvas.to_csv(out, index=False)
unmatched = enrolled[enrolled["_merge"] == "left_only"]
pd.DataFrame(
    {"Student ID": unmatched["Student ID"], "Username": unmatched["Username"], "Error": "Not linked"}
).to_csv(errors, index=False)
elapsed = time.perf_counter() - started
_, peak = tracemalloc.get_traced_memory()
print(
    json.dumps(
        {
            "seconds": elapsed,
            "rows_written": int(len(canvas)),
            "tracemalloc_peak_bytes": peak,
            "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }
    )
)
