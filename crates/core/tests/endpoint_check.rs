//! The endpoint check against the sandbox's home institution: the correct home passes with no
//! failure; each broken mode fails exactly the checks it breaks; introspection tells our refused
//! credentials from an inactive token and a missing scope; reports hold no token; runs are diffed.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{dir_text, env, Env};
use crosswalk_core::connection::{OoapiSettings, OoapiTransport, Profile, ProfileSettings, SecretField};
use crosswalk_core::ooapi::check::{self, report, CheckReport, CheckRequest, Endpoint, TokenSource, Verdict};
use crosswalk_core::secret::SecretString;
use crosswalk_sandbox::{
    OoapiFault, OOAPI_CLIENT_SECRET, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, OOAPI_SCHAC_HOME, OOAPI_TOKEN_LIFETIME_SECS,
};
use tokio_util::sync::CancellationToken;

const PROFILE: &str = "our-home";

/// Our home endpoints as a connection: the sandbox's home, its introspection endpoint with the
/// resource server's client (secret `introspection_secret`), and its SIS backend.
fn our_home(e: &Env, introspection_secret: &str) -> Profile {
    let s = &e.sandbox;
    let settings = OoapiSettings {
        introspection_url: Some(s.ooapi_introspection_url()),
        introspection_client_id: Some(OOAPI_RESOURCE_CLIENT_ID.into()),
        receiver_url: None,
        receiver_user: None,
        stuck_after_hours: None,
        sis_url: Some(s.ooapi_sis_url()),
        ..common::ooapi_settings(s, OoapiTransport::Direct)
    };
    let mut profile = common::test_profile(PROFILE, "Our home endpoints", ProfileSettings::Ooapi(settings));
    profile.network.total_timeout_secs = 10;
    e.cw.add_demo_profile(
        profile,
        vec![
            (SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET)),
            (SecretField::IntrospectionSecret, SecretString::new(introspection_secret)),
        ],
    );
    e.cw.profile(PROFILE).unwrap()
}

/// A test student's token (all scopes) and one without the institution scopes.
fn tokens(e: &Env) -> (String, String) {
    let person = &e.sandbox.ooapi_persons()[0].person_id;
    let token = e.sandbox.ooapi_student_token(person).unwrap();
    let no_scope = e.sandbox.ooapi_student_token_with(person, Some(vec!["openid".into(), "email".into()])).unwrap();
    (token, no_scope)
}

fn request(token: &str, no_scope: Option<&str>) -> CheckRequest {
    CheckRequest {
        profile_id: PROFILE.into(),
        token: TokenSource::Pasted(SecretString::new(token)),
        no_scope_token: no_scope.map(SecretString::new),
        sis_url: None,
        slow_after: None,
    }
}

async fn run(e: &Env, req: &CheckRequest) -> CheckReport {
    check::run(&e.cw, req, &CancellationToken::new()).await.expect("the check runs")
}

fn with(report: &CheckReport, verdict: Verdict) -> BTreeSet<(Endpoint, String)> {
    report.items.iter().filter(|i| i.verdict == verdict).map(|i| (i.endpoint, i.check.clone())).collect()
}

fn set(items: &[(Endpoint, &str)]) -> BTreeSet<(Endpoint, String)> {
    items.iter().map(|(e, c)| (*e, (*c).to_string())).collect()
}

fn verdict(report: &CheckReport, endpoint: Endpoint, check: &str) -> Verdict {
    report
        .items
        .iter()
        .find(|i| i.endpoint == endpoint && i.check == check)
        .unwrap_or_else(|| panic!("no {check} for {endpoint:?}"))
        .verdict
}

