//! The seeded data: the home institution's students, the host's course offerings, and the
//! associations that already exist when the sandbox starts (for demo mode). Everything is drawn
//! from the sandbox seed; only the demo associations' creation instants and the offerings' dates
//! are placed relative to the start.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::scenarios::{OoapiScenario, OoapiState, OOAPI_CANCEL_AFTER_SECS};
use super::{OOAPI_HOST_SCHAC_HOME, OOAPI_SCHAC_HOME};

/// Number of seeded students.
pub const OOAPI_STUDENTS: usize = 24;

const GIVEN_NAMES: [&str; 24] = [
    "Sanne", "Lucas", "Amira", "Jonas", "Femke", "Mateo", "Ines", "Pieter", "Yara", "Noah", "Lotte", "Karim", "Marta", "Tobias", "Zoë",
    "Ravi", "Elif", "Bastiaan", "Nadia", "Oskar", "Julia", "Milan", "Hanna", "Thijs",
];
const SURNAMES: [&str; 24] = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Koster",
    "El Amrani",
    "Yılmaz",
    "Kowalski",
    "Novak",
    "García",
    "Rossi",
    "Schneider",
    "Lindqvist",
];

/// A student of the home institution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OoapiPerson {
    /// `personId`, a uuid.
    pub person_id: String,
    /// `givenName`.
    pub given_name: String,
    /// `surname`.
    pub surname: String,
    /// `displayName`: given name and surname.
    pub display_name: String,
    /// `mail`, at `home.example.edu`: how the home side finds the student of a token.
    pub mail: String,
    /// `primaryCode.code` (codeType `studentNumber`).
    pub student_number: String,
    /// `activeEnrollment`; `false` for the last seeded student only.
    pub active_enrollment: bool,
    /// What home does with this student's associations (unless the offering code names another).
    pub scenario: OoapiScenario,
}

impl OoapiPerson {
    /// The OOAPI v5 `Person` object.
    pub fn to_json(&self) -> Value {
        json!({
            "personId": self.person_id,
            "primaryCode": {"codeType": "studentNumber", "code": self.student_number},
            "givenName": self.given_name,
            "surname": self.surname,
            "displayName": self.display_name,
            "activeEnrollment": self.active_enrollment,
            "affiliations": ["student"],
            "mail": self.mail,
        })
    }
}

/// A course offering of the host institution (what a student asks to enroll in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OoapiOffering {
    /// `offeringId`, a uuid.
    pub offering_id: String,
    /// `primaryCode.code` (codeType `offeringCode`).
    pub code: String,
    /// English name.
    pub name: String,
    /// The course's code (`course.primaryCode.code`) and abbreviation.
    pub course_code: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
}

impl OoapiOffering {
    /// The `offering` object of the "minimum EuroTeQ POST body", course expanded.
    pub fn to_json(&self) -> Value {
        json!({
            "offeringId": self.offering_id,
            "primaryCode": {"codeType": "offeringCode", "code": self.code},
            "offeringType": "course",
            "name": [{"language": "en", "value": self.name}],
            "description": [{"language": "en", "value": format!("{} at the host institution.", self.name)}],
            "teachingLanguage": "eng",
            "resultExpected": true,
            "resultValueType": "0-100",
            "startDate": self.start_date.to_string(),
            "endDate": self.end_date.to_string(),
            "course": {
                "primaryCode": {"codeType": "courseCode", "code": self.course_code},
                "name": [{"language": "en", "value": self.name}],
                "abbreviation": self.course_code,
                "description": [{"language": "en", "value": format!("{}: course description.", self.name)}],
                "teachingLanguage": "eng",
                "level": "master",
            },
        })
    }

    /// A complete POST body for `/associations/external/...` with this offering: role `student`,
    /// `state` `associated` (the placeholder EuroTeQ sends), the given `remoteState`, and the
    /// host as `issuer`.
    pub fn association_body(&self, remote_state: OoapiState) -> Value {
        json!({
            "role": "student",
            "state": "associated",
            "remoteState": remote_state.as_str(),
            "offering": self.to_json(),
            "issuer": issuer(),
        })
    }
}

