//! "Test connection": each failure class gets its own plain explanation, and every check is
//! recorded in Activity.

mod common;

use common::{env, env_with, openedx_profile, register};
use crosswalk_core::activity::{ActivityQuery, Outcome};
use crosswalk_core::connection::{ClientAuth, TokenType};
use crosswalk_core::connection_check::check;
use crosswalk_core::retry::RetryPolicy;
use crosswalk_sandbox::{Knobs, SandboxConfig, RESTRICTED_CLIENT_ID, RESTRICTED_CLIENT_SECRET, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};

fn failed_detail(c: &crosswalk_core::connection_check::ConnectionCheck) -> String {
    assert!(!c.ok, "expected a failure: {c:?}");
    c.steps.iter().find(|s| !s.ok).map(|s| s.detail.clone()).unwrap()
}

#[tokio::test]
async fn success_reports_the_token_and_the_provider_count_and_is_recorded() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("ok", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-demo-univ"]),
        STAFF_CLIENT_SECRET,
    );
    let c = check(&e.cw, &p.id).await.unwrap();
    assert!(c.ok, "{c:?}");
    assert!(c.steps[0].detail.contains("JWT token"));
    let n = e.sandbox.providers().into_iter().find(|x| x.id == "saml-demo-univ").unwrap().mappings;
    assert!(c.steps[1].detail.contains(&format!("{n} learners")), "{:?}", c.steps[1]);
    let log = e.cw.activity.list(&ActivityQuery { action: Some("connection.test".into()), ..Default::default() }).unwrap();
    assert_eq!(log.total, 1);
    assert_eq!(log.entries[0].outcome, Outcome::Ok);
}

#[tokio::test]
async fn wrong_secret_is_a_401_invalid_client_explanation() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("w", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-demo-univ"]),
        "nope",
    );
    let c = check(&e.cw, &p.id).await.unwrap();
    let d = failed_detail(&c);
    assert!(d.contains("invalid_client") && d.contains("secret"), "{d}");
    let log = e.cw.activity.list(&ActivityQuery { outcome: Some(Outcome::Error), ..Default::default() }).unwrap();
    assert_eq!(log.total, 1);
}

#[tokio::test]
async fn forbidden_shows_the_tokens_scopes_and_filters() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("f", &e.sandbox.openedx_url(), RESTRICTED_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-partner"]),
        RESTRICTED_CLIENT_SECRET,
    );
    let c = check(&e.cw, &p.id).await.unwrap();
    let d = failed_detail(&c);
    assert!(d.contains("tpa_provider:saml-partner") && d.contains("tpa:read") && d.contains("tpa_provider:saml-demo-univ"), "{d}");
    assert!(c.claims.unwrap().filters.contains(&"tpa_provider:saml-demo-univ".to_string()));
}

#[tokio::test]
async fn unknown_provider_is_a_404_explanation() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("n", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-nowhere"]),
        STAFF_CLIENT_SECRET,
    );
    let d = failed_detail(&check(&e.cw, &p.id).await.unwrap());
    assert!(d.contains("no enabled provider \"saml-nowhere\""), "{d}");
}

#[tokio::test]
async fn a_wrong_base_url_that_answers_something_else_is_not_json() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile(
            "j",
            &format!("{}/elsewhere", e.sandbox.base_url()),
            STAFF_CLIENT_ID,
            TokenType::Jwt,
            ClientAuth::Basic,
            &["saml-demo-univ"],
        ),
        STAFF_CLIENT_SECRET,
    );
    let d = failed_detail(&check(&e.cw, &p.id).await.unwrap());
    assert!(d.contains("not an OAuth2 token") || d.contains("cannot read"), "{d}");
}

#[tokio::test]
async fn connection_refused_says_nothing_is_listening() {
    let e = env().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cw = e.cw.clone();
    cw.retry = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    let p = register(
        &cw,
        openedx_profile("cr", &format!("http://127.0.0.1:{port}"), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["x"]),
        "s",
    );
    let d = failed_detail(&check(&cw, &p.id).await.unwrap());
    assert!(d.contains("refused"), "{d}");
}

#[tokio::test]
async fn an_unknown_host_name_is_a_dns_explanation() {
    let e = env().await;
    let p = register(
        &e.cw,
        openedx_profile("dns", "https://lms.nonexistent.invalid", STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["x"]),
        "s",
    );
    let d = failed_detail(&check(&e.cw, &p.id).await.unwrap());
    assert!(d.contains("DNS") || d.contains("timed out"), "{d}");
}

