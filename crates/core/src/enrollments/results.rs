//! Grade return: the course results of exchange students, sent back to their home institutions
//! (`PATCH /associations/{id}` with a `result`).
//!
//! Rows come from a Grades reconciliation (an Open edX grade report matched to remote ids) or from
//! a CSV/XLSX file. Each row is joined to one association in the ledger — by association id, else
//! the student's email, else personId, else the remote id the Open edX username is linked to — and
//! the rule that matched is named. A row that matches nothing, or several, is listed, never
//! guessed. Each result body is converted from Open edX's 0–1 grade into the offering's
//! `resultValueType`, validated against the v5 schema, previewed, and only then sent.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::ledger::{self, Event};
use super::{home, Association};
use crate::activity::NewActivity;
use crate::ooapi::schema;
use crate::{Crosswalk, Error, Result};

/// Results sent at once.
pub const SEND_CONCURRENCY: usize = 4;

/// The scales an offering's `resultValueType` can name.
pub const VALUE_TYPES: [&str; 5] = ["0-100", "1-10", "US letter", "UK letter", "pass-or-fail"];
/// Units of `studyLoad`.
pub const STUDY_LOAD_UNITS: [&str; 5] = ["ects", "contacttime", "sbu", "sp", "hour"];
/// `result.state` values.
pub const RESULT_STATES: [&str; 4] = ["completed", "in progress", "postponed", "queued"];

/// A letter and the lowest grade (0–1) that earns it.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterCutoff {
    pub letter: String,
    pub min: f64,
}

/// How results are written. Every field is optional: what is not given comes from the settings
/// last used for the offering, then from the offering itself, then from the defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ResultSettings {
    /// `0-100`, `1-10`, `US letter`, `UK letter` or `pass-or-fail`.
    pub result_value_type: Option<String>,
    /// The lowest Open edX grade (0–1) that passes; 0.5 when not given.
    pub pass_threshold: Option<f64>,
    /// The course's study load (e.g. 5) and its unit (`ects` when not given).
    pub study_load: Option<f64>,
    pub study_load_unit: Option<String>,
    /// `resultDate` (YYYY-MM-DD); today when not given.
    pub result_date: Option<String>,
    /// `result.state`; `completed` when not given.
    pub state: Option<String>,
    pub comment: Option<String>,
    /// Sent as `ext.responsibleTeachers [{displayName}]` (EuroTeQ).
    #[serde(default)]
    pub teachers: Vec<String>,
    /// Letter cutoffs for the letter scales, as people write them: `A=0.9, B=0.8, C=0.7, D=0.6,
    /// F=0` (read by [`parse_letters`]); the scale's defaults when not given.
    pub letters: Option<String>,
}

impl ResultSettings {
    /// `self`, with what it leaves open taken from `other`.
    fn or(self, other: &ResultSettings) -> ResultSettings {
        ResultSettings {
            result_value_type: self.result_value_type.or_else(|| other.result_value_type.clone()),
            pass_threshold: self.pass_threshold.or(other.pass_threshold),
            study_load: self.study_load.or(other.study_load),
            study_load_unit: self.study_load_unit.or_else(|| other.study_load_unit.clone()),
            result_date: self.result_date.or_else(|| other.result_date.clone()),
            state: self.state.or_else(|| other.state.clone()),
            comment: self.comment.or_else(|| other.comment.clone()),
            teachers: if self.teachers.is_empty() { other.teachers.clone() } else { self.teachers },
            letters: self.letters.or_else(|| other.letters.clone()),
        }
    }
}

/// Where the grades come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResultSource {
    /// A Grades reconciliation (its History id).
    Reconciliation {
        #[ts(type = "number")]
        id: i64,
    },
    /// A CSV or XLSX file with `associationId`, `email`, `personId`, `username`/`remoteId` and a
    /// `grade` (0–1 or a percentage) or `score` (already on the offering's scale) column.
    File { path: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResultsRequest {
    pub source: ResultSource,
    /// Only associations of this OOAPI connection (all when not given).
    pub profile_id: Option<String>,
    /// Only associations of this offering (its code or id): needed when a student has several.
    pub offering: Option<String>,
    #[serde(default)]
    pub settings: ResultSettings,
    /// Select rows whose result was already sent, to send it again.
    #[serde(default)]
    pub resend: bool,
}

/// What became of a row in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResultRowStatus {
    /// Matched, with a valid body: ready to send.
    Ready,
    /// Matched, but a result was already sent (see `previous`): sent again only when chosen.
    AlreadySent,
    /// Matched, but the association is not associated (pending, denied…): the home side may refuse.
    NotAssociated,
    /// Matched, but no body can be made (no grade, no result value type, invalid body).
    Incomplete,
    /// No association matches.
    Unmatched,
    /// Several associations match (or another row matches the same one): not guessed.
    Ambiguous,
}