#[tokio::test]
async fn the_correct_home_passes_every_check_and_is_left_clean() {
    let e = env().await;
    our_home(&e, OOAPI_RESOURCE_CLIENT_SECRET);
    let (token, no_scope) = tokens(&e);
    let report = run(&e, &request(&token, Some(&no_scope))).await;
    assert!(report.passed(), "{}", report::text(&report));
    assert_eq!(with(&report, Verdict::Fail), BTreeSet::new());
    assert_eq!(with(&report, Verdict::Warn), BTreeSet::new(), "{}", report::text(&report));
    // Every check of the matrix ran: nothing skipped with both tokens and a SIS URL.
    assert_eq!(with(&report, Verdict::Skipped), BTreeSet::new(), "{}", report::text(&report));
    for endpoint in Endpoint::HOME {
        for check in ["auth.no_token", "auth.garbage_token", "auth.no_scope", "errors.problem_json", "latency"] {
            assert_eq!(verdict(&report, endpoint, check), Verdict::Pass, "{check} of {endpoint:?}");
        }
    }
    for (endpoint, check) in [
        (Endpoint::Token, "token.scopes"),
        (Endpoint::Token, "token.email"),
        (Endpoint::PersonsMe, "schema"),
        (Endpoint::CreateAssociation, "status"),
        (Endpoint::CreateAssociation, "create.association_id"),
        (Endpoint::CreateAssociation, "create.message"),
        (Endpoint::CreateAssociation, "create.missing_remote_state"),
        (Endpoint::GetAssociation, "get.expand"),
        (Endpoint::GetAssociation, "get.same_state"),
        (Endpoint::GetAssociation, "get.unknown_id"),
        (Endpoint::PatchAssociation, "status"),
        (Endpoint::PatchAssociation, "cleanup"),
        (Endpoint::Sis, "sis.code"),
    ] {
        assert_eq!(verdict(&report, endpoint, check), Verdict::Pass, "{check} of {endpoint:?}");
    }
    assert_eq!(verdict(&report, Endpoint::PatchAssociation, "patch.receiver_style"), Verdict::Info);
    assert_eq!(report.problem_dialect.as_deref(), Some("v5 (status a string)"));
    // The association the check created is canceled at home.
    assert_eq!(report.created.len(), 1);
    let at_home = e.sandbox.ooapi_associations();
    let created = at_home.iter().find(|a| a.id == report.created[0]).expect("created at home");
    assert_eq!(created.remote_state.as_str(), "canceled");
    let token_facts = report.token.as_ref().unwrap();
    assert_eq!(token_facts.active, Some(true));
    assert!(token_facts.missing_scopes.is_empty());
}

/// Each broken mode fails exactly what it breaks, and nothing else.
#[tokio::test]
async fn each_broken_home_fails_exactly_its_checks() {
    let e = env().await;
    our_home(&e, OOAPI_RESOURCE_CLIENT_SECRET);
    let (token, no_scope) = tokens(&e);
    let every = |check: &'static str| Endpoint::HOME.iter().map(move |e| (*e, check)).collect::<Vec<_>>();
    // (mode, the checks it fails, the checks it warns about)
    type Cells<'a> = Vec<(Endpoint, &'a str)>;
    let cases: Vec<(OoapiFault, Cells, Cells)> = vec![
        (OoapiFault::NoScopeCheck, every("auth.no_scope"), vec![]),
        (OoapiFault::PostAnswers200, vec![], vec![(Endpoint::CreateAssociation, "status")]),
        (OoapiFault::RandomState, vec![(Endpoint::GetAssociation, "get.same_state")], vec![]),
        (OoapiFault::No404, vec![(Endpoint::GetAssociation, "get.unknown_id")], vec![]),
        (OoapiFault::HtmlErrors, every("errors.problem_json"), vec![]),
        (OoapiFault::NumericProblemStatus, every("errors.problem_json"), vec![]),
        (
            OoapiFault::BrokenSis,
            vec![
                (Endpoint::Sis, "sis.http_status"),
                (Endpoint::Sis, "sis.code"),
                (Endpoint::Sis, "sis.message"),
                (Endpoint::Sis, "sis.redirect"),
            ],
            vec![],
        ),
        (OoapiFault::Slow(Duration::from_millis(150)), vec![], every("latency")),
    ];
    let mut created = Vec::new();
    for (fault, fails, warns) in cases {
        e.sandbox.ooapi_set_fault(fault);
        let mut req = request(&token, Some(&no_scope));
        req.slow_after = Some(Duration::from_millis(100));
        if !matches!(fault, OoapiFault::Slow(_)) {
            req.slow_after = None;
        }
        let report = run(&e, &req).await;
        created.extend(report.created.clone());
        assert_eq!(with(&report, Verdict::Fail), set(&fails), "{fault:?}:\n{}", report::text(&report));
        assert_eq!(with(&report, Verdict::Warn), set(&warns), "{fault:?}:\n{}", report::text(&report));
        assert_eq!(report.passed(), fails.is_empty());
        if fault == OoapiFault::NumericProblemStatus {
            assert_eq!(report.problem_dialect.as_deref(), Some("v6 (status an integer)"));
            let it = report.items.iter().find(|i| i.check == "errors.problem_json").unwrap();
            assert!(it.detail.contains("as OOAPI v6 writes it"), "{}", it.detail);
        }
        if fault == OoapiFault::HtmlErrors {
            let it = report.items.iter().find(|i| i.check == "errors.problem_json").unwrap();
            assert!(it.detail.contains("a web page"), "{}", it.detail);
        }
    }
    e.sandbox.ooapi_set_fault(OoapiFault::None);
    // Whatever broke, every test association the check created (also those a scope-less token
    // should never have made) was canceled.
    assert!(created.len() >= 9, "one per run, and the scope-less POST's: {created:?}");
    let left: Vec<_> =
        e.sandbox.ooapi_associations().into_iter().filter(|a| created.contains(&a.id) && a.remote_state.as_str() != "canceled").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[tokio::test]
