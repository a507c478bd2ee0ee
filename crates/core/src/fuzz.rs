//! The fuzz targets' ways in: one function per parser of outside input, each running on raw bytes
//! what the app runs on a file someone dropped on it or on a server's answer. The `cargo fuzz`
//! targets in `fuzz/` call these, and `tests/fuzz_corpus.rs` replays the kept corpus and every
//! crash found through them in `make test`. A panic, a hang or an unbounded allocation in any of
//! them is a bug; an `Err` is the parser doing its job.
#![doc(hidden)]

use std::cell::RefCell;
use std::path::PathBuf;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use serde_json::Value;

use crate::connection::{ApiKeyStyle, NetworkSettings, OoapiSettings, OpenLearningSettings, Profile, ProfileSettings};
use crate::remote::Answer;

/// A fuzz target: outside bytes in, nothing out (a panic is the finding).
pub type Target = fn(&[u8]);

/// Every target, by name (the `fuzz/fuzz_targets/<name>.rs` files and corpus folders).
pub const TARGETS: &[(&str, Target)] = &[
    ("grade_report", grade_report),
    ("id_file", id_file),
    ("mapping_answer", mapping_answer),
    ("token_answer", token_answer),
    ("openlearning_answer", openlearning_answer),
    ("ooapi_answer", ooapi_answer),
    ("profile_import", profile_import),
    ("certificate", certificate),
];

thread_local! {
    static DIR: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

/// Installed by the file targets after libFuzzer's own hook (which aborts on every panic, caught or
/// not): a panic inside `spreadsheet::guarded`, which the app turns into a clear "the spreadsheet
/// looks damaged" error, unwinds to that guard as it does in the app; any other panic still aborts
/// and is a finding. The panic that the guard exists for is kept in `fuzz/regressions/`, and
/// `tests/fuzz_corpus.rs` checks that the app reports it as that error.
pub fn install_panic_hook() {
    let libfuzzer = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crate::spreadsheet::inside_guard() {
            libfuzzer(info);
        }
    }));
}

/// `data` written to a file called `name` in a scratch folder of this thread.
fn scratch(name: &str, data: &[u8]) -> PathBuf {
    DIR.with(|d| {
        let mut d = d.borrow_mut();
        let dir = d.get_or_insert_with(|| tempfile::tempdir().expect("a scratch folder"));
        let path = dir.path().join(name);
        std::fs::write(&path, data).expect("the scratch file is written");
        path
    })
}

/// The first byte chooses the file's extension (CSV, TSV, TXT or XLSX); the rest is the file.
fn split_ext(data: &[u8]) -> (&'static str, &[u8]) {
    let Some((&first, rest)) = data.split_first() else { return ("csv", data) };
    (["csv", "tsv", "txt", "xlsx"][usize::from(first % 4)], rest)
}

/// A grade report: recognised (encoding, delimiter, kind, columns), then read row by row.
pub fn grade_report(data: &[u8]) {
    let (ext, file) = split_ext(data);
    let path = scratch(&format!("report.{ext}"), file);
    let _ = crate::grades::inspect(&path);
    if let Ok(mut rows) = crate::grades::open_rows(&path) {
        let mut n = 0u64;
        while rows.next_row().is_some() {
            n += 1;
            assert!(n <= file.len() as u64 + 1, "more rows than bytes");
        }
    }
}

/// An id list (a CSV or spreadsheet of usernames or remote ids), as Learners reads it.
pub fn id_file(data: &[u8]) {
    let (ext, file) = split_ext(data);
    let path = scratch(&format!("ids.{ext}"), file);
    let _ = crate::id_file::read(&path);
    let _ = crate::opened::route(&path);
}

/// A mapping API page (current and legacy envelopes) and the diagnosis of an error answer.
pub fn mapping_answer(data: &[u8]) {
    let (status, body) = status_and_body(data);
    if let Ok(env) = serde_json::from_slice::<crate::openedx::mapping::Envelope>(body) {
        let _ = env.num_pages(100);
        let _ = env.num_pages(0);
    }
    let _ = crate::openedx::diagnosis::explain(status, body, "saml-fuzz");
}

