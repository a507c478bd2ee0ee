//! `crosswalk grades reconcile` against the sandbox: an Open edX course grade report in, a Canvas
//! upload and an error file out, checked row by row against the sandbox's own links. The secret
//! comes from an environment variable (`--secret-env`), so no keyring is needed.

use std::path::Path;
use std::process::{Command, Output};

use crosswalk_sandbox::{Mapping, Sandbox, SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};

const SECRET_ENV: &str = "CW_GRADES_TEST_SECRET";
const PROVIDER: &str = "saml-demo-univ";

/// The course grade report's header, in the order Open edX writes it.
const HEADER: &str = "Student ID,Email,Username,Grade,Homework 1: Intro,Homework (Avg),Enrollment Track,Verification Status,Certificate Eligible,Certificate Delivered,Certificate Type,Enrollment Status";

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_crosswalk"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env(SECRET_ENV, STAFF_CLIENT_SECRET)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(out.status.success(), "crosswalk {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "crosswalk {args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
        err
    }
}

/// A report with three linked learners (one not attempted), a stranger, an unenrolled learner and
/// a last line whose quote is never closed.
fn report(m: &[Mapping]) -> String {
    let tail = "audit,N/A,N,N,N/A";
    let mut t = format!("{HEADER}\n");
    t.push_str(&format!("11,{0}@example.com,{0},0.856,0.9,0.9,{tail},enrolled\n", m[0].username));
    t.push_str(&format!("12,{0}@example.com,{0},Not Attempted,Not Attempted,0,{tail},enrolled\n", m[1].username));
    t.push_str(&format!("13,{0}@example.com,{0},1,1,1,{tail},enrolled\n", m[2].username));
    t.push_str(&format!("14,ghost@example.com,ghost.learner.zz,0.5,0.5,0.5,{tail},enrolled\n"));
    t.push_str(&format!("15,{0}@example.com,{0},0.7,0.7,0.7,{tail},unenrolled\n", m[3].username));
    t.push_str(&format!("16,\"broken@example.com,broken.user,0.4,0.4,0.4,{tail},enrolled\n"));
    t
}

fn csv_rows(path: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(path).unwrap();
    r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect()
}