impl ResultRowStatus {
    pub fn can_send(self) -> bool {
        matches!(self, Self::Ready | Self::AlreadySent | Self::NotAssociated)
    }
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ResultRow {
    /// The row's line in the source (1 is the header).
    #[ts(type = "number")]
    pub line: u64,
    /// Who the row names, as the source has it (username, email, personId or association id).
    pub source: String,
    pub grade: Option<String>,
    pub status: ResultRowStatus,
    /// The rule that matched: `association id`, `email`, `personId` or `username → remote id`.
    pub rule: Option<String>,
    /// The association's ledger id.
    #[ts(type = "number | null")]
    pub association: Option<i64>,
    pub association_id: Option<String>,
    pub student: Option<String>,
    pub home: Option<String>,
    pub offering: Option<String>,
    /// The home side's state of the association.
    pub state: Option<String>,
    pub result_value_type: Option<String>,
    /// The score as it would be sent, and `pass`.
    pub score: Option<String>,
    pub pass: Option<String>,
    /// The result already sent, in words ("72, passed on 2027-02-01").
    pub previous: Option<String>,
    pub warnings: Vec<String>,
    /// For an ambiguous row: what it matched.
    pub candidates: Vec<String>,
    /// Sent unless deselected.
    pub selected: bool,
    /// The PATCH body (`{"result": …}`).
    #[ts(type = "unknown")]
    pub body: Option<Value>,
}

/// The settings in force for one offering, with the conversion in words.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OfferingResultSettings {
    pub offering: String,
    pub settings: ResultSettings,
    /// Where the value type came from: `given`, `last used`, `offering` or `unknown`.
    pub value_type_from: String,
    /// "0.895 → 90" style lines: how Open edX's 0–1 grade becomes a score.
    pub conversion: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ResultCounts {
    pub rows: u32,
    pub ready: u32,
    pub already_sent: u32,
    pub not_associated: u32,
    pub incomplete: u32,
    pub unmatched: u32,
    pub ambiguous: u32,
    pub selected: u32,
}

/// An offering the rows' students are enrolled in, and how many rows point to it: the choices
/// when a student has several associations and the offering must be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MatchedOffering {
    /// Its code (else its id): what `offering` takes.
    pub offering: String,
    pub name: String,
    pub rows: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ResultsPreview {
    /// The source in words ("Reconciliation 4: grades.csv").
    pub source: String,
    pub rows: Vec<ResultRow>,
    pub counts: ResultCounts,
    pub offerings: Vec<OfferingResultSettings>,
    /// Offerings the rows matched (most rows first).
    pub matched_offerings: Vec<MatchedOffering>,
}

/// How one sent row ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendOutcome {
    /// The home side accepted the result.
    Sent,
    /// The home side refused it (`message` holds its problem text).
    Refused,
    /// The call failed before the home side answered (network, token).
    Failed,
    /// Not sent: not selected, not sendable, or cancelled before it went.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SentRow {
    #[ts(type = "number")]
    pub line: u64,
    #[ts(type = "number | null")]
    pub association: Option<i64>,
    pub student: Option<String>,
    pub score: Option<String>,
    pub outcome: SendOutcome,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct ResultsSent {
    pub rows: Vec<SentRow>,
    pub sent: u32,
    pub refused: u32,
    pub failed: u32,
    pub skipped: u32,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct ResultsProgress {
    pub done: u32,
    pub total: u32,
}

// ---------------------------------------------------------------------------------------------
// Conversion

/// Reads letter cutoffs written as `A=0.9, B=0.8, C=0.7, D=0.6, F=0` (highest first or not).
pub fn parse_letters(text: &str) -> Result<Vec<LetterCutoff>> {
    let mut out = Vec::new();
    for part in text.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let (letter, min) = part
            .split_once('=')
            .ok_or_else(|| Error::Invalid(format!("\"{part}\" is not a cutoff: write LETTER=lowest grade, like A=0.9.")))?;
        let min: f64 = min.trim().parse().ok().filter(|m: &f64| (0.0..=1.0).contains(m)).ok_or_else(|| {
            Error::Invalid(format!(
                "The cutoff for {} is a grade between 0 and 1 (like Open edX's), not \"{}\".",
                letter.trim(),
                min.trim()
            ))
        })?;
        out.push(LetterCutoff { letter: letter.trim().to_string(), min });
    }
    if out.is_empty() {
        return Err(Error::Invalid("Give at least one cutoff, like A=0.9, B=0.8, C=0.7, D=0.6, F=0.".into()));
    }
    if !out.iter().any(|c| c.min <= 0.0) {
        return Err(Error::Invalid("The lowest cutoff must be 0, so every grade gets a letter (for example F=0).".into()));
    }
    Ok(out)
}

/// The default letter cutoffs of a letter scale.
pub fn default_letters(value_type: &str) -> Vec<LetterCutoff> {
    let l = |letter: &str, min: f64| LetterCutoff { letter: letter.into(), min };
    match value_type {
        "US letter" => vec![l("A", 0.9), l("B", 0.8), l("C", 0.7), l("D", 0.6), l("F", 0.0)],
        "UK letter" => vec![l("A", 0.7), l("B", 0.6), l("C", 0.5), l("D", 0.4), l("E", 0.3), l("F", 0.0)],
        _ => Vec::new(),
    }
}

/// Grades are decimal text ("0.895"); a hair of tolerance keeps 0.895 × 100 (89.4999… in binary)
/// rounding to 90 as a person would, and 0.9 reaching a 0.9 cutoff.
const EPS: f64 = 1e-9;

/// Reads an Open edX grade: `0.87`, `87%`; `None` for `Not Attempted` or an empty cell.
pub fn parse_grade(text: &str) -> Option<f64> {
    let t = text.trim();
    let (num, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 100.0),
        None => (t, 1.0),
    };
    let v = num.replace(',', ".").parse::<f64>().ok()? / scale;
    (v.is_finite() && (0.0..=1.0 + EPS).contains(&v)).then_some(v.min(1.0))
}

