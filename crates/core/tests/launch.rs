//! OpenLearning launches against the sandbox's simulator: finding users, the signed round trip
//! (signature, single use), both envelopes and key styles, the errors and what they tell the user,
//! the one-shot page (one GET, then 410; expiry; loopback only), and that no launch parameter
//! reaches the database, the logs, Activity or what the app shows.

mod common;

use std::time::Duration;

use common::{dir_text, env, Env};
use crosswalk_core::activity::ActivityQuery;
use crosswalk_core::connection::{ApiKeyStyle, SecretField};
use crosswalk_core::openlearning::{self, html, LaunchRequest, SignedLaunch, UserRef};
use crosswalk_core::secret::SecretString;
use crosswalk_sandbox::openlearning::{
    OPENLEARNING_API_KEY, OPENLEARNING_CLASS_INTRO_DATA, OPENLEARNING_LINKED_CONTEXT, OPENLEARNING_NON_MEMBER_USER_ID,
    OPENLEARNING_USER_WITHOUT_EXTERNAL_ID,
};
use crosswalk_sandbox::OpenLearningEnvelope;

/// A cancellation token that never fires.
fn go() -> tokio_util::sync::CancellationToken {
    tokio_util::sync::CancellationToken::new()
}

fn add(e: &Env, id: &str, key: &str, style: ApiKeyStyle) {
    e.cw.add_demo_profile(common::openlearning_profile(&e.sandbox, id, style), vec![(SecretField::ApiKey, SecretString::new(key))]);
}

fn request(profile: &str, user: UserRef, class: Option<&str>, context: Option<&str>) -> LaunchRequest {
    LaunchRequest {
        profile_id: profile.into(),
        user,
        class_id: class.map(Into::into),
        context_id: context.map(Into::into),
        email: None,
        full_name: Some("Ann \"O'Neil\" <b>".into()),
    }
}

/// Posts the launch as a browser would.
async fn post(launch: &SignedLaunch) -> (u16, String) {
    let r = reqwest::Client::new().post(launch.action.clone()).form(&launch.params).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn finds_a_user_by_external_id_launches_once_and_refuses_a_replay() {
    let e = env().await;
    add(&e, "ol", OPENLEARNING_API_KEY, ApiKeyStyle::Header);
    let user = e.sandbox.openlearning_users().into_iter().find(|u| u.external_id.is_some()).unwrap();
    let external = user.external_id.clone().unwrap();

    let found = openlearning::find_user(&e.cw, "ol", &external, &go()).await.unwrap();
    assert_eq!(found.user_id, user.id);
    assert_eq!(found.full_name.as_deref(), Some(user.full_name.as_str()));
    let known = openlearning::known_users(&e.cw, "ol").unwrap();
    assert_eq!((known[0].external_id.as_str(), known[0].user_id.as_str()), (external.as_str(), user.id.as_str()));

    let (launch, summary) = openlearning::sign_on(
        &e.cw,
        &request("ol", UserRef::ExternalId(external.clone()), Some(OPENLEARNING_CLASS_INTRO_DATA), None),
        &go(),
    )
    .await
    .unwrap();
    assert_eq!(summary.user_id, user.id);
    assert!(summary.params.iter().any(|p| p.name == "oauth_signature" && p.masked && p.value == "••••••"));
    let signature = launch.params.iter().find(|(k, _)| k == "oauth_signature").unwrap().1.clone();
    assert!(!serde_json::to_string(&summary).unwrap().contains(&signature), "what the app shows never carries the signature");

    let (status, page) = post(&launch).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&format!("Signed in as {}", user.full_name)), "{page}");
    assert!(page.contains("enrolled in"), "{page}");
    let (status, page) = post(&launch).await;
    assert_eq!(status, 409, "a launch works once: {page}");
    assert!(page.contains("already been used"), "{page}");
    assert_eq!(e.sandbox.openlearning_launches().len(), 1);
}

