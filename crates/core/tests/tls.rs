//! HTTPS with generated certificates (`rcgen`): a local TLS front before the sandbox LMS, with a
//! leaf certificate from a private CA. An unknown issuer, an expired certificate and a wrong host
//! name each get their own plain-words diagnosis; the private CA works once its PEM bundle is the
//! connection's extra CA file; the certificate's expiry is read from the live connection. There
//! is no switch that turns verification off.

mod common;

use std::sync::Arc;

use common::{env, openedx_profile, register, Env};
use crosswalk_core::connection::{ClientAuth, Profile, TokenType};
use crosswalk_core::openedx::MappingsClient;
use crosswalk_core::remote::Request;
use crosswalk_sandbox::{STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
use tokio_util::sync::CancellationToken;

const P: &str = "saml-demo-univ";

/// A private certificate authority.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

impl Ca {
    fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, "Crosswalk Test University CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Self { cert, key }
    }

    /// A server certificate for `name`, valid from `not_before` to `not_after`.
    fn leaf(&self, name: &str, not_before: OffsetDateTime, not_after: OffsetDateTime) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let mut params = CertificateParams::new(vec![name.to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.not_before = not_before;
        params.not_after = not_after;
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        (cert.der().clone(), PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
    }

    /// The CA as a PEM file, as an organisation hands it to its IT staff.
    fn bundle(&self, dir: &std::path::Path) -> String {
        let path = dir.join("university-ca.pem");
        std::fs::write(&path, self.cert.pem()).unwrap();
        path.display().to_string()
    }
}

/// A TLS front at `https://localhost:PORT` that presents `leaf` and passes the decrypted bytes
/// to the sandbox. Returns the front's base URL for the LMS.
async fn tls_front(e: &Env, leaf: (CertificateDer<'static>, PrivateKeyDer<'static>)) -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.0], leaf.1)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = url::Url::parse(&e.sandbox.openedx_url()).unwrap();
    let backend_addr = format!("{}:{}", backend.host_str().unwrap(), backend.port().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, backend_addr) = (acceptor.clone(), backend_addr.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let Ok(mut plain) = tokio::net::TcpStream::connect(&backend_addr).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    format!("https://localhost:{port}{}", backend.path().trim_end_matches('/'))
}

fn lms(e: &Env, base_url: &str, extra_ca: Option<String>) -> Profile {
    let mut profile = openedx_profile("tls", base_url, STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]);
    profile.network.extra_ca_file = extra_ca;
    register(&e.cw, profile, STAFF_CLIENT_SECRET)
}

/// One filtered lookup of a known learner through the front.
async fn lookup(e: &Env, profile: &Profile) -> crosswalk_core::Result<usize> {
    let username = e.sandbox.data().mappings(P)[0].username.clone();
    let client = MappingsClient::new(&e.cw, profile);
    client.filtered(P, &[username], &[], &CancellationToken::new()).await.map(|(rows, _)| rows.len())
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

#[tokio::test]
async fn a_private_ca_is_refused_until_its_bundle_is_added_then_the_call_works_and_the_expiry_is_read() {
    let e = env().await;
    let ca = Ca::new();
    let not_after = (now() + Duration::days(20)).replace_nanosecond(0).unwrap();
    let base = tls_front(&e, ca.leaf("localhost", now() - Duration::days(1), not_after)).await;

    let err = lookup(&e, &lms(&e, &base, None)).await.unwrap_err().to_string();
    assert!(err.contains("signed by an authority this computer does not trust"), "{err}");
    assert!(err.contains("extra CA bundle"), "the diagnosis says what to do: {err}");

    let profile = lms(&e, &base, Some(ca.bundle(e.dir.path())));
    assert_eq!(lookup(&e, &profile).await.unwrap(), 1, "the private CA is trusted once its bundle is added");

    let answer = e.cw.send(&profile, Request::get("The LMS", url::Url::parse(&format!("{base}/")).unwrap())).await.unwrap();
    let read = answer.cert_not_after.expect("the certificate's expiry is read from the connection");
    assert_eq!(read.timestamp(), not_after.unix_timestamp());
}

#[tokio::test]
async fn an_expired_certificate_is_named_as_expired() {
    let e = env().await;
    let ca = Ca::new();
    let base = tls_front(&e, ca.leaf("localhost", now() - Duration::days(400), now() - Duration::days(2))).await;
    let err = lookup(&e, &lms(&e, &base, Some(ca.bundle(e.dir.path())))).await.unwrap_err().to_string();
    assert!(err.contains("certificate has expired"), "{err}");
    assert!(!err.contains("does not trust"), "an expired certificate is not reported as an unknown issuer: {err}");
}

#[tokio::test]
async fn a_certificate_for_another_name_is_named_as_such() {
    let e = env().await;
    let ca = Ca::new();
    let base = tls_front(&e, ca.leaf("lms.other-university.example", now() - Duration::days(1), now() + Duration::days(90))).await;
    let err = lookup(&e, &lms(&e, &base, Some(ca.bundle(e.dir.path())))).await.unwrap_err().to_string();
    assert!(err.contains("certificate is for another name"), "{err}");
}

#[tokio::test]
async fn the_token_secret_never_travels_to_a_server_that_failed_verification() {
    // The token request is the first call; it fails at the handshake, before any byte of the
    // request (the Basic credentials) is written.
    let e = env().await;
    let ca = Ca::new();
    let base = tls_front(&e, ca.leaf("localhost", now() - Duration::days(1), now() + Duration::days(90))).await;
    e.sandbox.reset_stats();
    let _ = lookup(&e, &lms(&e, &base, None)).await.unwrap_err();
    assert_eq!(e.sandbox.stats().token_requests, 0, "nothing reached the LMS behind the untrusted certificate");
}

/// Certificate checks cannot be turned off: no code path builds a client that skips them.
#[test]
fn there_is_no_switch_that_turns_verification_off() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for needle in ["danger_accept_invalid", "dangerous()", "NoCertificateVerification", "ServerCertVerifier"] {
                    assert!(!text.contains(needle), "{} uses {needle}", path.display());
                }
            }
        }
    }
}