/// A token endpoint's answer (a string or number `expires_in`) and the JWT claims in it.
pub fn token_answer(data: &[u8]) {
    if let Ok(answer) = serde_json::from_slice::<crate::token::LenientTokenResponse>(data) {
        use oauth2::TokenResponse;
        let _ = crate::jwt::claims(answer.access_token().secret());
        let _ = answer.expires_in();
    }
    let _ = crate::jwt::claims(&String::from_utf8_lossy(data));
}

fn openlearning_settings() -> OpenLearningSettings {
    OpenLearningSettings {
        base_url: "https://api.openlearning.example/v2.1/".into(),
        institution_id: "fuzz".into(),
        api_key_style: ApiKeyStyle::Header,
        user_lookup_path: None,
    }
}

/// An OpenLearning answer: read (or its error explained), then as a user lookup and a sign-on.
pub fn openlearning_answer(data: &[u8]) {
    let (status, body) = status_and_body(data);
    if let Ok(v) = crate::openlearning::client::read_answer(status, body, &openlearning_settings(), "the call") {
        let _ = crate::openlearning::client::users_from(&v);
        let _ = crate::openlearning::client::parse_launch(&v);
    }
}

/// An OOAPI answer: an error explained (problem+json v5/v6, the receiver's wrapper), an
/// association's messages, state and schema, and the endpoint check's problem verdict.
pub fn ooapi_answer(data: &[u8]) {
    let (status, body) = status_and_body(data);
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    let answer = Answer { status, headers, body: Bytes::copy_from_slice(body), cert_not_after: None };
    let _ = crate::enrollments::home::explain(&ooapi_profile(), &answer, "the association");
    if let Ok(v) = answer.json::<Value>("fuzz") {
        let _ = crate::enrollments::home::messages(&v);
        if let Some(s) = v.get("state").and_then(Value::as_str) {
            let _ = crate::enrollments::state::normalise(s);
        }
        let _ = crate::ooapi::body::check(&v);
        let _ = crate::ooapi::body::offering_fields(&v);
        for m in [crate::ooapi::schema::Message::Association, crate::ooapi::schema::Message::CreateAnswer] {
            let _ = crate::ooapi::schema::validate(m, &v);
        }
    }
    let _ = crate::ooapi::check::problem_verdict(status, "application/problem+json", body);
}

fn ooapi_profile() -> Profile {
    Profile {
        id: "fuzz".into(),
        name: "Fuzz".into(),
        settings: ProfileSettings::Ooapi(OoapiSettings {
            schac_home: "home.example.edu".into(),
            persons_url: "https://home.example.edu/persons".into(),
            associations_url: "https://home.example.edu/associations".into(),
            token_url: "https://home.example.edu/token".into(),
            client_id: "fuzz".into(),
            scopes: vec![],
            audience: None,
            introspection_url: None,
            introspection_client_id: None,
            transport: None,
            receiver_url: None,
            receiver_user: None,
            stuck_after_hours: None,
            introspection_secret_env: None,
            sis_url: None,
        }),
        network: NetworkSettings::default(),
        secret_env: None,
        demo: false,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// A connections export file, read and every connection in it checked (nothing saved).
pub fn profile_import(data: &[u8]) {
    let _ = crate::profiles::parse_import(&String::from_utf8_lossy(data));
}

/// A server certificate (DER), read for its expiry date.
pub fn certificate(data: &[u8]) {
    let _ = crate::x509::not_after(data);
}

/// The first two bytes as a status (100–599), the rest as the body.
fn status_and_body(data: &[u8]) -> (u16, &[u8]) {
    match data {
        [a, b, rest @ ..] => (100 + u16::from_le_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    }
}
