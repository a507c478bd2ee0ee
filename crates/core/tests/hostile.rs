//! Hostile and broken servers, met by every client (Open edX mapping, its token endpoint,
//! OpenLearning, an OOAPI home institution): an endless or 1 GiB body is refused at the cap with
//! memory kept flat, a body trickling one byte a second times out, JSON nested 100,000 deep and an
//! HTML sign-in page are explained, a redirect to another host is refused before anything reaches
//! that host, and a mapping `next` link that loops or leaves the LMS is refused instead of being
//! read as a shorter answer.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{env, openedx_profile, register, Env};
use crosswalk_core::connection::{ApiKeyStyle, ClientAuth, OoapiTransport, ProfileSettings, SecretField, TokenType};
use crosswalk_core::enrollments::{self, CreateRequest};
use crosswalk_core::lookup::{self, LookupMode, LookupRequest};
use crosswalk_core::openedx::MappingsClient;
use crosswalk_core::openlearning;
use crosswalk_core::retry::RetryPolicy;
use crosswalk_core::secret::SecretString;
use crosswalk_sandbox::openlearning::OPENLEARNING_API_KEY;
use crosswalk_sandbox::{HostileFault, Knobs, OOAPI_CLIENT_SECRET, OOAPI_RECEIVER_PASSWORD, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use serde_json::json;
use tokio_util::sync::CancellationToken;

const P: &str = "saml-demo-univ";

/// The clients a hostile server is met by.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Client {
    /// `lookup::live` through the mapping API (the token endpoint answers well).
    Mapping,
    /// The Open edX token endpoint (the mapping API is never reached).
    Token,
    /// OpenLearning's user search.
    OpenLearning,
    /// Reading an association from an OOAPI home institution.
    Ooapi,
}

const CLIENTS: [Client; 4] = [Client::Mapping, Client::Token, Client::OpenLearning, Client::Ooapi];