/// The score for a 0–1 grade on `value_type`.
pub fn convert(grade: f64, value_type: &str, threshold: f64, letters: &[LetterCutoff]) -> Result<String> {
    let g = grade.clamp(0.0, 1.0);
    match value_type {
        "0-100" => Ok(format!("{}", (g * 100.0 + EPS).round() as u32)),
        // The Dutch 1–10 scale: 1 + 9 × grade, one decimal.
        "1-10" => Ok(format!("{:.1}", ((1.0 + 9.0 * g) * 10.0 + EPS).round() / 10.0)),
        "pass-or-fail" => Ok(if g + EPS >= threshold { "pass" } else { "fail" }.into()),
        "US letter" | "UK letter" => {
            let defaults;
            let table = if letters.is_empty() {
                defaults = default_letters(value_type);
                &defaults
            } else {
                letters
            };
            let mut sorted: Vec<&LetterCutoff> = table.iter().collect();
            sorted.sort_by(|a, b| b.min.total_cmp(&a.min));
            sorted
                .iter()
                .find(|c| g + EPS >= c.min)
                .map(|c| c.letter.clone())
                .ok_or_else(|| Error::Invalid(format!("No letter covers the grade {g}: the lowest cutoff should be 0.")))
        }
        other => Err(Error::Invalid(format!("\"{other}\" is not a result value type. Choose one of: {}.", VALUE_TYPES.join(", ")))),
    }
}

/// `pass` for a grade: passed at or above the threshold.
pub fn pass_of(grade: f64, threshold: f64) -> &'static str {
    if grade + EPS >= threshold {
        "passed"
    } else {
        "failed"
    }
}

/// The conversion in words, for the preview.
pub fn conversion_lines(value_type: &str, threshold: f64, letters: &[LetterCutoff]) -> Vec<String> {
    match value_type {
        "0-100" => vec!["grade × 100, rounded half up (0.895 → 90)".into(), format!("passed from {threshold}")],
        "1-10" => vec!["1 + 9 × grade, one decimal (0.5 → 5.5, 0.85 → 8.7)".into(), format!("passed from {threshold}")],
        "pass-or-fail" => vec![format!("pass from {threshold}, else fail")],
        "US letter" | "UK letter" => {
            let table = if letters.is_empty() { default_letters(value_type) } else { letters.to_vec() };
            let mut lines: Vec<String> = table.iter().map(|c| format!("{} from {}", c.letter, c.min)).collect();
            lines.push(format!("passed from {threshold}"));
            lines
        }
        _ => vec!["choose a result value type".into()],
    }
}

// ---------------------------------------------------------------------------------------------
// Input

/// A row of the source, as far as matching needs it.
#[derive(Debug, Clone, Default)]
struct Input {
    line: u64,
    association_id: Option<String>,
    email: Option<String>,
    person_id: Option<String>,
    username: Option<String>,
    remote_id: Option<String>,
    grade: Option<String>,
    score: Option<String>,
}

impl Input {
    fn label(&self) -> String {
        self.username
            .clone()
            .or_else(|| self.email.clone())
            .or_else(|| self.person_id.clone())
            .or_else(|| self.association_id.clone())
            .unwrap_or_else(|| format!("line {}", self.line))
    }
}

