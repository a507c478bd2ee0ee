//! Demo mode: the built-in sandbox, started in-process, and demo connections pointing at it.

use std::path::Path;

pub use crosswalk_sandbox::SandboxHandle;

use crosswalk_core::connection::{
    ApiKeyStyle, ClientAuth, NetworkSettings, OpenEdxSettings, OpenLearningSettings, Profile, ProfileSettings, SecretField, TokenType,
};
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::openlearning::{OPENLEARNING_API_KEY, OPENLEARNING_INSTITUTION_ID};
use crosswalk_sandbox::{Knobs, Sandbox, SandboxConfig, RESTRICTED_CLIENT_ID, STAFF_CLIENT_ID};

/// How many made-up learners the demo LMS has.
const DEMO_LEARNERS: usize = 5_000;

/// Each demo API answer takes this long, like a real LMS across the internet, so progress bars
/// and concurrency are visible rather than instant.
const DEMO_LATENCY_MS: u64 = 25;

/// Starts the sandbox and registers one demo connection per seeded API client that can read
/// mappings: the staff application (every provider) and the restricted one (only the providers
/// its filters name — the others show the permission diagnosis).
pub async fn start(cw: &Crosswalk) -> std::io::Result<SandboxHandle> {
    let sandbox = Sandbox::start(SandboxConfig {
        learners: DEMO_LEARNERS,
        knobs: Knobs { latency_ms: DEMO_LATENCY_MS, ..Knobs::default() },
        ..SandboxConfig::default()
    })
    .await?;
    let providers: Vec<String> = sandbox.providers().into_iter().filter(|p| p.enabled).map(|p| p.id).collect();
    for client in sandbox.credentials() {
        let (id, name) = match client.client_id.as_str() {
            STAFF_CLIENT_ID => ("demo-staff", "Demo LMS (staff application)"),
            RESTRICTED_CLIENT_ID => ("demo-restricted", "Demo LMS (restricted application)"),
            _ => continue,
        };
        let profile = Profile {
            id: id.into(),
            name: name.into(),
            settings: ProfileSettings::Openedx(OpenEdxSettings {
                base_url: sandbox.openedx_url(),
                client_id: client.client_id.clone(),
                token_type: TokenType::Jwt,
                client_auth: ClientAuth::Basic,
                scopes: Vec::new(),
                providers: providers.clone(),
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: true,
            created_at: String::new(),
            updated_at: String::new(),
        };
        cw.add_demo_profile(profile, vec![(SecretField::ClientSecret, SecretString::new(client.client_secret.clone()))]);
    }
    cw.add_demo_profile(
        Profile {
            id: "demo-openlearning".into(),
            name: "Demo OpenLearning".into(),
            settings: ProfileSettings::Openlearning(OpenLearningSettings {
                base_url: sandbox.openlearning_url(),
                institution_id: OPENLEARNING_INSTITUTION_ID.into(),
                api_key_style: ApiKeyStyle::Header,
                user_lookup_path: None,
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: true,
            created_at: String::new(),
            updated_at: String::new(),
        },
        vec![(SecretField::ApiKey, SecretString::new(OPENLEARNING_API_KEY))],
    );
    add_demo_home_institution(cw, &sandbox);
    tracing::info!(url = %sandbox.base_url(), learners = DEMO_LEARNERS, "demo sandbox started");
    Ok(sandbox)
}

/// The demo OOAPI connection's id.
pub const DEMO_OOAPI: &str = "demo-ooapi";

/// A demo home institution (OOAPI, direct) with the sandbox's seeded associations in the ledger,
/// their state read in the background and then every 15 minutes by the core's scheduler.
fn add_demo_home_institution(cw: &Crosswalk, sandbox: &SandboxHandle) {
    use crosswalk_core::connection::{OoapiSettings, OoapiTransport};
    use crosswalk_core::enrollments::{self, KnownAssociation};
    use crosswalk_core::jobs::{self, JobKind};
    use crosswalk_sandbox::{
        OOAPI_CLIENT_ID, OOAPI_CLIENT_SECRET, OOAPI_RESOURCE_CLIENT_ID, OOAPI_RESOURCE_CLIENT_SECRET, OOAPI_SCHAC_HOME,
    };
    cw.add_demo_profile(
        Profile {
            id: DEMO_OOAPI.into(),
            name: "Demo home institution (OOAPI)".into(),
            settings: ProfileSettings::Ooapi(OoapiSettings {
                schac_home: OOAPI_SCHAC_HOME.into(),
                persons_url: sandbox.ooapi_persons_url(),
                associations_url: sandbox.ooapi_associations_url(),
                token_url: sandbox.ooapi_token_url(),
                client_id: OOAPI_CLIENT_ID.into(),
                scopes: Vec::new(),
                audience: None,
                // The sandbox plays our own home too: the endpoint check runs against it.
                introspection_url: Some(sandbox.ooapi_introspection_url()),
                introspection_client_id: Some(OOAPI_RESOURCE_CLIENT_ID.into()),
                transport: Some(OoapiTransport::Direct),
                receiver_url: None,
                receiver_user: None,
                stuck_after_hours: None,
                introspection_secret_env: None,
                sis_url: Some(sandbox.ooapi_sis_url()),
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: true,
            created_at: String::new(),
            updated_at: String::new(),
        },
        vec![
            (SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET)),
            (SecretField::IntrospectionSecret, SecretString::new(OOAPI_RESOURCE_CLIENT_SECRET)),
        ],
    );
    // The home institution told us who its students are (as an SIS export would).
    let persons: std::collections::HashMap<String, _> = sandbox.ooapi_persons().into_iter().map(|p| (p.person_id.clone(), p)).collect();
    let known: Vec<KnownAssociation> = sandbox
        .ooapi_demo_associations()
        .into_iter()
        .map(|a| {
            let person = persons.get(&a.person_id);
            KnownAssociation {
                association_id: a.id,
                person_name: person.map(|p| p.display_name.clone()),
                person_email: person.map(|p| p.mail.clone()),
                person_id: Some(a.person_id),
                since: Some(a.created.to_rfc3339()),
            }
        })
        .collect();
    if let Err(e) = enrollments::add_known(cw, DEMO_OOAPI, &known, "the demo home institution") {
        tracing::warn!("the demo associations could not be added: {e}");
    }
    // Due at once: the app's scheduler reads their state within its first half minute.
    if let Err(e) = jobs::set(cw, JobKind::EnrollmentsPoll, DEMO_OOAPI, 15, true) {
        tracing::warn!("the demo enrollment check could not be scheduled: {e}");
    }
}

/// Tokens for the endpoint check in demo mode: a test student's (every scope), and the same
/// student's without the institution scopes (for the 403 checks).
pub fn check_tokens(sandbox: &SandboxHandle) -> crosswalk_core::Result<(SecretString, SecretString)> {
    let no_student = || crosswalk_core::Error::Invalid("The demo home institution has no test student.".into());
    let person = sandbox.ooapi_persons().into_iter().find(|p| p.active_enrollment).ok_or_else(no_student)?;
    let token = sandbox.ooapi_student_token(&person.person_id).ok_or_else(no_student)?;
    let no_scope =
        sandbox.ooapi_student_token_with(&person.person_id, Some(vec!["openid".into(), "email".into()])).ok_or_else(no_student)?;
    Ok((SecretString::new(token), SecretString::new(no_scope)))
}

/// The students of the demo home institution enrolled (associated, no result yet) in the demo
/// course: the offering with the most such students.
fn demo_exchange_students(sandbox: &SandboxHandle) -> Vec<crosswalk_sandbox::OoapiPerson> {
    use crosswalk_sandbox::OoapiState;
    let open: Vec<_> =
        sandbox.ooapi_demo_associations().into_iter().filter(|a| a.state == OoapiState::Associated && a.result.is_none()).collect();
    let mut by_offering: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for a in &open {
        by_offering.entry(a.offering_code.as_str()).or_default().push(a.person_id.as_str());
    }
    let Some((_, people)) = by_offering.into_iter().max_by_key(|(_, p)| p.len()) else { return Vec::new() };
    sandbox.ooapi_persons().into_iter().filter(|p| people.contains(&p.person_id.as_str())).collect()
}

/// The provider the demo grade report's learners signed in through.
pub const DEMO_GRADES_PROVIDER: &str = "saml-demo-univ";

/// Writes a demo course grade report in Open edX's own shape: learners linked to
/// [`DEMO_GRADES_PROVIDER`], some who signed in another way (not linked), some unenrolled, some
/// `Not Attempted`, a row without a username and, last, a row with broken quoting — so every part
/// of the Grades screen has something to show.
pub fn write_grade_report(sandbox: &SandboxHandle, path: &Path) -> crosswalk_core::Result<()> {
    use std::fmt::Write as _;
    let linked = sandbox.mappings(DEMO_GRADES_PROVIDER);
    let linked_names: std::collections::HashSet<&str> = linked.iter().map(|m| m.username.as_str()).collect();
    let others: Vec<String> = sandbox
        .mappings("oa2-google-oauth2")
        .into_iter()
        .map(|m| m.username)
        .filter(|u| !linked_names.contains(u.as_str()))
        .take(12)
        .collect();
    let mut csv = String::from(
        "Student ID,Email,Username,Grade,Homework 1: Getting started,Homework 2: Data types,Homework (Avg),Final Exam,\
         Enrollment Track,Verification Status,Certificate Eligible,Certificate Delivered,Certificate Type,Enrollment Status\n",
    );
    let usernames = linked.iter().take(240).map(|m| m.username.clone()).chain(others);
    for (i, username) in usernames.enumerate() {
        let email = sandbox.learner(&username).map(|l| l.email).unwrap_or_else(|| format!("{username}@example.edu"));
        let frac = |seed: usize| format!("{:.2}", ((seed * 37 + 11) % 101) as f64 / 100.0);
        let (hw1, hw2, exam) = (frac(i), frac(i + 5), frac(i + 9));
        let hw_avg = format!("{:.2}", (hw1.parse::<f64>().unwrap_or(0.0) + hw2.parse::<f64>().unwrap_or(0.0)) / 2.0);
        let grade = if i % 23 == 7 { "Not Attempted".to_string() } else { frac(i + 2) };
        let enrollment = if i % 41 == 3 { "unenrolled" } else { "enrolled" };
        let _ = writeln!(
            csv,
            "{},{email},{username},{grade},{hw1},{hw2},{hw_avg},{exam},verified,verified,Y,N,verified,{enrollment}",
            1000 + i
        );
    }
    // Exchange students of the demo home institution who took the course: their rows carry their
    // home email, so Enrollments → Return results can send their grades home.
    for (i, p) in demo_exchange_students(sandbox).into_iter().enumerate() {
        let username = p.mail.split('@').next().unwrap_or_default().replace('.', "_");
        let grade = format!("{:.2}", ((i * 29 + 40) % 61 + 40) as f64 / 100.0);
        let _ = writeln!(
            csv,
            "{},{},{username},{grade},{grade},{grade},{grade},{grade},verified,verified,Y,N,verified,enrolled",
            5000 + i,
            p.mail
        );
    }
    csv.push_str("9998,nobody@example.edu,,0.50,0.5,0.5,0.5,0.5,audit,not verified,N,N,N/A,enrolled\n");
    csv.push_str("9999,\"broken@example.edu,broken_quoting,0.75,0.7,0.8,0.75,0.7,audit,not verified,N,N,N/A,enrolled\n");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| crosswalk_core::Error::Invalid(format!("Could not create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, csv).map_err(|e| crosswalk_core::Error::Invalid(format!("Could not write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo grade report carries the exchange students of one demo course, by their home
    /// email, so grade return has rows to match in demo mode.
    #[tokio::test]
    async fn the_demo_grade_report_carries_exchange_students_of_one_offering() {
        let sandbox = crosswalk_sandbox::Sandbox::start(crosswalk_sandbox::SandboxConfig::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_grade_report(&sandbox, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let exchange: Vec<&str> = text.lines().filter(|l| l.contains(&format!("@{}", crosswalk_sandbox::OOAPI_SCHAC_HOME))).collect();
        let students = demo_exchange_students(&sandbox);
        assert_eq!(exchange.len(), students.len());
        assert!(students.len() >= 3, "only {} exchange students", students.len());
        for s in &students {
            assert!(exchange.iter().any(|l| l.contains(&s.mail)), "{} is in the report", s.mail);
        }
        println!("exchange students in the demo report: {}", students.len());
    }
}