async fn setup() -> (crosswalk_sandbox::SandboxHandle, Cli, Vec<Mapping>) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    let lms = sandbox.openedx_url();
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "LMS",
        "--base-url",
        &lms,
        "--client-id",
        STAFF_CLIENT_ID,
        "--provider",
        PROVIDER,
        "--secret-env",
        SECRET_ENV,
    ]);
    let m = sandbox.mappings(PROVIDER);
    (sandbox, cli, m)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_course_grade_report_becomes_a_canvas_upload_and_an_error_file() {
    let (_sandbox, cli, m) = setup().await;
    let input = cli.path("grade_report.csv");
    std::fs::write(&input, report(&m)).unwrap();
    let before = std::fs::read(&input).unwrap();
    let (out_path, errors_path) = (cli.path("upload.csv"), cli.path("upload.errors.csv"));

    let out = cli.ok(&[
        "grades",
        "reconcile",
        "--profile",
        "LMS",
        "--provider",
        PROVIDER,
        "--in",
        &input,
        "--template",
        "canvas",
        "--item-name",
        "Final grade",
        "--out",
        &out_path,
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("3 matched, 1 not linked, 0 ambiguous, 1 unenrolled, 1 problems"), "{text}");
    assert!(text.contains(&format!("Wrote 3 rows to {out_path}")), "{text}");
    assert!(text.contains(&format!("2 rows could not be exported: they are in {errors_path}")), "{text}");
    assert!(text.contains("line 7:"), "the broken line is named: {text}");
    let progress = String::from_utf8(out.stderr).unwrap();
    assert!(progress.contains("Reading grade_report.csv"), "progress goes to stderr: {progress}");

    // The upload, row by row, against the sandbox's links.
    let rows = csv_rows(&out_path);
    assert_eq!(rows[0], ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Final grade"]);
    let expect = |i: usize, grade: &str| {
        vec![m[i].username.clone(), String::new(), m[i].remote_id.clone(), String::new(), String::new(), grade.into()]
    };
    assert_eq!(rows[1..], [expect(0, "85.60"), expect(1, ""), expect(2, "100.00")], "matched rows only, unenrolled left out");

    // The error file: Open edX's shape, the stranger and the broken line by number.
    let errors = csv_rows(&errors_path);
    assert_eq!(errors[0], ["Student ID", "Username", "Error"]);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[1][..2], ["14", "ghost.learner.zz"]);
    assert!(errors[1][2].contains("Not linked to saml-demo-univ"), "{errors:?}");
    assert!(errors[2][2].starts_with("Line 7 "), "{errors:?}");

    assert_eq!(std::fs::read(&input).unwrap(), before, "the report is never changed");

    // --json: one document with the reconciliation and the export; XLSX from the extension.
    let xlsx = cli.path("upload.xlsx");
    let out = cli.ok(&[
        "--json",
        "grades",
        "reconcile",
        "--profile",
        "LMS",
        "--provider",
        PROVIDER,
        "--in",
        &input,
        "--out",
        &xlsx,
        "--errors",
        &cli.path("problems.csv"),
        "--pass-mark",
        "60",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("--json prints one JSON document");
    let r = &doc["reconciliation"];
    assert_eq!(r["counts"]["rows"], 6);
    assert_eq!(r["counts"]["matched"], 3);
    assert_eq!(r["counts"]["not_linked"], 1);
    assert_eq!(r["counts"]["unenrolled"], 1);
    assert_eq!(r["counts"]["problems"], 1);
    assert_eq!(r["problems"][0]["line"], 7);
    assert_eq!(r["file"]["kind"], "course_grades");
    assert_eq!(r["live_looked_up"], 5, "nothing was mirrored: every username was looked up live");
    assert_eq!(r["cancelled"], false);
    let e = &doc["export"];
    assert_eq!(e["out_path"], xlsx.as_str());
    assert_eq!(e["errors_path"], cli.path("problems.csv").as_str());
    assert_eq!((e["rows_written"].as_u64(), e["errors_written"].as_u64(), e["skipped"].as_u64()), (Some(3), Some(2), Some(1)));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an XLSX (zip) file");

    assert_eq!(std::fs::read(&input).unwrap(), before, "the report is never changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_live_lookups_an_unsynced_mirror_matches_nothing_and_says_what_to_do() {
    let (_sandbox, cli, m) = setup().await;
    let input = cli.path("report.csv");
    std::fs::write(&input, report(&m)).unwrap();
    let out = cli.ok(&[
        "grades",
        "reconcile",
        "--profile",
        "LMS",
        "--provider",
        PROVIDER,
        "--in",
        &input,
        "--out",
        &cli.path("generic.csv"),
        "--no-live",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0 matched, 4 not linked"), "{text}");
    assert!(text.contains("crosswalk learners sync"), "{text}");
    assert_eq!(csv_rows(&cli.path("generic.csv")), [["remote_id", "username", "grade"]]);
    assert_eq!(csv_rows(&cli.path("generic.errors.csv")).len(), 6, "header + 4 not linked + the broken line");

    // After a sync the mirror alone is enough.
    cli.ok(&["learners", "sync", "--profile", "LMS", "--provider", PROVIDER]);
    let out = cli.ok(&[
        "--json",
        "grades",
        "reconcile",
        "--profile",
        "LMS",
        "--provider",
        PROVIDER,
        "--in",
        &input,
        "--out",
        &cli.path("generic.csv"),
        "--no-live",
        "--scale",
        "points",
        "--points-max",
        "20",
        "--decimals",
        "1",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["reconciliation"]["counts"]["matched"], 3);
    assert_eq!(doc["reconciliation"]["live_looked_up"], 0);
    let rows = csv_rows(&cli.path("generic.csv"));
    assert_eq!(rows[1], [m[0].remote_id.as_str(), m[0].username.as_str(), "17.1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_files_name_their_columns_and_mistakes_fail_with_one_line() {
    let (_sandbox, cli, m) = setup().await;
    let custom = cli.path("custom.csv");
    std::fs::write(&custom, format!("Learner;Score\n{};0.5\n", m[0].username)).unwrap();
    let out_path = cli.path("out.csv");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = ["grades", "reconcile", "--profile", "LMS", "--provider", PROVIDER, "--in", &custom, "--out", &out_path]
            .map(String::from)
            .to_vec();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        cli.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let err = one_line(&run(&[]));
    assert!(err.contains("--username-column") && err.contains("Learner, Score"), "{err}");
    let err = one_line(&run(&["--username-column", "Nobody"]));
    assert!(err.contains("no column named \"Nobody\""), "{err}");
    let out = run(&["--username-column", "learner", "--grade-column", "Score"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(csv_rows(&out_path)[1], [m[0].remote_id.as_str(), m[0].username.as_str(), "50.00"]);

    let err = one_line(&run(&["--username-column", "Learner", "--scale", "points"]));
    assert!(err.contains("--points-max"), "{err}");
    let err = one_line(&run(&["--username-column", "Learner", "--format", "csv", "--errors", &custom]));
    assert!(err.contains("grade report"), "{err}");

    let err = cli.fails(&["grades", "reconcile", "--profile", "LMS", "--provider", PROVIDER, "--in", &custom, "--out", &custom]);
    assert!(err.contains("--out is the grade report itself"), "{err}");
    let missing = cli.path("missing.csv");
    let err = cli.fails(&["grades", "reconcile", "--profile", "LMS", "--provider", PROVIDER, "--in", &missing, "--out", &out_path]);
    assert!(err.contains("Could not open") && err.contains("missing.csv"), "{err}");
    let err = cli.fails(&["grades", "reconcile", "--profile", "Nope", "--provider", PROVIDER, "--in", &custom, "--out", &out_path]);
    assert!(err.contains("no connection named \"Nope\""), "{err}");
    assert!(!Path::new(&cli.path("custom.errors.csv")).exists());
    assert_eq!(std::fs::read_to_string(&custom).unwrap(), format!("Learner;Score\n{};0.5\n", m[0].username), "never changed");
}

fn one_line(out: &Output) -> String {
    assert!(!out.status.success(), "should fail: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    err
}

/// When the live lookup fails, rows the mirror does not know are "not checked", never "not
/// linked": the files are written, the summary says so, and the exit code is 2 (partial).
#[tokio::test(flavor = "multi_thread")]
async fn rows_the_live_lookup_could_not_check_are_not_called_not_linked() {
    let (sandbox, cli, m) = setup().await;
    sandbox.set_knobs(crosswalk_sandbox::Knobs {
        faults: vec![crosswalk_sandbox::StatusFault { status: 500, probability: 1.0 }],
        ..Default::default()
    });
    let input = cli.path("grade_report.csv");
    std::fs::write(&input, report(&m)).unwrap();
    let (out_path, errors_path) = (cli.path("upload.csv"), cli.path("upload.errors.csv"));
    let out = cli.run(&["grades", "reconcile", "--profile", "LMS", "--provider", PROVIDER, "--in", &input, "--out", &out_path]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("0 matched, 0 not linked, 4 not checked (live lookup failed)"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("4 rows could not be checked") && err.contains("500"), "{err}");
    let errors = std::fs::read_to_string(&errors_path).unwrap();
    assert!(errors.contains("could not be asked") && !errors.contains("Not linked"), "{errors}");
}