#[tokio::test]
async fn either_key_style_and_either_envelope_work_and_the_context_id_wins() {
    let e = env().await;
    add(&e, "query", OPENLEARNING_API_KEY, ApiKeyStyle::Query);
    e.sandbox.set_openlearning_envelope(OpenLearningEnvelope::Data);
    let user = &e.sandbox.openlearning_users()[0];
    let (launch, summary) = openlearning::sign_on(
        &e.cw,
        &request("query", UserRef::UserId(user.id.clone()), Some(OPENLEARNING_CLASS_INTRO_DATA), Some(OPENLEARNING_LINKED_CONTEXT)),
        &go(),
    )
    .await
    .unwrap();
    assert!(summary.notes[0].contains("context id"), "{:?}", summary.notes);
    assert!(launch.params.iter().any(|(k, v)| k == "context_id" && v == OPENLEARNING_LINKED_CONTEXT));
    let (status, page) = post(&launch).await;
    assert_eq!(status, 200, "{page}");
}

#[tokio::test]
async fn errors_say_what_to_do() {
    let e = env().await;
    add(&e, "ol", OPENLEARNING_API_KEY, ApiKeyStyle::Header);
    add(&e, "wrong", "not-the-key", ApiKeyStyle::Header);
    let users = e.sandbox.openlearning_users();
    let err = |r: crosswalk_core::Result<_>| r.map(|_: (SignedLaunch, _)| ()).unwrap_err().to_string();

    let bad_key = err(openlearning::sign_on(&e.cw, &request("wrong", UserRef::UserId(users[0].id.clone()), None, None), &go()).await);
    assert!(bad_key.contains("refused the API key (401)") && bad_key.contains("Connections"), "{bad_key}");
    assert!(!bad_key.contains("not-the-key"));

    let non_member =
        err(openlearning::sign_on(&e.cw, &request("ol", UserRef::UserId(OPENLEARNING_NON_MEMBER_USER_ID.into()), None, None), &go()).await);
    assert!(non_member.contains("(404)") && non_member.contains("managed user"), "{non_member}");

    let no_external =
        err(openlearning::sign_on(&e.cw, &request("ol", UserRef::UserId(OPENLEARNING_USER_WITHOUT_EXTERNAL_ID.into()), None, None), &go())
            .await);
    assert!(no_external.contains("external ID"), "{no_external}");

    let unknown = openlearning::find_user(&e.cw, "ol", "s0000000-nobody", &go()).await.unwrap_err().to_string();
    assert!(unknown.contains("no OpenLearning user with external id"), "{unknown}");
    let empty = openlearning::find_user(&e.cw, "ol", "  ", &go()).await.unwrap_err().to_string();
    assert!(empty.contains("Type the learner's external id"), "{empty}");
}

