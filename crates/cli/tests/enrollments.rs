//! `crosswalk enrollments …` and `crosswalk jobs …` against the sandbox's home institution: the
//! exit codes and JSON middleware relies on, both transports, and a scheduled poll run by cron.

mod common;

use common::{json_of, stderr, stdout, Cli};
use crosswalk_sandbox::{
    OoapiFault, OoapiScenario, Sandbox, SandboxConfig, OOAPI_CLIENT_SECRET, OOAPI_DECISION_SECS, OOAPI_RECEIVER_PASSWORD, OOAPI_SCHAC_HOME,
};
use serde_json::json;

const ENV: [(&str, &str); 2] = [("CW_OOAPI", OOAPI_CLIENT_SECRET), ("CW_RECEIVER", OOAPI_RECEIVER_PASSWORD)];

fn add_direct(cli: &Cli, s: &crosswalk_sandbox::SandboxHandle) {
    let args = common::ooapi_profile_args(s, "Home", "CW_OOAPI");
    cli.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

fn offering_file(cli: &Cli, s: &crosswalk_sandbox::SandboxHandle, scenario: OoapiScenario) -> String {
    let mut o = s.ooapi_offerings()[0].to_json();
    o["primaryCode"]["code"] = json!(format!("{}CLI", scenario.code_prefix()));
    let path = cli.dir.path().join(format!("{}.json", scenario.code_prefix()));
    std::fs::write(&path, json!({ "offering": o }).to_string()).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn create_poll_and_change_state_with_exit_codes_and_json() {
    let s = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    add_direct(&cli, &s);
    let persons = s.ooapi_persons();
    let file = offering_file(&cli, &s, OoapiScenario::PendingThenAssociated);
    let tested = cli.run_with(&["profile", "test", "Home"], None, &ENV);
    assert!(tested.status.success() && stdout(&tested).contains("404"), "{}{}", stdout(&tested), stderr(&tested));

    let out = cli.run_with(
        &["--json", "enrollments", "create", "--profile", "Home", "--person-id", &persons[0].person_id, "--offering", &file],
        None,
        &ENV,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let created = json_of(&out);
    assert_eq!(created["association"]["state"], "pending");
    let aid = created["association"]["association_id"].as_str().unwrap().to_string();

    // Nothing changed yet: exit 0, no changes.
    let out = cli.run_with(&["--json", "enrollments", "poll"], None, &ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_of(&out)["changes"].as_array().unwrap().len(), 0);

    s.ooapi_advance(OOAPI_DECISION_SECS + 1);
    let out = cli.run_with(&["enrollments", "poll"], None, &ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("pending → associated"), "{}", stdout(&out));

    // Our side cancels; the home side sees it.
    let out = cli.run_with(&["--json", "enrollments", "set-state", &aid, "canceled"], None, &ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.ooapi_associations().iter().find(|a| a.id == aid).unwrap().remote_state.to_string(), "canceled");
    let shown = cli.run_with(&["enrollments", "show", &aid], None, &ENV);
    let text = stdout(&shown);
    assert!(text.contains("remoteState") && text.contains("canceled") && text.contains("timeline"), "{text}");

    // The ledger as CSV for middleware, and as a file.
    let csv = cli.run_with(&["enrollments", "list", "--csv"], None, &ENV);
    let csv = stdout(&csv);
    assert!(csv.starts_with("ledger_id,connection,home,association_id"), "{csv}");
    assert!(csv.contains(&aid));
    let xlsx = cli.dir.path().join("ledger.xlsx");
    cli.ok(&["enrollments", "export", "--out", &xlsx.display().to_string()]);
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);

    // An association the home side does not know: listed as not checked, exit 2 (partly done).
    let ids = cli.dir.path().join("ids.csv");
    std::fs::write(&ids, "associationId\n00000000-0000-4000-8000-000000000000\n").unwrap();
    cli.ok(&["enrollments", "import", "--profile", "Home", "--file", &ids.display().to_string()]);
    s.ooapi_advance(OOAPI_DECISION_SECS + 1);
    let second = offering_file(&cli, &s, OoapiScenario::PendingForever);
    cli.run_with(&["enrollments", "create", "--profile", "Home", "--person-id", &persons[1].person_id, "--offering", &second], None, &ENV);
    let out = cli.run_with(&["--json", "enrollments", "poll"], None, &ENV);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["failed"].as_array().unwrap().len(), 1);
    assert!(report["failed"][0]["reason"].as_str().unwrap().contains("404"), "{report}");
    assert!(stderr(&out).contains("not checked: 00000000-0000-4000-8000-000000000000"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_answer_exits_1_and_is_left_unknown_not_resent() {
    let s = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    add_direct(&cli, &s);
    s.ooapi_set_fault(OoapiFault::CreateThenFail);
    let file = offering_file(&cli, &s, OoapiScenario::InstantAssociated);
    let out = cli.run_with(
        &["enrollments", "create", "--profile", "Home", "--person-id", &s.ooapi_persons()[0].person_id, "--offering", &file],
        None,
        &ENV,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("unknown — check") && err.contains("Do not send it again"), "{err}");
    assert_eq!(s.ooapi_post_count(), 1);
    let list = json_of(&cli.run_with(&["--json", "enrollments", "list", "--state", "error"], None, &ENV));
    assert_eq!(list["rows"][0]["status"], "unknown");
    // An incomplete offering is refused before sending, exit 1.
    let bad = cli.dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"offering": {"offeringId": "x"}}"#).unwrap();
    let out = cli.run_with(
        &["enrollments", "create", "--profile", "Home", "--person-id", "p", "--offering", &bad.display().to_string()],
        None,
        &ENV,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing was sent"));
    assert_eq!(s.ooapi_post_count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn through_the_receiver_and_by_cron() {
    let s = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "ooapi",
        "--name",
        "Via receiver",
        "--base-url",
        &s.ooapi_url(),
        "--schac-home",
        OOAPI_SCHAC_HOME,
        "--persons-url",
        &s.ooapi_persons_url(),
        "--associations-url",
        &s.ooapi_associations_url(),
        "--transport",
        "receiver",
        "--receiver-url",
        &s.ooapi_receiver_url(),
        "--secret-env",
        "CW_RECEIVER",
    ]);
    let tested = cli.run_with(&["profile", "test", "Via receiver"], None, &ENV);
    assert!(tested.status.success() && stdout(&tested).contains("409"), "{}{}", stdout(&tested), stderr(&tested));
    let refused = cli.run_with(&["profile", "test", "Via receiver"], None, &[("CW_RECEIVER", "nope")]);
    assert!(!refused.status.success() && stdout(&refused).contains("401"), "{}{}", stdout(&refused), stderr(&refused));
    let shown = cli.run_with(&["profile", "show", "Via receiver"], None, &ENV);
    assert!(stdout(&shown).contains("through the enrollment receiver"), "{}", stdout(&shown));
    let file = offering_file(&cli, &s, OoapiScenario::PendingThenDenied);
    let out = cli.run_with(
        &["enrollments", "create", "--profile", "Via receiver", "--person-id", &s.ooapi_persons()[2].person_id, "--offering", &file],
        None,
        &ENV,
    );
    assert!(out.status.success(), "{}", stderr(&out));

    // Scheduled, then run by "cron".
    cli.ok(&["jobs", "set", "enrollments-poll", "--profile", "Via receiver", "--every", "15"]);
    s.ooapi_advance(OOAPI_DECISION_SECS + 1);
    let out = cli.run_with(&["--json", "jobs", "run-due"], None, &ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let runs = json_of(&out);
    assert_eq!(runs.as_array().unwrap().len(), 1);
    assert!(runs[0]["detail"].as_str().unwrap().contains("pending → denied"), "{runs}");
    // Nothing is due right after.
    let again = cli.run_with(&["jobs", "run-due"], None, &ENV);
    assert!(stdout(&again).contains("Nothing was due"));
    let jobs = json_of(&cli.run_with(&["--json", "jobs", "list"], None, &ENV));
    assert_eq!(jobs[0]["last_outcome"], "ok");
    // A wrong receiver password: exit 1, the password never printed.
    let list = json_of(&cli.run_with(&["--json", "enrollments", "list"], None, &ENV));
    let id = list["rows"][0]["id"].to_string();
    let out = cli.run_with(&["enrollments", "check", &id], None, &[("CW_RECEIVER", "wrong-pass-456")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("401"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("wrong-pass-456") && !stdout(&out).contains("wrong-pass-456"));
}

#[tokio::test(flavor = "multi_thread")]
async fn results_dry_run_sends_nothing_then_send_exits_by_what_happened() {
    let s = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    add_direct(&cli, &s);
    let persons = s.ooapi_persons();
    let file = offering_file(&cli, &s, OoapiScenario::InstantAssociated);
    let mut ids = Vec::new();
    for p in &persons[..2] {
        let out = cli.run_with(
            &["--json", "enrollments", "create", "--profile", "Home", "--person-id", &p.person_id, "--offering", &file],
            None,
            &ENV,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        ids.push(json_of(&out)["association"]["association_id"].as_str().unwrap().to_string());
    }
    let grades = cli.dir.path().join("grades.csv");
    std::fs::write(&grades, format!("associationId,grade\n{},0.875\n{},0.4\nnot-an-association,0.9\n", ids[0], ids[1])).unwrap();
    let grades = grades.display().to_string();
    let sent_at_home = || s.ooapi_associations().into_iter().filter(|a| ids.contains(&a.id) && a.result.is_some()).count();

    // Without a study load the course results cannot be made: nothing to send, exit 1.
    let out = cli.run_with(&["enrollments", "results", "--file", &grades, "--dry-run"], None, &ENV);
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("study load"), "{}", stdout(&out));

    // A dry run prints the bodies, sends nothing, and exits 2 for the unmatched row.
    let out = cli.run_with(&["--json", "enrollments", "results", "--file", &grades, "--study-load", "5", "--dry-run"], None, &ENV);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let pv = json_of(&out);
    assert_eq!(pv["rows"][0]["body"]["result"]["score"], "88");
    assert_eq!(pv["rows"][1]["body"]["result"]["pass"], "failed");
    assert_eq!(pv["rows"][2]["status"], "unmatched");
    assert_eq!(sent_at_home(), 0, "a dry run sends nothing");
    // Edited letter cutoffs are used; a table that leaves grades without a letter is refused.
    let args =
        ["--json", "enrollments", "results", "--file", &grades, "--study-load", "5", "--result-value-type", "US letter", "--dry-run"];
    let out = cli.run_with(&[&args[..], &["--letters", "A=0.85,B=0.5,F=0"]].concat(), None, &ENV);
    let pv = json_of(&out);
    assert_eq!((pv["rows"][0]["score"].as_str(), pv["rows"][1]["score"].as_str()), (Some("A"), Some("F")));
    let out = cli.run_with(&[&args[..], &["--letters", "A=0.85"]].concat(), None, &ENV);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("lowest cutoff must be 0"), "{}", stderr(&out));

    // Sent on another scale: two sent, one row unmatched → exit 2, and the JSON says which.
    let out = cli.run_with(
        &[
            "--json",
            "enrollments",
            "results",
            "--file",
            &grades,
            "--study-load",
            "5",
            "--result-value-type",
            "1-10",
            "--teacher",
            "Dr. Host",
        ],
        None,
        &ENV,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let r = json_of(&out);
    assert_eq!((r["sent"].as_u64(), r["skipped"].as_u64()), (Some(2), Some(1)));
    assert_eq!(sent_at_home(), 2);
    let home = s.ooapi_associations().into_iter().find(|a| a.id == ids[0]).unwrap();
    assert_eq!(home.result.unwrap()["score"], "8.9");

    // Again: both already sent, nothing selected unless --resend; the previous value is shown.
    // Without the unmatched row, that is nothing to do: exit 0, nothing sent.
    let matched = cli.dir.path().join("matched.csv");
    std::fs::write(&matched, format!("associationId,grade\n{},0.875\n{},0.4\n", ids[0], ids[1])).unwrap();
    let out = cli.run_with(&["enrollments", "results", "--file", &matched.display().to_string()], None, &ENV);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("already sent"), "{}", stderr(&out));
    assert_eq!(s.ooapi_associations().into_iter().find(|a| a.id == ids[0]).unwrap().results.len(), 1);
    let out = cli.run_with(&["enrollments", "results", "--file", &grades, "--dry-run"], None, &ENV);
    assert!(stdout(&out).contains("already sent") && stdout(&out).contains("8.9, passed"), "{}", stdout(&out));
    let out =
        cli.run_with(&["--json", "enrollments", "results", "--file", &grades, "--resend", "--offering", "SCN-INSTANT-CLI"], None, &ENV);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(json_of(&out)["sent"], 2, "the last settings were kept for the offering");
    assert_eq!(s.ooapi_associations().into_iter().find(|a| a.id == ids[0]).unwrap().results.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accepted_offering_is_kept_as_a_template_that_the_next_create_uses_by_id() {
    let s = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    add_direct(&cli, &s);
    let persons = s.ooapi_persons();
    let out = cli.run_with(&["enrollments", "templates", "list", "--profile", "Home"], None, &ENV);
    assert!(out.status.success() && stdout(&out).contains("No offering template is saved"), "{}", stdout(&out));

    // An unknown template: exit 1, a plain reason, nothing sent.
    let out = cli.run_with(
        &["enrollments", "create", "--profile", "Home", "--person-id", &persons[0].person_id, "--offering-id", "nope"],
        None,
        &ENV,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("No template is saved for offering \"nope\""), "{}", stderr(&out));
    assert_eq!(s.ooapi_post_count(), 0);

    let file = offering_file(&cli, &s, OoapiScenario::InstantAssociated);
    let out = cli.run_with(
        &["enrollments", "create", "--profile", "Home", "--person-id", &persons[0].person_id, "--offering", &file],
        None,
        &ENV,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli.run_with(&["--json", "enrollments", "templates", "list", "--profile", "Home"], None, &ENV);
    let list = json_of(&out);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let id = list[0]["offering_id"].as_str().unwrap().to_string();
    assert!(list[0]["last_used"].is_string());

    // The next student by the template's id.
    let out = cli.run_with(
        &["--json", "enrollments", "create", "--profile", "Home", "--person-id", &persons[1].person_id, "--offering-id", &id],
        None,
        &ENV,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_of(&out)["association"]["offering_id"], id.as_str());
    assert_eq!(s.ooapi_post_count(), 2);

    // Show prints the JSON a file would hold; delete removes it; a second delete says so.
    let shown = cli.run_with(&["enrollments", "templates", "show", "--profile", "Home", &id], None, &ENV);
    let v: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(v["offering"]["offeringId"], id.as_str());
    cli.ok(&["enrollments", "templates", "delete", "--profile", "Home", &id]);
    let out = cli.run_with(&["enrollments", "templates", "delete", "--profile", "Home", &id], None, &ENV);
    assert_eq!(out.status.code(), Some(1));

    // Saved by hand after the create check: an incomplete offering is refused.
    let bad = cli.dir.path().join("bad.json");
    std::fs::write(&bad, json!({"offering": {"offeringId": "x"}}).to_string()).unwrap();
    let out = cli.run_with(&["enrollments", "templates", "save", "--profile", "Home", "--file", &bad.display().to_string()], None, &ENV);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is missing"), "{}", stderr(&out));
    let out = cli.run_with(&["enrollments", "templates", "save", "--profile", "Home", "--file", &file], None, &ENV);
    assert!(out.status.success() && stdout(&out).contains("nothing was sent"), "{}", stderr(&out));
    assert_eq!(s.ooapi_post_count(), 2);
}
