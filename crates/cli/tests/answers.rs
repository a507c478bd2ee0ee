//! Middleware trusts the exit code and the JSON: an identifier is "not found" only when the LMS
//! answered for it; one a provider refused or failed is "not checked", with the reason, and the
//! exit code says the answer is partial (2) or missing (1). Profiles list and show without a
//! keyring.

mod common;

use common::{json_of, stderr, stdout, Cli, NO_BUS};
use crosswalk_sandbox::{
    Knobs, Sandbox, SandboxConfig, StatusFault, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};

const WORKING: &str = "saml-demo-univ";
/// Answers 500 (a sandbox knob).
const BROKEN: &str = "saml-partner";
/// Not a provider of the LMS: 404.
const UNKNOWN: &str = "saml-no-such-provider";

fn add(cli: &Cli, name: &str, lms: &str, client_id: &str, var: &str) {
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        name,
        "--base-url",
        lms,
        "--client-id",
        client_id,
        "--provider",
        WORKING,
        "--secret-env",
        var,
    ]);
}

const ENV: [(&str, &str); 2] = [("CW_STAFF", STAFF_CLIENT_SECRET), ("CW_RESTRICTED", RESTRICTED_CLIENT_SECRET)];

#[tokio::test(flavor = "multi_thread")]
async fn refused_and_failed_providers_are_not_checked_never_not_found() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sandbox.set_knobs(Knobs {
        faults: vec![StatusFault { status: 500, probability: 1.0 }],
        faults_path_contains: Some(format!("/providers/{BROKEN}/")),
        ..Knobs::default()
    });
    let lms = sandbox.openedx_url();
    let cli = Cli::new();
    add(&cli, "Staff", &lms, STAFF_CLIENT_ID, "CW_STAFF");
    add(&cli, "Restricted", &lms, RESTRICTED_CLIENT_ID, "CW_RESTRICTED");
    let known = sandbox.mappings(WORKING)[0].clone();
    let ids = format!("{},ghost-learner", known.username);
    let lookup = |profile: &str, providers: &[&str], extra: &[&str]| {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(["learners", "lookup", "--profile", profile, "--username", &ids]);
        for p in providers {
            args.extend(["--provider", p]);
        }
        cli.run_with(&args, None, &ENV)
    };

    // Every provider answered: exit 0, the ghost is truly not found.
    let out = lookup("Staff", &[WORKING], &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["not_found"], serde_json::json!(["ghost-learner"]));
    assert_eq!(doc["not_checked"], serde_json::json!([]));
    assert_eq!(doc["requests"], 1);

    // A working provider, a 500 one and an unknown (404) one: partly answered, exit 2.
    let out = lookup("Staff", &[WORKING, BROKEN, UNKNOWN], &["--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["rows"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["rows"][0]["remote_id"], known.remote_id.as_str());
    assert_eq!(doc["not_found"], serde_json::json!([]), "the ghost was not asked everywhere: {doc}");
    let groups = doc["not_checked"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{doc}");
    for (provider, status) in [(BROKEN, "500"), (UNKNOWN, "404")] {
        let g = groups.iter().find(|g| g["provider_id"] == provider).unwrap_or_else(|| panic!("{provider} in {doc}"));
        assert_eq!(g["ids"], serde_json::json!([known.username, "ghost-learner"]));
        assert!(g["reason"].as_str().unwrap().contains(status), "{g}");
    }
    assert_eq!(doc["requests"], 3, "every request sent is counted, failed ones too: {doc}");
    assert!(stderr(&out).contains("could not be checked"), "{}", stderr(&out));

    // The same as text: rows on stdout, the not-checked lists with their reasons on stderr.
    let out = lookup("Staff", &[WORKING, BROKEN, UNKNOWN], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains(&known.remote_id));
    let err = stderr(&out);
    assert!(err.contains(&format!("Not checked on {BROKEN} (2): {}, ghost-learner", known.username)), "{err}");
    assert!(err.contains(&format!("Not checked on {UNKNOWN} (2)")), "{err}");
    assert!(!err.contains("Not found"), "nothing was answered as not found: {err}");

    // And as CSV: the app's export layout, a line per input that was not checked, with why.
    let out = {
        let mut args = vec!["learners", "lookup", "--profile", "Staff", "--username", &ids, "--csv"];
        args.extend(["--provider", WORKING, "--provider", UNKNOWN]);
        cli.run_with(&args, None, &ENV)
    };
    assert_eq!(out.status.code(), Some(2));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "input,status,username,remote_id,provider_id,matched_by,source,as_of,reason");
    assert!(lines[1].starts_with(&format!("{},found,{},{},{WORKING},username,live,", known.username, known.username, known.remote_id)));
    assert!(lines[2].starts_with(&format!("{},not_checked,,,{UNKNOWN},", known.username)), "{csv}");
    assert!(lines[3].starts_with(&format!("ghost-learner,not_checked,,,{UNKNOWN},")) && lines[3].contains("404"), "{csv}");
    assert_eq!(lines.len(), 4, "{csv}");

    // A provider that refuses this client (403) is all there is: nothing answered, exit 1.
    sandbox.set_knobs(Knobs::default());
    let out = lookup("Restricted", &[BROKEN], &["--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["rows"], serde_json::json!([]));
    assert_eq!(doc["not_found"], serde_json::json!([]), "a refusal is never \"not found\": {doc}");
    assert_eq!(doc["not_checked"][0]["provider_id"], BROKEN);
    assert!(doc["not_checked"][0]["reason"].as_str().unwrap().contains("403"), "{doc}");
    assert_eq!(doc["requests"], 1);
    assert!(stderr(&out).contains("No identifier could be checked"), "{}", stderr(&out));

    // A mirror lookup of a provider never mirrored is not an answer either.
    let args = ["--json", "learners", "lookup", "--profile", "Staff", "--username", &ids, "--provider", WORKING, "--cached"];
    let out = cli.run_with(&args, None, &ENV);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json_of(&out);
    assert_eq!(doc["not_found"], serde_json::json!([]));
    assert!(doc["not_checked"][0]["reason"].as_str().unwrap().contains("never been mirrored"), "{doc}");
}

#[test]
fn profiles_list_and_show_without_any_keyring() {
    let cli = Cli::new();
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "Middleware",
        "--base-url",
        "https://lms.example.edu",
        "--client-id",
        "x",
        "--secret-env",
        "CW_MW",
    ]);
    let no_bus = [NO_BUS, ("DISPLAY", "")];
    // Only environment profiles: the keyring is never needed.
    let out = cli.run_with(&["profile", "list"], None, &no_bus);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Middleware"));
    let out = cli.run_with(&["profile", "show", "Middleware"], None, &[NO_BUS, ("CW_MW", "s3cret-not-shown")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("from the environment variable CW_MW"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("s3cret-not-shown"));

    // A keyring profile beside it: its secret is "unknown", and the commands still succeed.
    cli.ok(&["profile", "add", "--kind", "openedx", "--name", "Desk", "--base-url", "https://lms.example.edu", "--client-id", "y"]);
    let out = cli.run_with(&["--json", "profile", "list"], None, &no_bus);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = json_of(&out);
    let source = |name: &str| {
        doc.as_array().unwrap().iter().find(|v| v["profile"]["name"] == name).unwrap()["secrets"][0]["source"].as_str().unwrap().to_string()
    };
    assert_eq!(source("Middleware"), "environment");
    assert_eq!(source("Desk"), "unknown");
    let out = cli.run_with(&["profile", "show", "Desk"], None, &no_bus);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("unknown (keyring unavailable)"), "{}", stdout(&out));
}