#[tokio::test]
async fn tls_to_a_server_that_does_not_speak_it_is_a_secure_connection_failure() {
    let e = env().await;
    let addr = e.sandbox.local_addr();
    // https to the sandbox's plain-HTTP port: the TLS handshake fails.
    let p = register(
        &e.cw,
        openedx_profile("tls", &format!("https://{addr}/openedx"), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["x"]),
        "s",
    );
    let d = failed_detail(&check(&e.cw, &p.id).await.unwrap());
    assert!(d.contains("secure connection failed"), "{d}");
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_explanation() {
    let e = env_with(SandboxConfig { knobs: Knobs { latency_ms: 3_000, ..Knobs::default() }, ..SandboxConfig::default() }).await;
    let mut cw = e.cw.clone();
    cw.retry = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    let mut profile =
        openedx_profile("slow", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-demo-univ"]);
    profile.network.total_timeout_secs = 1;
    // Latency applies to API requests, not the token endpoint: the token arrives, the call times out.
    let p = register(&cw, profile, STAFF_CLIENT_SECRET);
    let d = failed_detail(&check(&cw, &p.id).await.unwrap());
    assert!(d.contains("timed out"), "{d}");
}

/// Every base URL field works typed either way: with or without the trailing slash.
#[tokio::test]
async fn base_urls_work_with_and_without_a_trailing_slash() {
    use crosswalk_core::connection::{ApiKeyStyle, NetworkSettings, OpenLearningSettings, Profile, ProfileSettings, SecretField};
    use crosswalk_core::secret::SecretString;
    use crosswalk_sandbox::openlearning::{OPENLEARNING_API_KEY, OPENLEARNING_INSTITUTION_ID};
    let e = env().await;
    let bare = e.sandbox.openedx_url();
    assert!(!bare.ends_with('/'));
    for (i, base) in [bare.clone(), format!("{bare}/")].into_iter().enumerate() {
        let p = register(
            &e.cw,
            openedx_profile(&format!("lms{i}"), &base, STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &["saml-demo-univ"]),
            STAFF_CLIENT_SECRET,
        );
        let c = check(&e.cw, &p.id).await.unwrap();
        assert!(c.ok, "Open edX base URL {base:?}: {c:?}");
        // The users endpoint (one learner's links, Bearer tokens only) is joined by the same rule.
        let bearer = register(
            &e.cw,
            openedx_profile(&format!("bearer{i}"), &base, STAFF_CLIENT_ID, TokenType::Bearer, ClientAuth::Basic, &["saml-demo-univ"]),
            STAFF_CLIENT_SECRET,
        );
        let someone = e.sandbox.mappings("saml-demo-univ")[0].username.clone();
        let links = crosswalk_core::learners::links(&e.cw, &bearer.id, &someone).await.unwrap();
        assert!(links.live_note.is_empty(), "{base:?}: {}", links.live_note);
        assert!(links.links.iter().any(|l| l.source == crosswalk_core::lookup::Source::Live), "{base:?}: {links:?}");
    }
    let bare = e.sandbox.openlearning_url();
    assert!(!bare.ends_with('/'));
    for (i, base) in [bare.clone(), format!("{bare}/")].into_iter().enumerate() {
        let id = format!("ol{i}");
        e.cw.add_demo_profile(
            Profile {
                id: id.clone(),
                name: format!("OpenLearning {i}"),
                settings: ProfileSettings::Openlearning(OpenLearningSettings {
                    base_url: base.clone(),
                    institution_id: OPENLEARNING_INSTITUTION_ID.into(),
                    api_key_style: ApiKeyStyle::Header,
                    user_lookup_path: None,
                }),
                network: NetworkSettings { connect_timeout_secs: 2, total_timeout_secs: 5, ..NetworkSettings::default() },
                secret_env: None,
                demo: true,
                created_at: String::new(),
                updated_at: String::new(),
            },
            vec![(SecretField::ApiKey, SecretString::new(OPENLEARNING_API_KEY))],
        );
        let c = check(&e.cw, &id).await.unwrap();
        assert!(c.ok, "OpenLearning base URL {base:?}: {c:?}");
    }
}
