"""The baselines for `make bench` (grades): what a data-savvy instructor's script would do.

Reads the grade report and the mirror export, joins on username, converts the grade to a
percentage, writes the Canvas upload and the unmatched rows — with pandas or with polars.

Two modes, never mixed, so one measurement does not distort the other:
  serve   runs the work once per line read on stdin and answers each with one JSON line of its
          wall-clock time (no tracing of any kind is active), so the caller can interleave these
          runs with its own and take the same statistic of both: each round is then measured
          under the same conditions (a busy neighbour slows every side), which a shared machine
          needs.
  memory  runs the work once and prints the growth of the process's peak resident memory
          during the work (Linux: VmHWM after, less VmRSS before, with the peak reset through
          /proc/self/clear_refs) — the same measure the Rust side takes of itself. For pandas it
          also prints tracemalloc's peak, in a second run of its own.
Python's start-up and the library import are never timed.

usage: grades_baseline.py ENGINE MODE REPORT MIRROR OUT ERRORS
"""
import json
import sys
import time

engine, mode, report, mirror, out, errors = sys.argv[1:7]

if engine == "pandas":
    import pandas as pd

    def work():
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
        return len(canvas)

elif engine == "polars":
    import polars as pl

    def work():
        grades = pl.read_csv(report, infer_schema=False)
        links = pl.read_csv(mirror, infer_schema=False)
        enrolled = grades.filter(pl.col("Enrollment Status") != "unenrolled")
        matched = enrolled.join(links, left_on="Username", right_on="username", how="inner", maintain_order="left")
        # Percent with two decimals, as text: rounded hundredths, then "int.frac".
        cents = (pl.col("Grade").cast(pl.Float64, strict=False) * 10000).round(0).cast(pl.Int64)
        final = (
            (cents // 100).cast(pl.Utf8) + "." + (cents % 100).cast(pl.Utf8).str.zfill(2)
        )
        none = pl.lit(None, dtype=pl.Utf8)
        canvas = matched.select(
            pl.col("Username").alias("Student"),
            none.alias("ID"),
            pl.col("remote_id").alias("SIS User ID"),
            none.alias("SIS Login ID"),
            none.alias("Section"),
            final.alias("Final grade"),
        )
        canvas.write_csv(out)
        unmatched = enrolled.join(links, left_on="Username", right_on="username", how="anti", maintain_order="left")
        unmatched.select(
            pl.col("Student ID"), pl.col("Username"), pl.lit("Not linked").alias("Error")
        ).write_csv(errors)
        return canvas.height

else:
    sys.exit(f"unknown engine {engine}")


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


if mode == "serve":
    for _ in sys.stdin:
        started = time.perf_counter()
        rows = work()
        print(json.dumps({"seconds": time.perf_counter() - started, "rows_written": rows}), flush=True)
elif mode == "memory":
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak resident size (VmHWM) to the current one
    before = status_kb("VmRSS")
    rows = work()
    result = {"rss_growth_bytes": (status_kb("VmHWM") - before) * 1024, "rows_written": rows}
    if engine == "pandas":
        import tracemalloc

        tracemalloc.start()
        work()
        result["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
    print(json.dumps(result))
else:
    sys.exit(f"unknown mode {mode}")