fn clean(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn read_source(cw: &Crosswalk, source: &ResultSource, cancel: &CancellationToken) -> Result<(String, Vec<Input>)> {
    match source {
        ResultSource::Reconciliation { id } => {
            let page = match crate::grades::rows(cw, *id, None, 0, u32::MAX) {
                Ok(p) => p,
                Err(_) => {
                    // Not open in this process: read the file again against today's mirror.
                    crate::grades::reopen(cw, *id, |_| {}, cancel).await?;
                    crate::grades::rows(cw, *id, None, 0, u32::MAX)?
                }
            };
            let record = crate::grades::record(cw, *id)?;
            let label = format!("Reconciliation {id}: {}", record.file_name);
            let rows = page
                .rows
                .into_iter()
                .map(|r| Input {
                    line: r.line,
                    email: clean(&r.email),
                    username: clean(&r.username),
                    remote_id: r.remote_id.as_deref().and_then(clean),
                    grade: clean(&r.grade),
                    ..Input::default()
                })
                .collect();
            Ok((label, rows))
        }
        ResultSource::File { path } => {
            let p = std::path::Path::new(path);
            let rows = crate::id_file::rows(p)?;
            let header: Vec<String> = rows.first().map(|r| r.iter().map(|h| h.trim().to_ascii_lowercase()).collect()).unwrap_or_default();
            let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
            let cols = (
                col(&["associationid", "association_id", "association id"]),
                col(&["email", "mail", "e-mail"]),
                col(&["personid", "person_id", "person id"]),
                col(&["username", "user name"]),
                col(&["remoteid", "remote_id", "remote id"]),
                col(&["grade", "grade (0-1)"]),
                col(&["score", "result"]),
            );
            if cols.0.is_none() && cols.1.is_none() && cols.2.is_none() && cols.4.is_none() {
                return Err(Error::Invalid(format!(
                    "{} has no column Crosswalk can match on. Name one associationId, email, personId or remoteId (first row).",
                    p.display()
                )));
            }
            if cols.5.is_none() && cols.6.is_none() {
                return Err(Error::Invalid(format!(
                    "{} has no grade column. Name it grade (Open edX's 0–1 grade or a percentage) or score (already on the offering's scale).",
                    p.display()
                )));
            }
            let cell = |r: &Vec<String>, c: Option<usize>| c.and_then(|c| r.get(c)).and_then(|s| clean(s));
            let inputs = rows
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
                .map(|(i, r)| Input {
                    line: i as u64 + 1,
                    association_id: cell(r, cols.0),
                    email: cell(r, cols.1),
                    person_id: cell(r, cols.2),
                    username: cell(r, cols.3),
                    remote_id: cell(r, cols.4),
                    grade: cell(r, cols.5),
                    score: cell(r, cols.6),
                })
                .collect();
            Ok((p.file_name().map_or_else(|| path.clone(), |f| f.to_string_lossy().into_owned()), inputs))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Matching

struct Index<'a> {
    by_id: HashMap<String, Vec<&'a Association>>,
    by_email: HashMap<String, Vec<&'a Association>>,
    by_person: HashMap<String, Vec<&'a Association>>,
}

impl<'a> Index<'a> {
    fn new(all: &'a [Association]) -> Self {
        let mut ix = Index { by_id: HashMap::new(), by_email: HashMap::new(), by_person: HashMap::new() };
        for a in all {
            if let Some(id) = &a.association_id {
                ix.by_id.entry(id.to_ascii_lowercase()).or_default().push(a);
            }
            if let Some(e) = &a.person_email {
                ix.by_email.entry(e.trim().to_lowercase()).or_default().push(a);
            }
            if let Some(p) = &a.person_id {
                ix.by_person.entry(p.trim().to_lowercase()).or_default().push(a);
            }
        }
        ix
    }

    /// The rule that decides the row and what it matched (empty: nothing).
    fn find(&self, r: &Input) -> (Option<&'static str>, Vec<&'a Association>) {
        let get = |map: &HashMap<String, Vec<&'a Association>>, key: &Option<String>| {
            key.as_ref().and_then(|k| map.get(&k.trim().to_lowercase())).cloned().unwrap_or_default()
        };
        // An association id is decisive: a wrong one is reported, not matched another way.
        if r.association_id.is_some() {
            return (Some("association id"), get(&self.by_id, &r.association_id));
        }
        for (rule, found) in [("email", get(&self.by_email, &r.email)), ("personId", get(&self.by_person, &r.person_id))] {
            if !found.is_empty() {
                return (Some(rule), found);
            }
        }
        if r.remote_id.is_some() {
            let mut found = get(&self.by_person, &r.remote_id);
            for a in get(&self.by_email, &r.remote_id) {
                if !found.iter().any(|f| f.id == a.id) {
                    found.push(a);
                }
            }
            if !found.is_empty() {
                return (Some("username → remote id"), found);
            }
        }
        (None, Vec::new())
    }
}

fn offering_key(a: &Association) -> String {
    a.offering_code.clone().or_else(|| a.offering_id.clone()).unwrap_or_else(|| "(unknown offering)".into())
}

fn describe(a: &Association) -> String {
    format!(
        "{} in {} (association {})",
        a.person_name.clone().or_else(|| a.person_email.clone()).or_else(|| a.person_id.clone()).unwrap_or_default(),
        a.offering_name.clone().or_else(|| a.offering_code.clone()).unwrap_or_default(),
        a.association_id.as_deref().unwrap_or("?")
    )
}

/// A result in words: "72, passed (completed 2027-02-01)".
pub fn result_words(v: &Value) -> String {
    let r = v.get("result").unwrap_or(v);
    let s = |k: &str| r.get(k).and_then(Value::as_str);
    let mut out = s("score").unwrap_or("no score").to_string();
    if let Some(p) = s("pass") {
        out.push_str(&format!(", {p}"));
    }
    match (s("state"), s("resultDate")) {
        (Some(st), Some(d)) => out.push_str(&format!(" ({st} {d})")),
        (Some(st), None) => out.push_str(&format!(" ({st})")),
        _ => {}
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Preview

/// The settings for an offering: given, else last used, else what the offering says, else defaults.
fn settings_for(cw: &Crosswalk, given: &ResultSettings, a: &Association) -> Result<(ResultSettings, String)> {
    let saved: ResultSettings = ledger::result_defaults(&cw.store.conn(), &a.profile_id, &offering_key(a))?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let from = if given.result_value_type.is_some() {
        "given"
    } else if saved.result_value_type.is_some() {
        "last used"
    } else if a.offering_result_type.is_some() {
        "offering"
    } else {
        "unknown"
    };
    let mut s = given.clone().or(&saved);
    if s.result_value_type.is_none() {
        s.result_value_type = a.offering_result_type.clone();
    }
    Ok((s, from.into()))
}

/// Builds the `{"result": …}` body for a grade (or a score already on the scale).
fn body_for(s: &ResultSettings, today: &str, grade: Option<f64>, score: Option<&str>) -> Result<(Value, String, String)> {
    let value_type = s.result_value_type.as_deref().ok_or_else(|| {
        Error::Invalid(
            "The offering's result value type is not known: choose one (0-100, 1-10, US letter, UK letter, pass-or-fail).".into(),
        )
    })?;
    if !VALUE_TYPES.contains(&value_type) {
        return Err(Error::Invalid(format!("\"{value_type}\" is not a result value type. Choose one of: {}.", VALUE_TYPES.join(", "))));
    }
    let threshold = s.pass_threshold.unwrap_or(0.5);
    let letters = s.letters.as_deref().map(parse_letters).transpose()?.unwrap_or_default();
    let (score, pass) = match (score, grade) {
        (Some(sc), _) => (sc.to_string(), "unknown".to_string()),
        (None, Some(g)) => (convert(g, value_type, threshold, &letters)?, pass_of(g, threshold).to_string()),
        (None, None) => return Err(Error::Invalid("No grade: Open edX has none for this learner (Not Attempted).".into())),
    };
    let load = s
        .study_load
        .ok_or_else(|| Error::Invalid("A course result needs its study load: give the course's credits (for example 5 ECTS).".into()))?;
    let mut r = Map::new();
    r.insert("state".into(), json!(s.state.as_deref().unwrap_or("completed")));
    r.insert("resultDate".into(), json!(s.result_date.as_deref().unwrap_or(today)));
    r.insert("pass".into(), json!(pass));
    r.insert("score".into(), json!(score));
    r.insert("studyLoad".into(), json!({"studyLoadUnit": s.study_load_unit.as_deref().unwrap_or("ects"), "value": load}));
    if let Some(c) = s.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        r.insert("comment".into(), json!(c));
    }
    let mut ext = Map::new();
    ext.insert("resultValueType".into(), json!(value_type));
    let teachers: Vec<Value> = s.teachers.iter().filter(|t| !t.trim().is_empty()).map(|t| json!({"displayName": t.trim()})).collect();
    if !teachers.is_empty() {
        ext.insert("responsibleTeachers".into(), Value::Array(teachers));
    }
    r.insert("ext".into(), Value::Object(ext));
    let body = json!({ "result": Value::Object(r) });
    let report = schema::validate(schema::Message::PatchRequest, &body);
    if !report.is_valid() {
        return Err(Error::Invalid(format!("The result does not follow the OOAPI v5 specification: {}", report.summary())));
    }
    Ok((body, score, pass))
}

/// Reads the source, matches every row, and builds what would be sent. Sends nothing.
pub async fn preview(cw: &Crosswalk, req: &ResultsRequest, cancel: &CancellationToken) -> Result<ResultsPreview> {
    if let Some(t) = req.settings.result_value_type.as_deref() {
        if !VALUE_TYPES.contains(&t) {
            return Err(Error::Invalid(format!("\"{t}\" is not a result value type. Choose one of: {}.", VALUE_TYPES.join(", "))));
        }
    }
    if let Some(t) = req.settings.pass_threshold.filter(|t| !(0.0..=1.0).contains(t)) {
        return Err(Error::Invalid(format!("The pass threshold is a grade between 0 and 1 (like Open edX's), not {t}.")));
    }
    if let Some(u) = req.settings.study_load_unit.as_deref().filter(|u| !STUDY_LOAD_UNITS.contains(u)) {
        return Err(Error::Invalid(format!("\"{u}\" is not a study load unit. Choose one of: {}.", STUDY_LOAD_UNITS.join(", "))));
    }
    if let Some(d) = req.settings.result_date.as_deref().filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()) {
        return Err(Error::Invalid(format!("The result date \"{d}\" is not a date: write it as YYYY-MM-DD.")));
    }
    if let Some(l) = req.settings.letters.as_deref() {
        parse_letters(l)?;
    }
    if let Some(st) = req.settings.state.as_deref().filter(|s| !RESULT_STATES.contains(s)) {
        return Err(Error::Invalid(format!("\"{st}\" is not a result state. Choose one of: {}.", RESULT_STATES.join(", "))));
    }
    let (label, inputs) = read_source(cw, &req.source, cancel).await?;
    let all: Vec<Association> = {
        let conn = cw.store.conn();
        ledger::all(&conn, req.profile_id.as_deref())?
    };
    let wanted = req.offering.as_deref().map(|o| o.trim().to_lowercase());
    let pool: Vec<Association> = all
        .into_iter()
        .filter(|a| a.association_id.is_some())
        .filter(|a| {
            wanted.as_ref().is_none_or(|w| {
                a.offering_code.as_deref().is_some_and(|c| c.to_lowercase() == *w)
                    || a.offering_id.as_deref().is_some_and(|c| c.to_lowercase() == *w)
            })
        })
        .collect();
    if pool.is_empty() {
        return Err(Error::Invalid(match &req.offering {
            Some(o) => format!(
                "The ledger holds no association for the offering \"{o}\". Check the offering code, or import the associations first."
            ),
            None => "The ledger holds no association yet: create or import the associations before returning results.".into(),
        }));
    }
    let index = Index::new(&pool);
    let today = cw.clock.now().date_naive().to_string();
    let mut settings_cache: HashMap<(String, String), (ResultSettings, String)> = HashMap::new();
    let mut rows = Vec::with_capacity(inputs.len());
    let mut claimed: HashMap<i64, usize> = HashMap::new();
    let mut matched_offerings: HashMap<String, MatchedOffering> = HashMap::new();
    for input in &inputs {
        let (rule, found) = index.find(input);
        let mut seen = std::collections::HashSet::new();
        for a in &found {
            let key = offering_key(a);
            if seen.insert(key.clone()) {
                let name = a.offering_name.clone().unwrap_or_else(|| key.clone());
                matched_offerings.entry(key.clone()).or_insert(MatchedOffering { offering: key, name, rows: 0 }).rows += 1;
            }
        }
        let mut row = ResultRow {
            line: input.line,
            source: input.label(),
            grade: input.grade.clone().or_else(|| input.score.clone()),
            status: ResultRowStatus::Unmatched,
            rule: rule.map(str::to_string),
            association: None,
            association_id: None,
            student: None,
            home: None,
            offering: None,
            state: None,
            result_value_type: None,
            score: None,
            pass: None,
            previous: None,
            warnings: Vec::new(),
            candidates: Vec::new(),
            selected: false,
            body: None,
        };
        match found.len() {
            0 => {
                row.warnings.push(match rule {
                    Some("association id") => {
                        "This association id is not in the ledger (or not in the chosen connection or offering).".into()
                    }
                    _ => "No association matches this student by email, personId or remote id.".into(),
                });
                rows.push(row);
                continue;
            }
            1 => {}
            _ => {
                row.status = ResultRowStatus::Ambiguous;
                row.candidates = found.iter().map(|a| describe(a)).collect();
                row.warnings.push(format!(
                    "{} associations match by {}: choose the offering (--offering) so only one remains.",
                    found.len(),
                    rule.unwrap_or_default()
                ));
                rows.push(row);
                continue;
            }
        }
        let a = found[0];
        row.association = Some(a.id);
        row.association_id = a.association_id.clone();
        row.student = a.person_name.clone().or_else(|| a.person_email.clone()).or_else(|| a.person_id.clone());
        row.home = Some(a.home.clone());
        row.offering = Some(a.offering_name.clone().or_else(|| a.offering_code.clone()).unwrap_or_default());
        row.state = a.state.clone();
        if let Some(first) = claimed.get(&a.id) {
            row.status = ResultRowStatus::Ambiguous;
            row.warnings
                .push(format!("Line {} also matches this association: Crosswalk does not guess which grade is right.", rows[*first].line));
            rows[*first].status = ResultRowStatus::Ambiguous;
            rows[*first].selected = false;
            rows[*first].warnings.push(format!("Line {} also matches this association.", input.line));
            rows.push(row);
            continue;
        }
        claimed.insert(a.id, rows.len());
        let key = (a.profile_id.clone(), offering_key(a));
        if !settings_cache.contains_key(&key) {
            settings_cache.insert(key.clone(), settings_for(cw, &req.settings, a)?);
        }
        let (s, _) = &settings_cache[&key];
        row.result_value_type = s.result_value_type.clone();
        let grade = input.grade.as_deref().and_then(parse_grade);
        if input.grade.is_some() && grade.is_none() && input.score.is_none() {
            row.warnings.push(format!("\"{}\" is not a grade Crosswalk can read.", input.grade.as_deref().unwrap_or_default()));
        }
        match body_for(s, &today, grade, input.score.as_deref()) {
            Err(e) => {
                row.status = ResultRowStatus::Incomplete;
                row.warnings.push(e.to_string());
            }
            Ok((body, score, pass)) => {
                row.score = Some(score);
                row.pass = Some(pass);
                row.status = ResultRowStatus::Ready;
                row.selected = true;
                if let Some(prev) = &a.result {
                    let same = prev.get("score") == body["result"].get("score") && prev.get("pass") == body["result"].get("pass");
                    row.previous = Some(result_words(prev));
                    row.status = ResultRowStatus::AlreadySent;
                    row.selected = req.resend;
                    row.warnings.push(if same {
                        format!("Result already sent with the same score: {}.", result_words(prev))
                    } else {
                        format!(
                            "Result already sent with a different score: {} (now {}).",
                            result_words(prev),
                            row.score.as_deref().unwrap_or_default()
                        )
                    });
                }
                match a.state.as_deref() {
                    Some("associated") | Some("finished") => {}
                    other => {
                        row.warnings.push(match other {
                            None => "The home side's state is not known yet: check the association first.".into(),
                            Some(s) => format!("Association not associated yet (home state: {s}): the home side may refuse a result."),
                        });
                        if row.status == ResultRowStatus::Ready {
                            row.status = ResultRowStatus::NotAssociated;
                            row.selected = false;
                        }
                    }
                }
                row.body = Some(body);
            }
        }
        rows.push(row);
    }
    let mut counts = ResultCounts { rows: rows.len() as u32, ..ResultCounts::default() };
    for r in &rows {
        match r.status {
            ResultRowStatus::Ready => counts.ready += 1,
            ResultRowStatus::AlreadySent => counts.already_sent += 1,
            ResultRowStatus::NotAssociated => counts.not_associated += 1,
            ResultRowStatus::Incomplete => counts.incomplete += 1,
            ResultRowStatus::Unmatched => counts.unmatched += 1,
            ResultRowStatus::Ambiguous => counts.ambiguous += 1,
        }
        counts.selected += u32::from(r.selected);
    }
    let mut offerings: Vec<OfferingResultSettings> = settings_cache
        .into_iter()
        .map(|((_, offering), (settings, from))| {
            let vt = settings.result_value_type.clone().unwrap_or_default();
            let letters = settings.letters.as_deref().and_then(|l| parse_letters(l).ok()).unwrap_or_default();
            let conversion = conversion_lines(&vt, settings.pass_threshold.unwrap_or(0.5), &letters);
            OfferingResultSettings { offering, settings, value_type_from: from, conversion }
        })
        .collect();
    offerings.sort_by(|a, b| a.offering.cmp(&b.offering));
    let mut matched_offerings: Vec<MatchedOffering> = matched_offerings.into_values().collect();
    matched_offerings.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.offering.cmp(&b.offering)));
    Ok(ResultsPreview { source: label, rows, counts, offerings, matched_offerings })
}

