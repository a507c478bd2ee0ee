//! After a scripted session through the core — tokens fetched, pages read, connections tested,
//! errors provoked — no secret or token appears in what would cross the IPC bridge (every value a
//! command returns, every error payload), in the SQLite files, or in the log files.

mod common;

use common::{dir_text, env, openedx_profile, register};
use crosswalk_core::activity::ActivityQuery;
use crosswalk_core::connection::{ClientAuth, TokenType};
use crosswalk_core::{connection_check, learners, profiles};
use crosswalk_sandbox::{RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_or_token_reaches_ipc_payloads_the_database_or_the_logs() {
    let e = env().await;
    let guard = crosswalk_core::logging::init(&e.cw.dirs.logs, "leak-test", false).unwrap();
    let lms = e.sandbox.openedx_url();
    let wrong = "not-the-secret-7f3a";
    let staff = register(
        &e.cw,
        openedx_profile("staff", &lms, STAFF_CLIENT_ID, TokenType::Bearer, ClientAuth::Basic, &["saml-demo-univ"]),
        STAFF_CLIENT_SECRET,
    );
    let restricted = register(
        &e.cw,
        openedx_profile("restricted", &lms, RESTRICTED_CLIENT_ID, TokenType::Jwt, ClientAuth::Body, &["saml-partner"]),
        RESTRICTED_CLIENT_SECRET,
    );
    let bad = register(&e.cw, openedx_profile("bad", &lms, STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-demo-univ"]), wrong);

    let mut ipc = Vec::new();
    let mut record = |v: serde_json::Value| ipc.push(v.to_string());
    for p in [&staff, &restricted, &bad] {
        match connection_check::check(&e.cw, &p.id).await {
            Ok(c) => record(serde_json::to_value(&c).unwrap()),
            Err(err) => record(serde_json::to_value(err.payload()).unwrap()),
        }
        for provider in ["saml-demo-univ", "saml-partner", "saml-nowhere"] {
            match learners::browse(&e.cw, &p.id, provider, 1, 10).await {
                Ok(page) => record(serde_json::to_value(&page).unwrap()),
                Err(err) => record(serde_json::to_value(err.payload()).unwrap()),
            }
        }
    }
    record(serde_json::to_value(profiles::views(&e.cw).unwrap()).unwrap());
    record(serde_json::to_value(e.cw.activity.list(&ActivityQuery::default()).unwrap()).unwrap());
    drop(guard); // flush the log file

    let tokens = e.sandbox.issued_tokens();
    assert_eq!(tokens.len(), 2, "one token per working profile, reused from the cache");
    let ipc = ipc.join("\n");
    assert!(ipc.contains("invalid_client") && ipc.contains("tpa_provider:saml-partner"), "the errors were provoked");
    let stored = dir_text(e.dir.path());
    assert!(stored.contains("token issued"), "the log file was written and read");
    for s in [STAFF_CLIENT_SECRET, RESTRICTED_CLIENT_SECRET, wrong] {
        assert!(!ipc.contains(s), "secret in an IPC payload");
        assert!(!stored.contains(s), "secret on disk");
    }
    for t in &tokens {
        assert!(!ipc.contains(t.as_str()), "token in an IPC payload");
        assert!(!stored.contains(t.as_str()), "token on disk");
    }

    // The problem report and the diagnostics bundle hold the logs and the set-up, never a secret.
    let report = crosswalk_core::diagnostics::problem_report(&e.cw);
    assert!(report.contains("Crosswalk ") && report.contains("Last log lines"), "{report}");
    let out = e.dir.path().join("diagnostics.zip");
    let summary = crosswalk_core::diagnostics::bundle(&e.cw, &out).unwrap();
    assert!(summary.files.iter().any(|f| f.starts_with("logs/")), "{:?}", summary.files);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut bundled = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut f, &mut bundled).unwrap();
    }
    assert!(bundled.contains("token issued"), "the logs are in the bundle");
    assert!(bundled.contains("\"kind\": \"openedx\"") && bundled.contains("schema_version"), "the set-up is in the bundle");
    for s in [STAFF_CLIENT_SECRET, RESTRICTED_CLIENT_SECRET, wrong] {
        assert!(!report.contains(s) && !bundled.contains(s), "secret in the problem report or the bundle");
    }
    for t in &tokens {
        assert!(!report.contains(t.as_str()) && !bundled.contains(t.as_str()), "token in the problem report or the bundle");
    }
}
