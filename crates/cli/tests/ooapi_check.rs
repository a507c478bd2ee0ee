//! `crosswalk ooapi introspect` and `crosswalk ooapi check` against the sandbox's home: exit code
//! 0 only when nothing failed, the reports it saves (without a token), secrets from the
//! environment.

mod common;

use common::{json_of, stderr, stdout, Cli};
use crosswalk_sandbox::{
    OoapiFault, Sandbox, SandboxConfig, SandboxHandle, OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, OOAPI_RESOURCE_CLIENT_ID,
    OOAPI_RESOURCE_CLIENT_SECRET, OOAPI_SCHAC_HOME,
};

fn add_our_home(cli: &Cli, s: &SandboxHandle) {
    let mut args = common::ooapi_profile_args(s, "Our home", "CW_OOAPI");
    let sis = s.ooapi_sis_url();
    let introspection = s.ooapi_introspection_url();
    args.extend(
        [
            "--introspection-url",
            &introspection,
            "--introspection-client-id",
            OOAPI_RESOURCE_CLIENT_ID,
            "--introspection-secret-env",
            "CW_INTROSPECT",
            "--sis-url",
            &sis,
        ]
        .map(String::from),
    );
    cli.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread")]
async fn check_exits_0_only_when_nothing_failed_and_saves_reports_without_the_token() {
    let s = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    add_our_home(&cli, &s);
    let person = &s.ooapi_persons()[0].person_id;
    let token = s.ooapi_student_token(person).unwrap();
    let no_scope = s.ooapi_student_token_with(person, Some(vec!["openid".into(), "email".into()])).unwrap();
    let env = [("CW_OOAPI", OOAPI_CLIENT_SECRET), ("CW_INTROSPECT", OOAPI_RESOURCE_CLIENT_SECRET), ("CW_NO_SCOPE", no_scope.as_str())];

    let shown = cli.ok(&["profile", "show", "Our home"]);
    assert!(shown.contains("introspection secret from: environment variable CW_INTROSPECT"), "{shown}");
    assert!(shown.contains(&s.ooapi_sis_url()), "{shown}");

    // Introspection: the student's token is fine (exit 0); the connection's own client token has
    // no e-mail (exit 1, said why).
    let out = cli.run_with(&["--json", "ooapi", "introspect", "--profile", "Our home", "--token-stdin"], Some(&token), &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_of(&out)["facts"]["active"], true);
    let out = cli.run_with(&["ooapi", "introspect", "--profile", "Our home", "--from-profile", "Our home"], None, &env);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("E-mail address"), "{}", stderr(&out));

    let dir = cli.dir.path();
    let html = dir.join("check.html");
    let junit = dir.join("check.xml");
    let args = [
        "--json",
        "ooapi",
        "check",
        "--profile",
        "Our home",
        "--token-stdin",
        "--no-scope-token-env",
        "CW_NO_SCOPE",
        "--html",
        html.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ];
    let out = cli.run_with(&args, Some(&token), &env);
    assert!(out.status.success(), "{}\n{}", stderr(&out), stdout(&out));
    let report = json_of(&out);
    assert_eq!(report["counts"]["fail"], 0);
    for path in [&html, &junit] {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.contains(&token) && !text.contains(&no_scope) && !text.contains(OOAPI_RESOURCE_CLIENT_SECRET), "{}", path.display());
    }
    assert!(!stdout(&out).contains(&token));

    // A broken home: exit 1, the failure named on stderr, the report still printed.
    s.ooapi_set_fault(OoapiFault::No404);
    let out = cli.run_with(&args, Some(&token), &env);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("GET /associations/{id} — Unknown id → 404"), "{}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["counts"]["fail"], 1);
    assert_eq!(report["diff"][0]["check"], "get.unknown_id");
    let junit_text = std::fs::read_to_string(&junit).unwrap();
    assert!(junit_text.contains("failures=\"1\""), "{junit_text}");

    // A profile without introspection settings: the token could not be checked, so exit 1.
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "ooapi",
        "--name",
        "No introspection",
        "--base-url",
        &s.ooapi_url(),
        "--schac-home",
        OOAPI_SCHAC_HOME,
        "--token-url",
        &s.ooapi_token_url(),
        "--client-id",
        OOAPI_CLIENT_ID,
        "--secret-env",
        "CW_OOAPI",
    ]);
    let out = cli.run_with(&["ooapi", "introspect", "--profile", "No introspection", "--token-stdin"], Some(&token), &env);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stderr(&out).contains("could not be checked"), "{}", stderr(&out));

    // The check could not run at all (no token given and the connection's secret unset): exit 1.
    let out = cli.run_with(&["ooapi", "check", "--profile", "Our home"], None, &[("CW_INTROSPECT", OOAPI_RESOURCE_CLIENT_SECRET)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("CW_OOAPI"), "{}", stderr(&out));
}