/// The host institution as `issuer`.
pub(crate) fn issuer() -> Value {
    json!({
        "primaryCode": {"codeType": "schacHome", "code": OOAPI_HOST_SCHAC_HOME},
        "organizationType": "root",
        "name": [{"language": "en", "value": "Host University of Technology"}],
        "shortName": "HostTech",
    })
}

/// `(code, name, course code, start offset in days from the start date, length in days)`.
const CATALOGUE: [(&str, &str, &str, i64, i64); 8] = [
    ("TQ-ML-4010-2026", "Machine Learning for Engineers", "ML4010", -120, 100),
    ("TQ-RB-4120-2026", "Robotics and Control", "RB4120", -40, 90),
    ("TQ-EN-3300-2026", "Sustainable Energy Systems", "EN3300", -10, 110),
    ("TQ-DS-4500-2026", "Data-Driven Design", "DS4500", 20, 90),
    ("TQ-QC-4700-2026", "Introduction to Quantum Computing", "QC4700", 45, 100),
    ("TQ-EM-3100-2026", "Entrepreneurship in Engineering", "EM3100", -200, 95),
    ("TQ-MT-4200-2026", "Advanced Materials", "MT4200", 60, 120),
    ("TQ-AI-4900-2026", "Ethics of Artificial Intelligence", "AI4900", -5, 70),
];

/// An association that exists at start: who, what, how old, and what the host said.
#[derive(Clone, Debug)]
pub(crate) struct DemoSeed {
    pub association_id: String,
    pub person: usize,
    pub offering: usize,
    pub scenario: OoapiScenario,
    pub created: DateTime<Utc>,
    pub remote_state: OoapiState,
}

/// `(scenario, age at start in seconds, remoteState, how many)`: 36 associations in every state,
/// some that move on the virtual clock, some pending for weeks.
const DEMO_PLAN: [(OoapiScenario, i64, OoapiState, usize); 17] = [
    (OoapiScenario::InstantAssociated, 20 * 86_400, OoapiState::Associated, 5),
    (OoapiScenario::InstantAssociated, 3 * 86_400, OoapiState::Canceled, 1),
    (OoapiScenario::PendingThenAssociated, 120, OoapiState::Associated, 3),
    (OoapiScenario::PendingThenAssociated, 9 * 86_400, OoapiState::Associated, 3),
    (OoapiScenario::PendingThenDenied, 300, OoapiState::Pending, 2),
    (OoapiScenario::PendingThenDenied, 6 * 86_400, OoapiState::Pending, 2),
    (OoapiScenario::PendingThenDenied, 2 * 86_400, OoapiState::Denied, 1),
    (OoapiScenario::QueuedThenAssociated, 60, OoapiState::Queued, 3),
    (OoapiScenario::QueuedThenAssociated, 4 * 86_400, OoapiState::Queued, 1),
    (OoapiScenario::PendingForever, 3_600, OoapiState::Pending, 1),
    (OoapiScenario::PendingForever, 2 * 86_400, OoapiState::Associated, 1),
    (OoapiScenario::PendingForever, 45 * 86_400, OoapiState::Associated, 3),
    (OoapiScenario::HomeCancelsLater, 5_400, OoapiState::Associated, 2),
    (OoapiScenario::HomeCancelsLater, 12 * 86_400, OoapiState::Associated, 3),
    (OoapiScenario::FlipFlop, 0, OoapiState::Pending, 1),
    (OoapiScenario::FlipFlop, 900, OoapiState::Pending, 1),
    (OoapiScenario::FlipFlop, 30 * 86_400, OoapiState::Associated, 3),
];

/// Everything seeded.
#[derive(Clone, Debug)]
pub(crate) struct OoapiSeed {
    pub persons: Vec<OoapiPerson>,
    pub offerings: Vec<OoapiOffering>,
    pub demo: Vec<DemoSeed>,
}