// ---------------------------------------------------------------------------------------------
// Send

/// Sends the selected rows' results (`lines`: the source lines chosen; the preview's selection
/// when `None`), a few at a time. Each row ends sent, refused, failed or skipped; cancelling stops
/// before the next row and keeps what was sent.
pub async fn send(
    cw: &Crosswalk,
    req: &ResultsRequest,
    lines: Option<&[u64]>,
    progress: impl Fn(ResultsProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<ResultsSent> {
    // The preview is made again here, not taken from the caller (the webview): what is sent is
    // what the ledger and the source say now.
    let preview = preview(cw, req, cancel).await?;
    send_previewed(cw, req, preview, lines, progress, cancel).await
}

/// [`send`] for a preview the caller has just made from `req` (the CLI, which shows it first).
pub async fn send_previewed(
    cw: &Crosswalk,
    req: &ResultsRequest,
    preview: ResultsPreview,
    lines: Option<&[u64]>,
    progress: impl Fn(ResultsProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<ResultsSent> {
    let chosen = |r: &ResultRow| match lines {
        Some(l) => l.contains(&r.line),
        None => r.selected,
    };
    let mut out = ResultsSent::default();
    let mut work = Vec::new();
    for r in preview.rows {
        if chosen(&r) && r.status.can_send() && r.body.is_some() {
            work.push(r);
        } else {
            let why = if !r.status.can_send() || r.body.is_none() {
                r.warnings.first().cloned().unwrap_or_else(|| "Nothing to send for this row.".into())
            } else {
                "Not selected.".into()
            };
            out.rows.push(SentRow {
                line: r.line,
                association: r.association,
                student: r.student,
                score: r.score,
                outcome: SendOutcome::Skipped,
                message: why,
            });
        }
    }
    let total = work.len() as u32;
    let done = AtomicU32::new(0);
    progress(ResultsProgress { done: 0, total });
    let sent_offerings = std::sync::Mutex::new(Vec::<(String, String)>::new());
    let results: Vec<SentRow> = futures::stream::iter(work)
        .map(|r| {
            let done = &done;
            let progress = &progress;
            let sent_offerings = &sent_offerings;
            async move {
                let row = if cancel.is_cancelled() {
                    SentRow {
                        line: r.line,
                        association: r.association,
                        student: r.student.clone(),
                        score: r.score.clone(),
                        outcome: SendOutcome::Skipped,
                        message: "Cancelled before it was sent.".into(),
                    }
                } else {
                    send_one(cw, &r, sent_offerings, cancel).await
                };
                progress(ResultsProgress { done: done.fetch_add(1, Ordering::Relaxed) + 1, total });
                row
            }
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    out.rows.extend(results);
    out.rows.sort_by_key(|r| r.line);
    for r in &out.rows {
        match r.outcome {
            SendOutcome::Sent => out.sent += 1,
            SendOutcome::Refused => out.refused += 1,
            SendOutcome::Failed => out.failed += 1,
            SendOutcome::Skipped => out.skipped += 1,
        }
    }
    out.cancelled = cancel.is_cancelled();
    // What was used becomes the offering's default for next time.
    let at = super::now(cw);
    let saved = sent_offerings.into_inner().unwrap_or_default();
    for (profile_id, offering) in saved.iter().collect::<std::collections::BTreeSet<_>>() {
        let conn = cw.store.conn();
        let previous: ResultSettings =
            ledger::result_defaults(&conn, profile_id, offering)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
        let mut used = req.settings.clone().or(&previous);
        used.result_date = None; // a date is per return, not a default
        ledger::save_result_defaults(&conn, profile_id, offering, &serde_json::to_string(&used).unwrap_or_default(), &at)?;
    }
    let summary = format!("{}: {} sent, {} refused, {} failed, {} skipped", preview.source, out.sent, out.refused, out.failed, out.skipped);
    cw.activity.record(if out.refused + out.failed > 0 {
        NewActivity::error("enrollments.results", "OOAPI", summary)
    } else {
        NewActivity::ok("enrollments.results", "OOAPI", summary)
    });
    Ok(out)
}

async fn send_one(
    cw: &Crosswalk,
    r: &ResultRow,
    sent_offerings: &std::sync::Mutex<Vec<(String, String)>>,
    cancel: &CancellationToken,
) -> SentRow {
    let mut row = SentRow {
        line: r.line,
        association: r.association,
        student: r.student.clone(),
        score: r.score.clone(),
        outcome: SendOutcome::Failed,
        message: String::new(),
    };
    let outcome = async {
        let id = r.association.ok_or_else(|| Error::Invalid("no association".into()))?;
        let a =
            ledger::get(&cw.store.conn(), id)?.ok_or_else(|| Error::Invalid(format!("Association {id} is no longer in the ledger.")))?;
        let association_id = a.association_id.clone().ok_or_else(|| Error::Invalid("This association has no id yet.".into()))?;
        let profile = cw.profile(&a.profile_id)?;
        let body = r.body.clone().unwrap_or(Value::Null);
        let x = home::patch(cw, &profile, &association_id, a.person_id.as_deref(), body.clone(), cancel).await?;
        ledger::set_exchange(&cw.store.conn(), a.id, &x.request, &x.answer_text())?;
        if !x.answer.is_success() {
            return Ok::<_, Error>((
                SendOutcome::Refused,
                home::explain(&profile, &x.answer, &format!("association {association_id}")).to_string(),
            ));
        }
        let v = x.answer.value();
        let message = home::messages(&v);
        let at = super::now(cw);
        let previous = a.result.as_ref().map(result_words);
        let now_words = result_words(&body);
        ledger::record_result(
            &cw.store.conn(),
            a.id,
            &body["result"],
            &Event {
                who: "host",
                field: "result",
                from: previous.as_deref(),
                to: Some(&now_words),
                message: message.as_deref(),
                request_id: super::request_id(&x.answer).as_deref(),
            },
            &at,
        )?;
        // The answer carries the home state too.
        super::apply(cw, &a, &json!({ "state": v.get("state") }), "host", None)?;
        sent_offerings.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((a.profile_id.clone(), offering_key(&a)));
        Ok((SendOutcome::Sent, message.unwrap_or_else(|| "The home institution accepted the result.".into())))
    }
    .await;
    match outcome {
        Ok((o, m)) => {
            row.outcome = o;
            row.message = m;
        }
        Err(Error::Cancelled) => {
            row.outcome = SendOutcome::Skipped;
            row.message = "Cancelled while sending: refresh the association to see whether the home side received it.".into();
        }
        Err(e) => row.message = e.to_string(),
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_as_fractions_or_percentages() {
        assert_eq!(parse_grade("0.87"), Some(0.87));
        assert_eq!(parse_grade("87%"), Some(0.87));
        assert_eq!(parse_grade(" 1 "), Some(1.0));
        assert_eq!(parse_grade("Not Attempted"), None);
        assert_eq!(parse_grade(""), None);
        assert_eq!(parse_grade("1.5"), None, "above 1 is not an Open edX grade");
        assert_eq!(parse_grade("-0.1"), None);
    }

    #[test]
    fn zero_to_hundred_rounds_half_up_at_the_boundaries() {
        for (g, want) in
            [(0.0, "0"), (0.004, "0"), (0.005, "1"), (0.285, "29"), (0.895, "90"), (0.8949, "89"), (0.999, "100"), (1.0, "100")]
        {
            assert_eq!(convert(g, "0-100", 0.5, &[]).unwrap(), want, "{g}");
        }
    }

    #[test]
    fn one_to_ten_is_one_plus_nine_times_the_grade() {
        for (g, want) in [(0.0, "1.0"), (0.5, "5.5"), (0.85, "8.7"), (0.8444, "8.6"), (1.0, "10.0"), (0.05, "1.5")] {
            assert_eq!(convert(g, "1-10", 0.5, &[]).unwrap(), want, "{g}");
        }
    }

    #[test]
    fn letters_follow_their_cutoffs_with_the_cutoff_itself_included() {
        for (g, want) in [(0.9, "A"), (0.8999, "B"), (0.8, "B"), (0.7, "C"), (0.6, "D"), (0.5999, "F"), (0.0, "F")] {
            assert_eq!(convert(g, "US letter", 0.5, &[]).unwrap(), want, "US {g}");
        }
        for (g, want) in [(0.7, "A"), (0.6999, "B"), (0.5, "C"), (0.4, "D"), (0.3, "E"), (0.2999, "F")] {
            assert_eq!(convert(g, "UK letter", 0.5, &[]).unwrap(), want, "UK {g}");
        }
        // Edited cutoffs are used, in any order.
        let custom = vec![LetterCutoff { letter: "P".into(), min: 0.0 }, LetterCutoff { letter: "D".into(), min: 0.75 }];
        assert_eq!(convert(0.75, "US letter", 0.5, &custom).unwrap(), "D");
        assert_eq!(convert(0.74, "US letter", 0.5, &custom).unwrap(), "P");
        // A table that leaves low grades uncovered is an error, not a silent letter.
        let gap = vec![LetterCutoff { letter: "A".into(), min: 0.5 }];
        assert!(convert(0.2, "US letter", 0.5, &gap).is_err());
    }

    #[test]
    fn letter_cutoffs_are_read_from_text_and_must_cover_every_grade() {
        let l = parse_letters("A=0.85, B = 0.7; C=0").unwrap();
        assert_eq!(l.iter().map(|c| (c.letter.as_str(), c.min)).collect::<Vec<_>>(), vec![("A", 0.85), ("B", 0.7), ("C", 0.0)]);
        assert_eq!(convert(0.86, "UK letter", 0.5, &l).unwrap(), "A");
        assert!(parse_letters("A=0.9, B=0.5").unwrap_err().to_string().contains("lowest cutoff must be 0"));
        assert!(parse_letters("A=90, F=0").is_err());
        assert!(parse_letters("A:0.9").is_err());
    }

    #[test]
    fn pass_or_fail_and_pass_use_the_threshold() {
        assert_eq!(convert(0.6, "pass-or-fail", 0.6, &[]).unwrap(), "pass");
        assert_eq!(convert(0.5999, "pass-or-fail", 0.6, &[]).unwrap(), "fail");
        assert_eq!(pass_of(0.55, 0.55), "passed");
        assert_eq!(pass_of(0.549, 0.55), "failed");
        assert!(convert(0.5, "A-F", 0.5, &[]).is_err());
    }

    #[test]
    fn a_body_is_valid_v5_and_carries_the_euroteq_extensions() {
        let s = ResultSettings {
            result_value_type: Some("0-100".into()),
            study_load: Some(5.0),
            teachers: vec!["Dr. Ada Lovelace".into()],
            ..ResultSettings::default()
        };
        let (body, score, pass) = body_for(&s, "2027-02-01", Some(0.875), None).unwrap();
        assert_eq!((score.as_str(), pass.as_str()), ("88", "passed"));
        assert_eq!(body["result"]["score"], "88");
        assert_eq!(body["result"]["resultDate"], "2027-02-01");
        assert_eq!(body["result"]["state"], "completed");
        assert_eq!(body["result"]["studyLoad"], json!({"studyLoadUnit": "ects", "value": 5.0}));
        assert_eq!(body["result"]["ext"]["resultValueType"], "0-100");
        assert_eq!(body["result"]["ext"]["responsibleTeachers"][0]["displayName"], "Dr. Ada Lovelace");
        assert!(schema::validate(schema::Message::PatchRequest, &body).is_valid());
        // A course result needs its study load.
        let no_load = ResultSettings { study_load: None, ..s.clone() };
        assert!(body_for(&no_load, "2027-02-01", Some(0.8), None).unwrap_err().to_string().contains("study load"));
        // No grade, no body.
        assert!(body_for(&s, "2027-02-01", None, None).is_err());
    }
}
