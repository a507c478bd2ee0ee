//! Grade reconciliation against the sandbox: recognising reports, encodings, broken lines,
//! matching (mirror, live, not linked, ambiguous, unenrolled), every export template against its
//! golden file, the error file, formula neutralisation, history and reopening.

mod common;

use std::path::{Path, PathBuf};

use common::{env_with, openedx_profile, register, Env};
use crosswalk_core::connection::{ClientAuth, TokenType};
use crosswalk_core::grades::{
    self, ColumnSource, CustomColumn, ExportOptions, LetterBand, NotAttempted, OutputFormat, ReconcileRequest, ReportKind, RowStatus,
    Scale, Template,
};
use crosswalk_core::mirror::{self, SyncOptions};
use crosswalk_sandbox::{SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use tokio_util::sync::CancellationToken;

const P: &str = "saml-demo-univ";
const COURSE_HEADER: &str = "Student ID,Email,Username,Grade,Homework 1: Intro,Homework (Avg),Final Exam,Cohort Name,Enrollment Track,Verification Status,Certificate Eligible,Certificate Delivered,Certificate Type,Enrollment Status";

async fn setup() -> (Env, Vec<(String, String)>) {
    let e = env_with(SandboxConfig { learners: 400, ..SandboxConfig::default() }).await;
    register(
        &e.cw,
        openedx_profile("lms", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    let linked: Vec<(String, String)> = e.sandbox.mappings(P).into_iter().map(|m| (m.username, m.remote_id)).collect();
    (e, linked)
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn row(id: usize, username: &str, grade: &str, cohort: &str, status: &str) -> String {
    format!("{id},{username}@example.edu,{username},{grade},0.5,0.5,0.9,{cohort},verified,verified,Y,N,verified,{status}\n")
}

fn request(path: &Path, live: bool) -> ReconcileRequest {
    let file = grades::inspect(path).unwrap();
    ReconcileRequest { path: path.display().to_string(), profile_id: "lms".into(), provider_id: P.into(), columns: file.columns, live }
}

async fn reconcile(e: &Env, req: &ReconcileRequest) -> grades::Reconciliation {
    grades::reconcile(&e.cw, req, |_| {}, &CancellationToken::new()).await.unwrap()
}

/// The report used by the matching and golden tests: fixed rows over the sandbox's seeded data.
fn course_report(e: &Env, linked: &[(String, String)]) -> PathBuf {
    let mut csv = String::from(COURSE_HEADER);
    csv.push('\n');
    for (i, (u, _)) in linked.iter().take(6).enumerate() {
        let grade = ["0.8567", "1", "0", "Not Attempted", "0.495", "0.7"][i];
        csv.push_str(&row(100 + i, u, grade, if i == 1 { "=HYPERLINK(\"http://x\")" } else { "Blue" }, "enrolled"));
    }
    csv.push_str(&row(110, &linked[6].0, "0.9", "Blue", "unenrolled"));
    csv.push_str(&row(111, "never_linked_learner", "0.6", "Blue", "enrolled"));
    csv.push_str(&row(112, "@SUM(1)", "0.6", "Blue", "enrolled"));
    csv.push_str(&row(113, &linked[7].0, "0.65", "Blue", "enrolled"));
    write(e.dir.path(), "course_grade_report.csv", csv)
}

#[tokio::test]
async fn recognises_course_and_problem_reports_and_guesses_a_custom_file() {
    let (e, _) = setup().await;
    let course = write(e.dir.path(), "c.csv", format!("{COURSE_HEADER}\n{}", row(1, "ann", "0.5", "", "enrolled")));
    let f = grades::inspect(&course).unwrap();
    assert_eq!(f.kind, ReportKind::CourseGrades);
    assert_eq!(
        (f.columns.username, f.columns.grade, f.columns.student_id, f.columns.enrollment_status),
        (Some(2), Some(3), Some(0), Some(13))
    );
    let names: Vec<&str> = f.grade_columns.iter().map(|&i| f.headers[i as usize].as_str()).collect();
    assert_eq!(names, ["Grade", "Homework 1: Intro", "Homework (Avg)", "Final Exam"]);

    let problem = write(
        e.dir.path(),
        "p.csv",
        "Student ID,Email,Username,Enrollment Status,Grade,Homework 1: Intro - Q1 (Earned),Homework 1: Intro - Q1 (Possible)\n1,a@x,ann,enrolled,0.5,1,2\n",
    );
    let f = grades::inspect(&problem).unwrap();
    assert_eq!(f.kind, ReportKind::ProblemGrades);
    assert_eq!((f.columns.username, f.columns.grade, f.columns.enrollment_status), (Some(2), Some(4), Some(3)));
    let names: Vec<&str> = f.grade_columns.iter().map(|&i| f.headers[i as usize].as_str()).collect();
    assert_eq!(names, ["Grade", "Homework 1: Intro - Q1 (Earned)"], "possible points are not grades");

    let custom = write(e.dir.path(), "x.csv", "Name,Open edX Username,Score\nAnn,ann,0.5\n");
    let f = grades::inspect(&custom).unwrap();
    assert_eq!(f.kind, ReportKind::Custom);
    assert_eq!((f.columns.username, f.columns.grade), (Some(1), Some(2)));
    let nothing = write(e.dir.path(), "n.csv", "Name,Score\nAnn,0.5\n");
    let f = grades::inspect(&nothing).unwrap();
    assert_eq!(f.columns.username, None);
    let mut req = request(&nothing, false);
    req.columns.username = None;
    let err = grades::reconcile(&e.cw, &req, |_| {}, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("Choose the column that holds the Open edX usernames"), "{err}");
}

#[tokio::test]
async fn detects_encodings_and_delimiters() {
    let (e, _) = setup().await;
    let bom = write(e.dir.path(), "bom.csv", "\u{feff}Username;Grade;Email\nzoë;0,5;zoë@x\n");
    let f = grades::inspect(&bom).unwrap();
    assert_eq!((f.encoding.as_str(), f.delimiter.as_str()), ("UTF-8 with BOM", ";"));
    assert_eq!(f.headers[0], "Username", "the BOM is not part of the first header");
    assert_eq!(f.sample[0][0], "zoë");

    // Windows-1252 (what Excel on Windows writes): é is the single byte 0xE9.
    let mut bytes = b"Username\tGrade\tName\n".to_vec();
    bytes.extend_from_slice(b"rene\t0.5\tRen\xE9 \x80uro\n");
    let cp = write(e.dir.path(), "cp1252.tsv", bytes);
    let f = grades::inspect(&cp).unwrap();
    assert_eq!((f.encoding.as_str(), f.delimiter.as_str()), ("Windows-1252", "tab"));
    assert_eq!(f.sample[0][2], "René €uro");

    let plain = write(e.dir.path(), "plain.csv", "Username|Grade\nann|0.5\n");
    let f = grades::inspect(&plain).unwrap();
    assert_eq!((f.encoding.as_str(), f.delimiter.as_str()), ("UTF-8", "|"));
}

#[tokio::test]
async fn broken_lines_are_reported_by_number_and_the_rest_is_kept() {
    let (e, linked) = setup().await;
    let mut csv = format!("{COURSE_HEADER}\n");
    csv.push_str(&row(1, &linked[0].0, "0.5", "Blue", "enrolled")); // line 2
    csv.push_str("2,x@example.edu,too_many,0.5,1,1,1,Blue,verified,verified,Y,N,verified,enrolled,EXTRA\n"); // line 3
    csv.push_str(&row(3, &linked[1].0, "0.5", "Blue", "enrolled")); // line 4
    csv.push_str(&row(4, "", "0.5", "Blue", "enrolled")); // line 5: no username
    csv.push_str("5,\"broken@example.edu,broken,0.5,1,1,1,Blue,verified,verified,Y,N,verified,enrolled\n"); // line 6
    csv.push_str(&row(6, &linked[2].0, "0.5", "Blue", "enrolled")); // line 7, swallowed by line 6's quote
    let path = write(e.dir.path(), "broken.csv", &csv);
    let r = reconcile(&e, &request(&path, false)).await;
    assert_eq!(r.counts.rows, 5);
    assert_eq!(r.counts.problems, 3, "{:?}", r.problems);
    assert_eq!(r.problems.iter().map(|p| p.line).collect::<Vec<_>>(), vec![3, 5, 6]);
    assert!(r.problems[0].message.contains("has 15 fields but the header has 14"), "{}", r.problems[0].message);
    assert!(r.problems[1].message.contains("no username"));
    assert!(r.problems[2].message.contains("quote that is never closed: lines 6–7"), "{}", r.problems[2].message);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), csv, "the input file is never modified");
}

#[tokio::test]
async fn matches_from_the_mirror_then_live_and_labels_every_row() {
    let (e, linked) = setup().await;
    mirror::sync(&e.cw, "lms", P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    // Linked after the sync: only a live lookup knows.
    assert!(e.sandbox.link(P, "late_learner", "s7777777"));
    // A username linked twice on the provider (the mirror shows both links).
    rusqlite::Connection::open(e.cw.dirs.database())
        .unwrap()
        .execute(
            "INSERT INTO mirror_mappings (profile_id, provider_id, generation, username, remote_id)
             SELECT 'lms', ?1, generation, ?2, 'second-id' FROM mirror_current WHERE profile_id = 'lms' AND provider_id = ?1",
            [P, linked[7].0.as_str()],
        )
        .unwrap();
    let path = course_report(&e, &linked);
    let extra = format!("{}{}", std::fs::read_to_string(&path).unwrap(), row(120, "late_learner", "0.5", "Blue", "enrolled"));
    std::fs::write(&path, extra).unwrap();

    let offline = reconcile(&e, &request(&path, false)).await;
    assert_eq!(offline.counts.not_linked, 3, "late_learner is unknown to the mirror");
    assert_eq!(offline.live_looked_up, 0);

    let r = reconcile(&e, &request(&path, true)).await;
    let c = r.counts;
    assert_eq!((c.rows, c.matched, c.not_linked, c.ambiguous, c.unenrolled, c.problems), (11, 7, 2, 1, 1, 0), "{c:?}");
    assert_eq!(r.live_looked_up, 3, "only the usernames missing from the mirror go live");
    assert!(r.mirror_synced_at.is_some());

    let ambiguous = grades::rows(&e.cw, r.id, Some(RowStatus::Ambiguous), 0, 10).unwrap();
    assert_eq!(ambiguous.total, 1);
    let mut want = vec![linked[7].1.clone(), "second-id".to_string()];
    want.sort();
    assert_eq!(ambiguous.rows[0].candidates, want);
    let not_linked = grades::rows(&e.cw, r.id, Some(RowStatus::NotLinked), 0, 10).unwrap();
    assert_eq!(not_linked.rows.iter().map(|r| r.username.as_str()).collect::<Vec<_>>(), ["never_linked_learner", "@SUM(1)"]);
    assert!(not_linked.rows[0].message.contains("Not linked to saml-demo-univ"));
    let late = grades::rows(&e.cw, r.id, Some(RowStatus::Matched), 0, 20).unwrap();
    assert!(late.rows.iter().any(|r| r.username == "late_learner" && r.remote_id.as_deref() == Some("s7777777")));
    let unenrolled = grades::rows(&e.cw, r.id, Some(RowStatus::Unenrolled), 0, 10).unwrap();
    assert_eq!(unenrolled.rows[0].remote_id.as_deref(), Some(linked[6].1.as_str()), "unenrolled rows still carry their match");
    let all = grades::rows(&e.cw, r.id, None, 2, 3).unwrap();
    assert_eq!((all.total, all.rows.len(), all.rows[0].line), (11, 3, 4));
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/grades").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "{name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it after review)");
}

#[tokio::test]
async fn every_template_matches_its_golden_file_and_unmatched_rows_go_to_the_error_file() {
    let (e, linked) = setup().await;
    let path = course_report(&e, &linked);
    let before = std::fs::read(&path).unwrap();
    let r = reconcile(&e, &request(&path, true)).await;
    let out = e.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let cases: Vec<(&str, ExportOptions)> = vec![
        ("generic.csv", ExportOptions::default()),
        ("canvas.csv", ExportOptions { template: Template::Canvas, item_name: "Final grade".into(), ..ExportOptions::default() }),
        (
            "moodle.csv",
            ExportOptions {
                template: Template::Moodle,
                item_name: "Open edX course".into(),
                scale: Scale::Points { max: 20.0 },
                decimals: 1,
                not_attempted: NotAttempted::Zero,
                ..ExportOptions::default()
            },
        ),
        (
            "brightspace.csv",
            ExportOptions {
                template: Template::Brightspace,
                item_name: "MOOC".into(),
                scale: Scale::Points { max: 100.0 },
                decimals: 0,
                not_attempted: NotAttempted::Skip,
                include_unenrolled: true,
                ..ExportOptions::default()
            },
        ),
        (
            "custom_passfail.csv",
            ExportOptions {
                template: Template::Custom,
                letters: vec![
                    LetterBand { min_percent: 50.0, label: "Pass".into() },
                    LetterBand { min_percent: 0.0, label: "Fail".into() },
                ],
                columns: vec![
                    CustomColumn { header: "student_number".into(), source: ColumnSource::RemoteId },
                    CustomColumn { header: "result".into(), source: ColumnSource::Grade },
                    CustomColumn { header: "cohort".into(), source: ColumnSource::Column { index: 7 } },
                    CustomColumn { header: "course".into(), source: ColumnSource::Text { value: "MOOC-101".into() } },
                ],
                ..ExportOptions::default()
            },
        ),
    ];
    for (name, opts) in cases {
        let target = out.join(name);
        let errors = out.join(format!("{name}.errors.csv"));
        let res = grades::export(&e.cw, r.id, &opts, &target, Some(&errors)).unwrap();
        let written = std::fs::read_to_string(&target).unwrap();
        let canon = written.replace(&linked[0].1, "<R0>");
        let canon = linked
            .iter()
            .take(8)
            .enumerate()
            .fold(canon, |t, (i, (u, rid))| t.replace(rid, &format!("<R{i}>")).replace(u, &format!("<U{i}>")));
        golden(name, &canon);
        assert_eq!(res.errors_path.as_deref(), Some(errors.to_str().unwrap()));
        let err_text = std::fs::read_to_string(&errors).unwrap();
        assert!(err_text.starts_with("Student ID,Username,Error\n"), "{err_text}");
        assert!(err_text.contains("111,never_linked_learner,\"Not linked to saml-demo-univ"), "{err_text}");
        assert!(err_text.contains("112,'@SUM(1),"), "formula-like usernames are neutralised: {err_text}");
        assert!(!written.contains(",=HYPERLINK"), "formula cells are neutralised");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the input file is never modified");
    let history = grades::history(&e.cw, 10).unwrap();
    assert_eq!(history[0].id, r.id);
    assert_eq!(history[0].template, Some(Template::Custom));
    assert!(history[0].export_path.as_deref().unwrap().ends_with("custom_passfail.csv"));
    assert_eq!(grades::last_options(&e.cw, r.id).unwrap().unwrap().template, Template::Custom);
}

#[tokio::test]
async fn xlsx_exports_keep_numbers_as_numbers_and_text_safe() {
    use calamine::{open_workbook_auto, Data, Reader};
    let (e, linked) = setup().await;
    let path = course_report(&e, &linked);
    let r = reconcile(&e, &request(&path, true)).await;
    let target = e.dir.path().join("grades.xlsx");
    let opts = ExportOptions { template: Template::Canvas, format: OutputFormat::Xlsx, ..ExportOptions::default() };
    let res = grades::export(&e.cw, r.id, &opts, &target, None).unwrap();
    assert_eq!(res.rows_written, 7);
    let mut wb = open_workbook_auto(&target).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][2], Data::String("SIS User ID".into()));
    assert_eq!(rows[1][2], Data::String(linked[0].1.clone()));
    assert_eq!(rows[1][5], Data::Float(85.67));
    assert!(res.errors_path.unwrap().ends_with("grades.errors.csv"));
}

/// Only files Crosswalk opened or wrote may be shown in the file manager (`reveal_path`).
#[tokio::test]
async fn crosswalk_knows_the_files_it_opened_or_wrote_and_no_others() {
    let (e, linked) = setup().await;
    let path = course_report(&e, &linked);
    let target = e.dir.path().join("upload.csv");
    assert!(!e.cw.knows_file(&target).unwrap());
    let r = reconcile(&e, &request(&path, true)).await;
    let res = grades::export(&e.cw, r.id, &ExportOptions::default(), &target, None).unwrap();
    assert!(e.cw.knows_file(&path).unwrap(), "the report");
    assert!(e.cw.knows_file(Path::new(&res.out_path)).unwrap(), "the upload");
    assert!(e.cw.knows_file(Path::new(&res.errors_path.unwrap())).unwrap(), "the error file");
    assert!(!e.cw.knows_file(Path::new("/etc/passwd")).unwrap());
    let saved = e.dir.path().join("launch.html");
    assert!(!e.cw.knows_file(&saved).unwrap());
    e.cw.remember_file(&saved);
    assert!(e.cw.knows_file(&saved).unwrap(), "a file chosen in a dialog");
}

#[tokio::test]
async fn a_report_changed_after_matching_is_not_exported_and_reopening_says_what_changed() {
    let (e, linked) = setup().await;
    let path = course_report(&e, &linked);
    let r = reconcile(&e, &request(&path, false)).await;
    std::fs::write(&path, format!("{}{}", std::fs::read_to_string(&path).unwrap(), row(200, &linked[9].0, "1", "Blue", "enrolled")))
        .unwrap();
    let target = e.dir.path().join("changed.csv");
    let err = grades::export(&e.cw, r.id, &ExportOptions::default(), &target, None).unwrap_err();
    assert!(err.to_string().contains("changed since it was reconciled"), "{err}");
    assert!(!target.exists(), "nothing half-written is left behind");
    assert!(std::fs::read_dir(e.dir.path()).unwrap().all(|f| !f.unwrap().file_name().to_string_lossy().contains("crosswalk-partial")));
    let again = grades::reopen(&e.cw, r.id, |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(again.id, r.id);
    assert_eq!(again.counts.rows, r.counts.rows + 1);
    assert_ne!(again.checksum, r.checksum);
    assert_eq!(grades::history(&e.cw, 10).unwrap().len(), 1, "reopening updates the saved reconciliation");
    grades::export(&e.cw, r.id, &ExportOptions::default(), &target, None).unwrap();
}

/// The match keeps each row's mirror entry so paging and the export need not look usernames up
/// again; a report rewritten with its rows in another order must still show every username with
/// its own remote id (the export refuses the changed file; see the test above).
#[tokio::test]
async fn rows_of_a_report_reordered_after_matching_keep_each_username_with_its_own_remote_id() {
    let (e, linked) = setup().await;
    mirror::sync(&e.cw, "lms", P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let rows_of = |order: &mut dyn Iterator<Item = usize>| {
        let mut csv = String::from(COURSE_HEADER);
        csv.push('\n');
        for i in order {
            csv.push_str(&row(100 + i, &linked[i].0, "0.5", "Blue", "enrolled"));
        }
        csv
    };
    let path = write(e.dir.path(), "reordered.csv", rows_of(&mut (0..40)));
    let r = reconcile(&e, &request(&path, false)).await;
    assert_eq!(r.counts.matched, 40);
    std::fs::write(&path, rows_of(&mut (0..40).rev())).unwrap();
    let page = grades::rows(&e.cw, r.id, None, 0, 100).unwrap();
    assert_eq!(page.rows.len(), 40);
    for row in &page.rows {
        let own = linked.iter().find(|(u, _)| *u == row.username).map(|(_, id)| id.as_str());
        assert_eq!(row.remote_id.as_deref(), own, "line {}: {}", row.line, row.username);
    }
    assert_eq!(page.rows[0].username, linked[39].0, "the rows are the rewritten file's");
}