async fn introspection_tells_refused_credentials_from_an_inactive_token_and_a_missing_scope() {
    let e = env().await;
    let (token, no_scope) = tokens(&e);
    let cancel = CancellationToken::new();

    // Our resource server's credentials refused: 401, nothing said about the token.
    let profile = our_home(&e, "not-the-resource-secret");
    let r = check::introspect(&e.cw, &profile, &SecretString::new(&token), "pasted", &cancel).await.unwrap();
    assert!(r.facts.is_none());
    assert_eq!(r.items.len(), 1);
    assert_eq!(r.items[0].verdict, Verdict::Fail);
    assert!(r.items[0].detail.contains("refused our resource server's credentials (401)"), "{}", r.items[0].detail);

    let profile = our_home(&e, OOAPI_RESOURCE_CLIENT_SECRET);
    // A token without the institution scopes: active, scopes missing, and named.
    let r = check::introspect(&e.cw, &profile, &SecretString::new(&no_scope), "pasted", &cancel).await.unwrap();
    let facts = r.facts.clone().unwrap();
    assert_eq!(facts.active, Some(true));
    assert_eq!(facts.missing_scopes, vec![format!("{OOAPI_SCHAC_HOME}/persons"), format!("{OOAPI_SCHAC_HOME}/results")]);
    let scopes = r.items.iter().find(|i| i.check == "token.scopes").unwrap();
    assert_eq!(scopes.verdict, Verdict::Fail);
    assert!(scopes.hint.as_deref().unwrap().contains(&format!("{OOAPI_SCHAC_HOME}/persons {OOAPI_SCHAC_HOME}/results")));

    // A client's own token: active, but no e-mail to find the student by.
    let r = check::introspect(
        &e.cw,
        &profile,
        &check::resolve_token(&e.cw, &TokenSource::Connection(PROFILE.into())).await.unwrap().0,
        "client",
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(r.items.iter().find(|i| i.check == "token.email").unwrap().verdict, Verdict::Fail);

    // The same token once expired: `active: false`.
    e.sandbox.ooapi_advance(i64::try_from(OOAPI_TOKEN_LIFETIME_SECS).unwrap() + 60);
    let r = check::introspect(&e.cw, &profile, &SecretString::new(&token), "pasted", &cancel).await.unwrap();
    assert_eq!(r.facts.unwrap().active, Some(false));
    let active = r.items.iter().find(|i| i.check == "token.active").unwrap();
    assert_eq!(active.verdict, Verdict::Fail);
    assert!(active.detail.contains("not active"));
    assert_eq!(r.items.iter().find(|i| i.check == "token.introspection").unwrap().verdict, Verdict::Pass);
}

#[tokio::test]
async fn without_a_scope_less_token_or_sis_url_those_checks_say_not_checked() {
    let e = env().await;
    let mut profile = our_home(&e, OOAPI_RESOURCE_CLIENT_SECRET);
    if let ProfileSettings::Ooapi(o) = &mut profile.settings {
        o.sis_url = None;
    }
    e.cw.add_demo_profile(
        profile,
        vec![
            (SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET)),
            (SecretField::IntrospectionSecret, SecretString::new(OOAPI_RESOURCE_CLIENT_SECRET)),
        ],
    );
    let (token, _) = tokens(&e);
    let report = run(&e, &request(&token, None)).await;
    let skipped = with(&report, Verdict::Skipped);
    let mut expected: Vec<(Endpoint, &str)> = Endpoint::HOME.iter().map(|e| (*e, "auth.no_scope")).collect();
    expected.push((Endpoint::Sis, "sis.http_status"));
    assert_eq!(skipped, set(&expected));
    assert!(report.passed(), "skipped is not failed:\n{}", report::text(&report));
}