#[tokio::test]
async fn the_one_shot_page_answers_once_then_410_and_expires() {
    let e = env().await;
    add(&e, "ol", OPENLEARNING_API_KEY, ApiKeyStyle::Header);
    let user = &e.sandbox.openlearning_users()[0];
    let req = request("ol", UserRef::UserId(user.id.clone()), Some(OPENLEARNING_CLASS_INTRO_DATA), None);
    let (url, summary) = openlearning::serve_once(&e.cw, &req, Duration::from_secs(60), &go()).await.unwrap();
    assert!(summary.expires_at.is_some());
    assert!(e.cw.oneshot().await.unwrap().local_addr().ip().is_loopback(), "bound to 127.0.0.1 only");
    assert_eq!(url.host_str(), Some("127.0.0.1"));
    assert!(url.path().len() > "/launch/".len() + 40, "an unguessable path: {url}");

    let http = reqwest::Client::new();
    let first = http.get(url.clone()).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-store");
    assert!(first.headers()["content-security-policy"].to_str().unwrap().contains("form-action http://127.0.0.1"));
    let page = first.text().await.unwrap();
    assert!(page.contains("name=\"oauth_signature\"") && page.contains(html::SUBMIT_SCRIPT));
    assert!(page.contains("Ann &quot;O&#39;Neil&quot; &lt;b&gt;"), "values are escaped: {page}");
    assert_eq!(http.get(url.clone()).send().await.unwrap().status(), 410, "second GET");

    // Another path on the same server is unknown; a page reached under another host name gets nothing.
    let mut other = url.clone();
    other.set_path("/launch/guess");
    assert_eq!(http.get(other).send().await.unwrap().status(), 404);
    let (url2, _) = openlearning::serve_once(&e.cw, &req, Duration::from_secs(60), &go()).await.unwrap();
    let rebound = http.get(url2.clone()).header("Host", "evil.example").send().await.unwrap();
    assert_eq!(rebound.status(), 421);
    assert_eq!(http.get(url2).send().await.unwrap().status(), 200, "the refused request did not use the page up");

    let (url3, _) = openlearning::serve_once(&e.cw, &req, Duration::from_millis(150), &go()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let expired = http.get(url3).send().await.unwrap();
    assert_eq!(expired.status(), 410);
    assert!(expired.text().await.unwrap().contains("expired"));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_launch_parameter_reaches_the_database_the_logs_or_activity() {
    let e = env().await;
    let guard = crosswalk_core::logging::init(&e.cw.dirs.logs, "launch-leak-test", false).unwrap();
    add(&e, "ol", OPENLEARNING_API_KEY, ApiKeyStyle::Query);
    let users = e.sandbox.openlearning_users();
    let mut secrets = Vec::new();
    for u in users.iter().filter(|u| u.external_id.is_some()).take(3) {
        let req = request("ol", UserRef::ExternalId(u.external_id.clone().unwrap()), Some(OPENLEARNING_CLASS_INTRO_DATA), None);
        let (launch, _) = openlearning::sign_on(&e.cw, &req, &go()).await.unwrap();
        for (k, v) in &launch.params {
            if openlearning::is_secret_param(k) {
                secrets.push(v.clone());
            }
        }
        let (url, _) = openlearning::serve_once(&e.cw, &req, Duration::from_secs(60), &go()).await.unwrap();
        secrets.push(url.path().trim_start_matches("/launch/").to_string());
        tracing::info!(launch = ?launch, "debug output of a launch");
    }
    let activity = serde_json::to_string(&e.cw.activity.list(&ActivityQuery::default()).unwrap()).unwrap();
    assert!(activity.contains("Launch"), "Activity records launches: {activity}");
    drop(guard);
    let disk = dir_text(e.dir.path());
    assert_eq!(secrets.len(), 9);
    for s in &secrets {
        assert!(!disk.contains(s.as_str()), "a launch secret reached the data folder");
        assert!(!activity.contains(s.as_str()), "a launch secret reached Activity");
    }
    assert!(!disk.contains(OPENLEARNING_API_KEY), "the API key (sent in the query) reached the data folder");
}

#[tokio::test]
async fn a_launch_waiting_on_openlearning_stops_when_cancelled() {
    use crosswalk_sandbox::{HostileFault, Knobs};
    let e = env().await;
    add(&e, "ol", OPENLEARNING_API_KEY, ApiKeyStyle::Header);
    let user = e.sandbox.openlearning_users()[0].clone();
    // OpenLearning answers one byte a second: without a cancel the call would wait for its timeout.
    e.sandbox.set_knobs(Knobs {
        hostile: Some(HostileFault::Trickle { interval_ms: 1_000 }),
        faults_path_contains: Some("/openlearning/api/".into()),
        ..Knobs::default()
    });
    let cancel = tokio_util::sync::CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stopper.cancel();
    });
    let started = std::time::Instant::now();
    let launch = openlearning::sign_on(&e.cw, &request("ol", UserRef::UserId(user.id.clone()), None, None), &cancel).await;
    assert!(matches!(launch, Err(crosswalk_core::Error::Cancelled)), "{launch:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "stopped at once, not at the timeout: {:?}", started.elapsed());

    let cancel = tokio_util::sync::CancellationToken::new();
    cancel.cancel();
    let found = openlearning::find_user(&e.cw, "ol", "ext-1", &cancel).await;
    assert!(matches!(found, Err(crosswalk_core::Error::Cancelled)), "{found:?}");
    assert!(openlearning::known_users(&e.cw, "ol").unwrap().is_empty(), "a cancelled lookup remembers nobody");
}