/// A sandbox with one profile per client, retries cut to two attempts so a failure is quick, and
/// an OOAPI association created while the home side still answers well.
async fn world() -> (Env, String) {
    let mut e = env().await;
    e.cw.retry = RetryPolicy { max_attempts: 2, base: Duration::from_millis(10), cap: Duration::from_millis(50) };
    register(
        &e.cw,
        openedx_profile("lms", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    e.cw.add_demo_profile(
        common::openlearning_profile(&e.sandbox, "ol", ApiKeyStyle::Header),
        vec![(SecretField::ApiKey, SecretString::new(OPENLEARNING_API_KEY))],
    );
    let settings = ProfileSettings::Ooapi(common::ooapi_settings(&e.sandbox, OoapiTransport::Direct));
    e.cw.add_demo_profile(
        common::test_profile("home", "Home", settings),
        vec![
            (SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET)),
            (SecretField::ReceiverPassword, SecretString::new(OOAPI_RECEIVER_PASSWORD)),
        ],
    );
    let mut offering = e.sandbox.ooapi_offerings()[0].to_json();
    offering["primaryCode"]["code"] = json!("HOSTILE-1");
    let person = e.sandbox.ooapi_persons()[0].person_id.clone();
    let created = enrollments::create(
        &e.cw,
        &CreateRequest {
            profile_id: "home".into(),
            person_id: person,
            offering: json!({
                "offering": offering,
                "issuer": {
                    "primaryCode": {"codeType": "schacHome", "code": "host.example.edu"},
                    "organizationType": "root",
                    "name": [{"language": "en", "value": "Host University"}],
                    "shortName": "HOST"
                }
            }),
            remote_state: None,
            person_name: None,
            person_email: None,
        },
        &CancellationToken::new(),
    )
    .await
    .expect("the association is created while the home side answers well");
    (e, created.association.id.to_string())
}

/// Sets `hostile` on the paths `client` calls (the token endpoint only for [`Client::Token`]).
fn aim(e: &Env, client: Client, hostile: HostileFault) {
    // A fresh token for every call, so the token endpoint is met when it is the one aimed at.
    e.cw.forget_profile("lms");
    let (path, on_token) = match client {
        Client::Mapping => ("/third_party_auth/", false),
        Client::Token => ("/oauth2/access_token", true),
        Client::OpenLearning => ("/openlearning/api/", false),
        Client::Ooapi => ("/ooapi/home/associations/", false),
    };
    e.sandbox.set_knobs(Knobs {
        hostile: Some(hostile),
        faults_path_contains: Some(path.into()),
        faults_on_token_endpoint: on_token,
        ..Knobs::default()
    });
}

/// Makes `client`'s call and returns its error, in the words the user sees.
async fn call(e: &Env, client: Client, association: &str) -> String {
    let cancel = CancellationToken::new();
    let outcome = match client {
        Client::Mapping | Client::Token => {
            let req = LookupRequest {
                profile_id: "lms".into(),
                providers: vec![P.into()],
                ids: vec!["someone".into()],
                mode: LookupMode::Username,
                chunk_size: None,
                concurrency: None,
            };
            match lookup::live(&e.cw, &req, |_| {}, &cancel).await {
                Ok(r) if !r.errors.is_empty() => Err(format!("{:?}", r.errors)),
                Ok(r) => Ok(format!("{r:?}")),
                Err(err) => Err(err.to_string()),
            }
        }
        Client::OpenLearning => {
            openlearning::find_user(&e.cw, "ol", "ext-1", &cancel).await.map(|u| format!("{u:?}")).map_err(|e| e.to_string())
        }
        Client::Ooapi => enrollments::refresh(&e.cw, association, &cancel).await.map(|d| format!("{d:?}")).map_err(|e| e.to_string()),
    };
    match outcome {
        Ok(answer) => panic!("{client:?}: a hostile server's answer was taken as an answer: {answer:.300}"),
        Err(message) => message,
    }
}

fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[tokio::test]
async fn an_endless_or_huge_body_is_refused_at_the_cap_and_memory_stays_flat() {
    let (e, association) = world().await;
    let before = peak_rss_mib();
    for client in CLIENTS {
        for hostile in [HostileFault::EndlessBody, HostileFault::HugeBody] {
            aim(&e, client, hostile.clone());
            let started = Instant::now();
            let message = call(&e, client, &association).await;
            assert!(message.contains("larger than"), "{client:?} {hostile:?}: {message}");
            assert!(started.elapsed() < Duration::from_secs(10), "{client:?} {hostile:?} took {:?}", started.elapsed());
        }
    }
    let grown = peak_rss_mib().saturating_sub(before);
    // Each refusal holds at most the cap (16 MiB, 1 MiB for a token answer) before letting go;
    // reading on would grow by gigabytes in the seconds the endless body is served.
    assert!(grown < 200, "peak memory grew by {grown} MiB while refusing endless bodies");
}

#[tokio::test]
async fn a_body_trickling_one_byte_a_second_times_out() {
    let (e, association) = world().await;
    let mut profile = e.cw.profile("lms").unwrap();
    profile.network.total_timeout_secs = 2;
    e.cw.add_demo_profile(profile, vec![(SecretField::ClientSecret, SecretString::new(STAFF_CLIENT_SECRET))]);
    let mut profile = e.cw.profile("ol").unwrap();
    profile.network.total_timeout_secs = 2;
    e.cw.add_demo_profile(profile, vec![(SecretField::ApiKey, SecretString::new(OPENLEARNING_API_KEY))]);
    let mut profile = e.cw.profile("home").unwrap();
    profile.network.total_timeout_secs = 2;
    e.cw.add_demo_profile(
        profile,
        vec![
            (SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET)),
            (SecretField::ReceiverPassword, SecretString::new(OOAPI_RECEIVER_PASSWORD)),
        ],
    );
    for client in CLIENTS {
        aim(&e, client, HostileFault::Trickle { interval_ms: 1_000 });
        let started = Instant::now();
        let message = call(&e, client, &association).await;
        assert!(message.contains("timed out"), "{client:?}: {message}");
        assert!(started.elapsed() < Duration::from_secs(15), "{client:?} took {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn json_nested_100000_deep_is_explained_not_a_crash() {
    let (e, association) = world().await;
    for client in CLIENTS {
        aim(&e, client, HostileFault::DeepJson { depth: 100_000 });
        let message = call(&e, client, &association).await;
        // A reader of a typed answer skips the unknown field without recursing (serde_json keeps
        // its own stack) and names the missing fields; a reader of any JSON stops at depth 128.
        let expected: &[&str] = match client {
            Client::Mapping => &["not the answer expected: missing field"],
            Client::Token => &["not an OAuth2 token"],
            Client::OpenLearning | Client::Ooapi => &["nested more than 128 levels"],
        };
        assert!(expected.iter().any(|x| message.contains(x)), "{client:?}: {message}");
    }
}

#[tokio::test]
async fn an_html_sign_in_page_is_named_a_web_page_not_the_api() {
    let (e, association) = world().await;
    for client in CLIENTS {
        aim(&e, client, HostileFault::HtmlLoginPage);
        let message = call(&e, client, &association).await;
        assert!(message.contains("web page"), "{client:?}: {message}");
    }
}

/// A server on another port (another origin) that counts the connections it gets.
async fn elsewhere() -> (String, Arc<AtomicU32>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let hits = Arc::new(AtomicU32::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            use tokio::io::AsyncWriteExt;
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}").await;
        }
    });
    (url, hits)
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_nothing_reaches_that_host() {
    let (e, association) = world().await;
    let (other, hits) = elsewhere().await;
    for client in CLIENTS {
        aim(&e, client, HostileFault::RedirectTo { location: format!("{other}/steal") });
        let message = call(&e, client, &association).await;
        assert!(message.contains("redirected"), "{client:?}: {message}");
        assert!(message.contains(&other), "{client:?}: the message names where it was sent: {message}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "no client connected to the other host");
}

#[tokio::test]
async fn a_next_link_that_loops_or_leaves_the_lms_is_refused_not_read_as_a_short_answer() {
    let (e, _) = world().await;
    let (other, hits) = elsewhere().await;
    let profile = e.cw.profile("lms").unwrap();
    let truth = e.sandbox.data().mappings(P);
    let usernames = vec![truth[0].username.clone()];
    for (hostile, expected) in
        [(HostileFault::NextLoop, "loop"), (HostileFault::NextElsewhere { base: other.clone() }, "points at another server")]
    {
        aim(&e, Client::Mapping, hostile.clone());
        let client = MappingsClient::new(&e.cw, &profile);
        let err = client.filtered(P, &usernames, &[], &CancellationToken::new()).await.unwrap_err().to_string();
        assert!(err.contains(expected), "{hostile:?}: {err}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the token never went to the other host");
}