#[tokio::test]
async fn reports_hold_no_token_and_the_next_run_shows_what_changed() {
    let e = env().await;
    our_home(&e, OOAPI_RESOURCE_CLIENT_SECRET);
    let (token, no_scope) = tokens(&e);
    let first = run(&e, &request(&token, Some(&no_scope))).await;
    assert!(first.diff.is_empty() && first.previous_run_at.is_none());
    e.sandbox.ooapi_set_fault(OoapiFault::No404);
    let second = run(&e, &request(&token, Some(&no_scope))).await;
    e.sandbox.ooapi_set_fault(OoapiFault::None);
    assert_eq!(second.previous_run_at.as_deref(), Some(first.started_at.as_str()));
    assert_eq!(second.diff.len(), 1, "{:?}", second.diff);
    assert_eq!(second.diff[0].check, "get.unknown_id");
    assert_eq!((second.diff[0].before, second.diff[0].after), (Some(Verdict::Pass), Some(Verdict::Fail)));

    let out = tempfile::tempdir().unwrap();
    for name in ["report.html", "report.json", "report.xml"] {
        let path = out.path().join(name);
        report::save(&second, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for secret in [token.as_str(), no_scope.as_str(), OOAPI_RESOURCE_CLIENT_SECRET, OOAPI_CLIENT_SECRET] {
            assert!(!text.contains(secret), "{name} holds a secret");
        }
        assert!(text.contains("get.unknown_id") || text.contains("Unknown id"), "{name} shows the failure");
    }
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("[token]"), "the exchanges are shown, with the token blanked out");
    assert!(!html.contains("<script"), "self-contained and inert");
    let junit = std::fs::read_to_string(out.path().join("report.xml")).unwrap();
    assert!(junit.contains("<failure message=\"Answered 200 for an association that does not exist"));
    assert!(report::save(&second, &out.path().join("report.pdf")).is_err());
    // Nor does the database, where the runs are kept.
    let db = dir_text(e.dir.path());
    for secret in [&token, &no_scope] {
        assert!(!db.contains(secret.as_str()), "the data folder holds a token");
    }
}

#[tokio::test]
async fn a_cancelled_check_still_cancels_the_association_it_created() {
    let e = env().await;
    our_home(&e, OOAPI_RESOURCE_CLIENT_SECRET);
    let (token, no_scope) = tokens(&e);
    let seeded: BTreeSet<String> = e.sandbox.ooapi_associations().into_iter().map(|a| a.id).collect();
    e.sandbox.ooapi_set_fault(OoapiFault::Slow(Duration::from_millis(250)));
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let post_count = e.sandbox.ooapi_post_count();
    let stopper = async {
        // Stop once the test association exists at home, in the middle of the checks.
        while e.sandbox.ooapi_post_count() == post_count {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        stop.cancel();
    };
    let req = request(&token, Some(&no_scope));
    let (result, ()) = tokio::join!(check::run(&e.cw, &req, &cancel), stopper);
    assert!(matches!(result, Err(crosswalk_core::Error::Cancelled)), "{result:?}");
    e.sandbox.ooapi_set_fault(OoapiFault::None);
    let created: Vec<_> = e.sandbox.ooapi_associations().into_iter().filter(|a| !seeded.contains(&a.id)).collect();
    assert!(!created.is_empty(), "the check had created its test association");
    for a in created {
        assert_eq!(a.remote_state.as_str(), "canceled", "{a:?}");
    }
}
