//! The `crosswalk` binary against the sandbox: the command contract, exit codes, one JSON document
//! with `--json`, and a leak test — after a scripted session no secret or token appears in the
//! SQLite files, the logs or anything the CLI printed. Needs a keyring: run via `tests/session.sh`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crosswalk_sandbox::{Sandbox, SandboxConfig, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};

struct Cli {
    dir: tempfile::TempDir,
    transcript: std::cell::RefCell<String>,
}

impl Cli {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap(), transcript: Default::default() }
    }

    fn run_with(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
        cmd.arg("--data-dir").arg(self.dir.path()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        {
            let mut pipe = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                pipe.write_all(s.as_bytes()).unwrap();
            }
        }
        let out = child.wait_with_output().unwrap();
        let mut t = self.transcript.borrow_mut();
        t.push_str(&String::from_utf8_lossy(&out.stdout));
        t.push_str(&String::from_utf8_lossy(&out.stderr));
        out
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None, &[])
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "crosswalk {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let text = self.ok(&a);
        serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("--json must print one JSON document ({e}): {text}"))
    }
}

fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    err
}

/// Every file under `dir`, as lossy text.
fn files_text(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            all.push_str(&files_text(&p));
        } else {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scripted_session_follows_the_contract_and_leaks_no_secret_or_token() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let lms = sandbox.openedx_url();
    let cli = Cli::new();
    let wrong = "wrong-secret-0d1e4c";
    let env_secret = STAFF_CLIENT_SECRET;

    // Profiles.
    let added = cli.json(&[
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
        "saml-demo-univ",
    ]);
    assert_eq!(added["name"], "LMS");
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "Restricted",
        "--base-url",
        &lms,
        "--client-id",
        RESTRICTED_CLIENT_ID,
        "--provider",
        "saml-partner",
    ]);
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "Wrong",
        "--base-url",
        &lms,
        "--client-id",
        STAFF_CLIENT_ID,
        "--provider",
        "saml-demo-univ",
    ]);
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "Middleware",
        "--base-url",
        &lms,
        "--client-id",
        STAFF_CLIENT_ID,
        "--provider",
        "saml-demo-univ",
        "--secret-env",
        "CW_TEST_SECRET",
    ]);
    let err = one_line_error(&cli.run(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "Plain",
        "--base-url",
        "http://lms.example.edu",
        "--client-id",
        "x",
    ]));
    assert!(err.contains("https"), "{err}");

    // Secrets: from stdin, never argv.
    for (name, secret) in [("LMS", STAFF_CLIENT_SECRET), ("Restricted", RESTRICTED_CLIENT_SECRET), ("Wrong", wrong)] {
        let out = cli.run_with(&["secret", "set", name], Some(&format!("{secret}\n")), &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let shown = cli.json(&["profile", "show", "LMS"]);
    assert_eq!(shown["secrets"][0]["source"], "keyring");

    // Test connection: success, 403, 401, env var.
    let good = cli.json(&["profile", "test", "LMS"]);
    assert_eq!(good["ok"], true);
    let denied = one_line_error(&cli.run(&["profile", "test", "Restricted"]));
    assert!(denied.contains("tpa_provider:saml-partner"), "{denied}");
    let refused = one_line_error(&cli.run(&["profile", "test", "Wrong"]));
    assert!(refused.contains("invalid_client"), "{refused}");
    let missing = one_line_error(&cli.run(&["profile", "test", "Middleware"]));
    assert!(missing.contains("CW_TEST_SECRET"), "{missing}");
    let out = cli.run_with(&["profile", "test", "Middleware"], None, &[("CW_TEST_SECRET", env_secret)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("from the environment variable CW_TEST_SECRET"));

    // Lists, export, activity.
    let list = cli.json(&["profile", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
    let export = cli.ok(&["profile", "export"]);
    assert!(export.contains("\"crosswalk_profiles\": 1"));
    let activity = cli.json(&["activity"]);
    assert!(activity["total"].as_u64().unwrap() >= 5, "each test is recorded: {activity}");

    // Removing a profile removes its secret.
    cli.ok(&["secret", "clear", "Wrong"]);
    cli.ok(&["profile", "remove", "Wrong"]);
    let err = one_line_error(&cli.run(&["profile", "show", "Wrong"]));
    assert!(err.contains("no connection named"), "{err}");
    let out = cli.run(&["nonsense-command"]);
    assert!(!out.status.success(), "an unknown command fails");

    // The leak check.
    let tokens = sandbox.issued_tokens();
    assert!(tokens.len() >= 3, "the session fetched tokens");
    let stored = files_text(cli.dir.path());
    assert!(stored.contains("SQLite format 3"), "the database file was read");
    assert!(std::fs::read_dir(cli.dir.path().join("logs")).unwrap().next().is_some(), "a log file exists");
    let printed = cli.transcript.borrow().clone();
    for secret in [STAFF_CLIENT_SECRET, RESTRICTED_CLIENT_SECRET, wrong] {
        assert!(!stored.contains(secret), "a secret is in the data folder");
        assert!(!printed.contains(secret), "a secret was printed");
    }
    for t in &tokens {
        assert!(!stored.contains(t.as_str()), "a token is in the data folder");
        assert!(!printed.contains(t.as_str()), "a token was printed");
    }
}

#[test]
fn without_a_keyring_setting_a_secret_fails_with_the_fix_and_stores_nothing() {
    let cli = Cli::new();
    cli.ok(&["profile", "add", "--kind", "openedx", "--name", "LMS", "--base-url", "https://lms.example.edu", "--client-id", "x"]);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
    let out = cmd
        .arg("--data-dir")
        .arg(cli.dir.path())
        .args(["secret", "set", "LMS"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/crosswalk-no-bus")
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(b"no-keyring-secret-55\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("keyring") && err.contains("docs/linux.md"), "{err}");
    // No silent fallback: the secret is nowhere in the data folder.
    assert!(!files_text(cli.dir.path()).contains("no-keyring-secret-55"));
}

#[tokio::test(flavor = "multi_thread")]
async fn learners_lookup_and_providers_check_print_data_on_stdout_and_progress_on_stderr() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    let lms = sandbox.openedx_url();
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "R",
        "--base-url",
        &lms,
        "--client-id",
        RESTRICTED_CLIENT_ID,
        "--provider",
        "saml-demo-univ,saml-partner",
    ]);
    let out = cli.run_with(&["secret", "set", "R"], Some(RESTRICTED_CLIENT_SECRET), &[]);
    assert!(out.status.success());
    let rows = sandbox.mappings("saml-demo-univ");
    let (a, b) = (&rows[0], &rows[1]);

    let out = cli.run(&[
        "learners",
        "lookup",
        "--profile",
        "R",
        "--provider",
        "saml-demo-univ",
        "--username",
        &a.username,
        "--remote-id",
        &b.remote_id,
        "--username",
        "ghost",
        "--csv",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("input,status,username,remote_id,provider_id,matched_by,source,as_of,reason"), "{csv}");
    assert!(csv.contains(&format!("{},found,{},{},saml-demo-univ,username,live", a.username, a.username, a.remote_id)), "{csv}");
    assert!(csv.contains(&format!("{},found,{},{},saml-demo-univ,remote_id,live", b.remote_id, b.username, b.remote_id)), "{csv}");
    assert!(csv.contains("ghost,not_found,,,"), "{csv}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Not found (1): ghost"));

    let file = cli.dir.path().join("ids.csv");
    std::fs::write(&file, format!("remote_id\n{}\n{}\n", a.remote_id, b.remote_id)).unwrap();
    let doc = cli.json(&["learners", "lookup", "--profile", "R", "--provider", "saml-demo-univ", "--file", file.to_str().unwrap()]);
    assert_eq!(doc["rows"].as_array().unwrap().len(), 2);

    let check = cli.json(&["providers", "check", "--profile", "R"]);
    let cells = check["cells"].as_array().unwrap();
    assert_eq!(cells[0]["access"], "granted");
    assert_eq!(cells[1]["access"], "not_permitted");
    assert!(cells[1]["fix"].as_str().unwrap().contains("tpa_provider:saml-partner"));
    assert!(check["claims"]["filters"].as_array().unwrap().iter().any(|f| f == "tpa_provider:saml-demo-univ"));
}

#[test]
fn version_names_the_commit_and_diagnostics_hold_no_secret() {
    let cli = Cli::new();
    let version = cli.ok(&["--version"]);
    assert!(
        version.starts_with(&format!("crosswalk {} (commit ", env!("CARGO_PKG_VERSION"))) && version.contains(", built 20"),
        "{version}"
    );
    cli.run_with(
        &[
            "profile",
            "add",
            "--kind",
            "openedx",
            "--name",
            "LMS",
            "--base-url",
            "https://lms.example.edu/x?y=1",
            "--client-id",
            "cw",
            "--secret-env",
            "CW_SECRET",
        ],
        None,
        &[],
    );
    let report = cli.ok(&["diagnostics"]);
    assert!(report.contains("OS: ") && report.contains("openedx (lms.example.edu)"), "{report}");
    let zip = cli.dir.path().join("diag.zip");
    let out = cli.run_with(&["--json", "diagnostics", "--out", zip.to_str().unwrap()], None, &[("CW_SECRET", "never-in-the-bundle-42")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let files = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["files"].clone();
    assert!(files.as_array().unwrap().iter().any(|f| f == "about.json"), "{files}");
    let bytes = std::fs::read(&zip).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip");
    assert!(!String::from_utf8_lossy(&bytes).contains("never-in-the-bundle-42"));
}