impl OoapiSeed {
    /// Draws the data from `seed`; `now` is the (virtual) start instant.
    pub fn generate(seed: u64, now: DateTime<Utc>) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x006f_6f61_7069_7635);
        let mut scenarios = OoapiScenario::ALL;
        scenarios.shuffle(&mut rng);
        let mut given: Vec<usize> = (0..GIVEN_NAMES.len()).collect();
        given.shuffle(&mut rng);
        let persons = (0..OOAPI_STUDENTS)
            .map(|i| {
                let given_name = GIVEN_NAMES[given[i]].to_owned();
                let surname = SURNAMES[i].to_owned();
                let mail_name = format!("{}.{}", ascii_lower(&given_name), ascii_lower(&surname));
                OoapiPerson {
                    person_id: uuid(&mut rng),
                    display_name: format!("{given_name} {surname}"),
                    mail: format!("{mail_name}@{OOAPI_SCHAC_HOME}"),
                    student_number: format!("s{}", rng.random_range(1_000_000..10_000_000)),
                    active_enrollment: i + 1 < OOAPI_STUDENTS,
                    scenario: scenarios[i % scenarios.len()],
                    given_name,
                    surname,
                }
            })
            .collect();
        let start = now.date_naive();
        let offerings = CATALOGUE
            .iter()
            .map(|&(code, name, course_code, offset, length)| {
                let start_date = start + TimeDelta::days(offset);
                let start_date = start_date - TimeDelta::days(i64::from(start_date.weekday().num_days_from_monday()));
                OoapiOffering {
                    offering_id: uuid(&mut rng),
                    code: code.to_owned(),
                    name: name.to_owned(),
                    course_code: course_code.to_owned(),
                    start_date,
                    end_date: start_date + TimeDelta::days(length),
                }
            })
            .collect();
        let mut demo = Vec::new();
        for &(scenario, age, remote_state, count) in &DEMO_PLAN {
            for _ in 0..count {
                // Young ones move less than a minute, so they stay on their side of a boundary.
                let jitter = if age >= OOAPI_CANCEL_AFTER_SECS { rng.random_range(0..3_600) } else { rng.random_range(0..30) };
                let age = age + jitter;
                demo.push(DemoSeed {
                    association_id: uuid(&mut rng),
                    person: rng.random_range(0..OOAPI_STUDENTS),
                    offering: rng.random_range(0..CATALOGUE.len()),
                    scenario,
                    created: now - TimeDelta::seconds(age),
                    remote_state,
                });
            }
        }
        Self { persons, offerings, demo }
    }
}

/// The grade a demo association of an offering that has ended carries: completed a week after
/// the end (or today), score 48-97 on the offering's `0-100` scale, passed from 55.
pub(crate) fn demo_result(offering: &OoapiOffering, index: usize, today: NaiveDate) -> Value {
    let score = 48 + (index * 13) % 50;
    let date = (offering.end_date + TimeDelta::days(7)).min(today);
    json!({
        "state": "completed",
        "resultDate": date.to_string(),
        "pass": if score >= 55 { "passed" } else { "failed" },
        "score": score.to_string(),
        "studyLoad": {"studyLoadUnit": "ects", "value": 5},
        "ext": {"resultValueType": "0-100", "responsibleTeachers": [{"displayName": "Dr. Host Lecturer"}]},
    })
}

/// A random (version 4) uuid from the seeded generator.
pub(crate) fn uuid(rng: &mut impl Rng) -> String {
    let bits: u128 = rng.random();
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// `de Vries` → `devries`, `Yılmaz` → `ylmaz`: the ASCII letters, lowercase, for e-mail addresses.
fn ascii_lower(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..100 {
            let id = uuid(&mut rng);
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_students() {
        let now = Utc::now();
        let a = OoapiSeed::generate(7, now);
        let b = OoapiSeed::generate(7, now);
        assert_eq!(a.persons, b.persons);
        assert_ne!(a.persons, OoapiSeed::generate(8, now).persons);
        for scenario in OoapiScenario::ALL {
            assert!(a.persons.iter().any(|p| p.scenario == scenario), "{scenario}");
        }
    }
}
