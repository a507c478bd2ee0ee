//! Validation of association bodies against the OOAPI v5 specification (`crates/core/spec/ooapi-v5.yaml`),
//! with the spec's known defects relaxed and every relaxation reported, so a real violation (a
//! missing required `mail`, a score that is not a string) still fails.
//!
//! The relaxations, and only these (see `../shared/reference/ooapi-enrollment.md`, "Known defects"):
//! - the `oneOf` unions whose branches overlap (Program/Course/Component variants of an association,
//!   its offering and the PATCH `result`) accept a body that matches several branches, as `anyOf`;
//! - read-only fields (`associationId`, `state`, `associationType`, `primaryCode`…) are not required
//!   in a request body, and write-only ones (`remoteState`) not in an answer.
//!
//! The validator covers the OpenAPI 3.0 schema keywords the spec uses: `type` with `nullable`,
//! `enum`, `properties`/`required`/`additionalProperties`, `items`/`minItems`/`maxItems`,
//! `minLength`/`maxLength`/`pattern`, `minimum`/`maximum`, `format` (date, date-time, uuid, email,
//! uri), `allOf`/`anyOf`/`oneOf` and local `$ref`s.

use std::sync::LazyLock;

use serde::Serialize;
use serde_json::Value;

static SPEC_TEXT: &str = include_str!("../../spec/ooapi-v5.yaml");

static SPEC: LazyLock<Value> =
    LazyLock::new(|| serde_yaml_ng::from_str(SPEC_TEXT).expect("the vendored OOAPI v5 specification is valid YAML"));

/// The `oneOf` unions the spec gets wrong (overlapping branches), by their place in the spec.
const OVERLAPPING_UNIONS: &[&str] = &[
    "#/components/schemas/AssociationWrite",
    "#/components/schemas/AssociationWrite/properties/offering",
    "#/components/schemas/AssociationFull",
    "#/components/schemas/AssociationFull/properties/offering",
    "#/paths/~1associations~1{associationId}/patch/requestBody/content/application~1merge-patch+json/schema/properties/result",
];

/// What is being validated: a request Crosswalk (or a partner) sends, or an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Message {
    /// `POST /associations/external/me` body.
    CreateRequest,
    /// Its 201 answer.
    CreateAnswer,
    /// `PATCH /associations/{id}` body (merge-patch: `remoteState` and/or `result`).
    PatchRequest,
    /// Its 200 answer.
    PatchAnswer,
    /// `GET /associations/{id}` answer.
    Association,
    /// `GET /persons/me` answer.
    PersonMe,
    /// An error answer (`application/problem+json`).
    Problem,
}

impl Message {
    fn pointer(self) -> &'static str {
        match self {
            Self::CreateRequest => "#/paths/~1associations~1external~1me/post/requestBody/content/application~1json/schema",
            Self::CreateAnswer => "#/paths/~1associations~1external~1me/post/responses/201/content/application~1json/schema",
            Self::PatchRequest => "#/paths/~1associations~1{associationId}/patch/requestBody/content/application~1merge-patch+json/schema",
            Self::PatchAnswer => "#/paths/~1associations~1{associationId}/patch/responses/200/content/application~1json/schema",
            Self::Association => "#/paths/~1associations~1{associationId}/get/responses/200/content/application~1json/schema",
            Self::PersonMe => "#/paths/~1persons~1me/get/responses/200/content/application~1json/schema",
            Self::Problem => "#/components/schemas/Problem",
        }
    }

    fn is_request(self) -> bool {
        matches!(self, Self::CreateRequest | Self::PatchRequest)
    }
}

/// One way the body breaks the spec. `at` is where in the body (`offering.primaryCode.code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub at: String,
    pub message: String,
}

/// A place where the spec itself is wrong and the check was relaxed: "spec defect, not your bug".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relaxation {
    pub at: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub relaxations: Vec<Relaxation>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// The violations as one sentence for an error message ("offering.name is required; …").
    pub fn summary(&self) -> String {
        self.violations
            .iter()
            .map(|v| if v.at.is_empty() { v.message.clone() } else { format!("{}: {}", v.at, v.message) })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Validates `value` as `message` against the OOAPI v5 specification.
pub fn validate(message: Message, value: &Value) -> Report {
    let mut report = Report::default();
    let v = Validator { request: message.is_request() };
    match resolve(message.pointer()) {
        Some(schema) => v.check(schema, message.pointer(), value, "", &mut report),
        None => report
            .violations
            .push(Violation { at: String::new(), message: format!("the specification has no schema at {}", message.pointer()) }),
    }
    dedup(&mut report.relaxations);
    report
}

fn dedup(relaxations: &mut Vec<Relaxation>) {
    let mut seen = std::collections::HashSet::new();
    relaxations.retain(|r| seen.insert((r.at.clone(), r.note.clone())));
}

/// The spec node at a local JSON pointer (`#/components/schemas/X`).
fn resolve(pointer: &str) -> Option<&'static Value> {
    let path = pointer.strip_prefix('#')?;
    SPEC.pointer(path)
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

struct Validator {
    request: bool,
}

impl Validator {
    /// Checks `value` (at `at` in the body) against `schema` (at `here` in the spec).
    fn check(&self, schema: &Value, here: &str, value: &Value, at: &str, out: &mut Report) {
        let Some(s) = schema.as_object() else { return };
        if let Some(Value::String(r)) = s.get("$ref") {
            match resolve(r) {
                Some(target) => self.check(target, r, value, at, out),
                None => out
                    .violations
                    .push(Violation { at: at.into(), message: format!("the specification refers to {r}, which it does not define") }),
            }
            return;
        }
        if value.is_null() && s.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for (i, sub) in all.iter().enumerate() {
                self.check(sub, &format!("{here}/allOf/{i}"), value, at, out);
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            self.union(any, &format!("{here}/anyOf"), here, value, at, out, false);
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            self.union(one, &format!("{here}/oneOf"), here, value, at, out, true);
        }
        if let Some(t) = s.get("type").and_then(Value::as_str) {
            let ok = match t {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "boolean" => value.is_boolean(),
                "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
                "number" => value.is_number(),
                _ => true,
            };
            if !ok {
                out.violations.push(Violation { at: at.into(), message: format!("should be {}, not {}", article(t), type_name(value)) });
                return;
            }
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                let list = options.iter().map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_string)).collect::<Vec<_>>().join(", ");
                out.violations.push(Violation { at: at.into(), message: format!("{value} is not one of: {list}") });
            }
        }
        match value {
            Value::Object(map) => self.object(s, here, map, at, out),
            Value::Array(items) => {
                let n = items.len() as u64;
                if let Some(min) = s.get("minItems").and_then(Value::as_u64).filter(|m| n < *m) {
                    out.violations.push(Violation { at: at.into(), message: format!("needs at least {min} item(s), has {n}") });
                }
                if let Some(max) = s.get("maxItems").and_then(Value::as_u64).filter(|m| n > *m) {
                    out.violations.push(Violation { at: at.into(), message: format!("allows at most {max} item(s), has {n}") });
                }
                if let Some(item) = s.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.check(item, &format!("{here}/items"), v, &format!("{at}[{i}]"), out);
                    }
                }
            }
            Value::String(text) => string(s, text, at, out),
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = s.get("minimum").and_then(Value::as_f64).filter(|m| x < *m) {
                    out.violations.push(Violation { at: at.into(), message: format!("{x} is below the minimum {min}") });
                }
                if let Some(max) = s.get("maximum").and_then(Value::as_f64).filter(|m| x > *m) {
                    out.violations.push(Violation { at: at.into(), message: format!("{x} is above the maximum {max}") });
                }
            }
            _ => {}
        }
    }

    fn object(&self, s: &serde_json::Map<String, Value>, here: &str, map: &serde_json::Map<String, Value>, at: &str, out: &mut Report) {
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if map.get(name).is_some_and(|v| !v.is_null()) {
                    continue;
                }
                let prop = props.and_then(|p| p.get(name));
                let (read_only, write_only) = prop.map(access).unwrap_or_default();
                if self.request && read_only {
                    out.relaxations.push(Relaxation {
                        at: join(at, name),
                        note: format!("spec defect, not your bug: `{name}` is read-only (the home side sets it) but the spec lists it as required in the request"),
                    });
                } else if !self.request && write_only {
                    out.relaxations.push(Relaxation {
                        at: join(at, name),
                        note: format!("spec defect, not your bug: `{name}` is write-only but the spec lists it as required in the answer"),
                    });
                } else {
                    out.violations.push(Violation { at: join(at, name), message: "is required but missing".into() });
                }
            }
        }
        if let Some(props) = props {
            for (name, sub) in props {
                if let Some(v) = map.get(name) {
                    self.check(sub, &format!("{here}/properties/{name}"), v, &join(at, name), out);
                }
            }
        }
        if s.get("additionalProperties") == Some(&Value::Bool(false)) {
            for name in map.keys().filter(|k| props.is_none_or(|p| !p.contains_key(*k))) {
                out.violations.push(Violation { at: join(at, name), message: "is not allowed here".into() });
            }
        } else if let Some(extra @ Value::Object(_)) = s.get("additionalProperties") {
            for (name, v) in map.iter().filter(|(k, _)| props.is_none_or(|p| !p.contains_key(*k))) {
                self.check(extra, &format!("{here}/additionalProperties"), v, &join(at, name), out);
            }
        }
    }

    /// `anyOf`/`oneOf`: at least one branch must match; for `oneOf`, exactly one, except in the
    /// unions the spec gets wrong, where several matches are accepted and reported as a relaxation.
    #[allow(clippy::too_many_arguments)]
    fn union(&self, branches: &[Value], here: &str, owner: &str, value: &Value, at: &str, out: &mut Report, exactly_one: bool) {
        let mut results = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            let mut r = Report::default();
            self.check(b, &format!("{here}/{i}"), value, at, &mut r);
            results.push((i, r));
        }
        let matched: Vec<&(usize, Report)> = results.iter().filter(|(_, r)| r.is_valid()).collect();
        match matched.len() {
            0 => {
                // Report the branch that came closest, so the message names what to fix.
                let best = results.into_iter().min_by_key(|(_, r)| r.violations.len()).map(|(_, r)| r).unwrap_or_default();
                if branches.len() > 1 {
                    let names = branches.iter().map(branch_name).collect::<Vec<_>>().join(", ");
                    out.violations
                        .push(Violation { at: at.into(), message: format!("matches none of: {names}; the closest one fails as follows") });
                }
                out.violations.extend(best.violations);
                out.relaxations.extend(best.relaxations);
            }
            1 => out.relaxations.extend(matched[0].1.relaxations.iter().cloned()),
            n if !exactly_one || OVERLAPPING_UNIONS.contains(&owner) => {
                if exactly_one {
                    let names = matched.iter().map(|(i, _)| branch_name(&branches[*i])).collect::<Vec<_>>().join(", ");
                    out.relaxations.push(Relaxation {
                        at: at.into(),
                        note: format!(
                            "spec defect, not your bug: the spec's `oneOf` here has overlapping alternatives, and this value matches {n} of them ({names}); accepted as `anyOf`"
                        ),
                    });
                }
                out.relaxations.extend(matched[0].1.relaxations.iter().cloned());
            }
            n => {
                let names = matched.iter().map(|(i, _)| branch_name(&branches[*i])).collect::<Vec<_>>().join(", ");
                out.violations
                    .push(Violation { at: at.into(), message: format!("must match exactly one alternative but matches {n}: {names}") });
            }
        }
    }
}

/// Whether a property is read-only / write-only (directly, or on the schema it refers to).
fn access(prop: &Value) -> (bool, bool) {
    let flag = |v: &Value, k: &str| v.get(k).and_then(Value::as_bool) == Some(true);
    let target = prop.get("$ref").and_then(Value::as_str).and_then(resolve);
    (
        flag(prop, "readOnly") || target.is_some_and(|t| flag(t, "readOnly")),
        flag(prop, "writeOnly") || target.is_some_and(|t| flag(t, "writeOnly")),
    )
}

fn branch_name(b: &Value) -> String {
    b.get("title")
        .and_then(Value::as_str)
        .or_else(|| b.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()))
        .unwrap_or("an inline schema")
        .to_string()
}

fn article(t: &str) -> String {
    match t {
        "object" => "an object".into(),
        "array" => "a list".into(),
        "integer" => "an integer".into(),
        other => format!("a {other}"),
    }
}

fn string(s: &serde_json::Map<String, Value>, text: &str, at: &str, out: &mut Report) {
    let len = text.chars().count() as u64;
    if let Some(min) = s.get("minLength").and_then(Value::as_u64).filter(|m| len < *m) {
        out.violations.push(Violation { at: at.into(), message: format!("needs at least {min} character(s)") });
    }
    if let Some(max) = s.get("maxLength").and_then(Value::as_u64).filter(|m| len > *m) {
        out.violations.push(Violation { at: at.into(), message: format!("is longer than {max} characters") });
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str) {
        if regex::Regex::new(p).is_ok_and(|re| !re.is_match(text)) {
            out.violations.push(Violation { at: at.into(), message: format!("\"{text}\" does not match the pattern {p}") });
        }
    }
    let format_ok = match s.get("format").and_then(Value::as_str) {
        Some("date") => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        Some("uuid") => uuid::Uuid::try_parse(text).is_ok(),
        Some("email") => text.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !text.contains(char::is_whitespace)),
        Some("uri") => url::Url::parse(text).is_ok(),
        _ => true,
    };
    if !format_ok {
        let f = s.get("format").and_then(Value::as_str).unwrap_or_default();
        let hint = match f {
            "date" => " (a date such as 2026-09-01)",
            "date-time" => " (a date and time such as 2026-09-01T09:00:00Z)",
            "uuid" => " (a UUID such as 123e4567-e89b-12d3-a456-426614174000)",
            _ => "",
        };
        out.violations.push(Violation { at: at.into(), message: format!("\"{text}\" is not a valid {f}{hint}") });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn course_offering() -> Value {
        json!({
            "offeringId": "123e4567-e89b-12d3-a456-426614174000",
            "primaryCode": {"codeType": "offeringCode", "code": "TUM-AI-2026"},
            "offeringType": "course",
            "name": [{"language": "en-GB", "value": "Applied AI"}],
            "description": [{"language": "en-GB", "value": "Applied AI for engineers"}],
            "teachingLanguage": "eng",
            "resultExpected": true,
            "startDate": "2026-09-01",
            "endDate": "2027-01-31",
            "course": {
                "primaryCode": {"codeType": "x-courseCode", "code": "AI-101"},
                "name": [{"language": "en-GB", "value": "Applied AI"}],
                "abbreviation": "AAI",
                "description": [{"language": "en-GB", "value": "Applied AI"}],
                "teachingLanguage": "eng",
                "level": "master"
            }
        })
    }

    fn create_body() -> Value {
        json!({
            "role": "student",
            "state": "associated",
            "remoteState": "pending",
            "offering": course_offering(),
            "issuer": {
                "primaryCode": {"codeType": "schacHome", "code": "host.example.edu"},
                "organizationType": "root",
                "name": [{"language": "en-GB", "value": "Host University"}],
                "shortName": "HOST"
            }
        })
    }

    #[test]
    fn the_spec_loads_and_every_message_has_a_schema() {
        for m in [
            Message::CreateRequest,
            Message::CreateAnswer,
            Message::PatchRequest,
            Message::PatchAnswer,
            Message::Association,
            Message::PersonMe,
            Message::Problem,
        ] {
            assert!(resolve(m.pointer()).is_some(), "{m:?}");
        }
        for u in OVERLAPPING_UNIONS {
            assert!(resolve(u).and_then(|s| s.get("oneOf")).is_some(), "{u} is a oneOf in the spec");
        }
    }

    #[test]
    fn a_realistic_euroteq_body_passes_with_the_union_defects_labelled() {
        let r = validate(Message::CreateRequest, &create_body());
        assert!(r.is_valid(), "{}", r.summary());
        assert!(r.relaxations.iter().all(|x| x.note.starts_with("spec defect, not your bug")));
        assert!(r.relaxations.iter().any(|x| x.note.contains("overlapping alternatives")), "{:?}", r.relaxations);
    }

    #[test]
    fn read_only_fields_are_not_required_in_a_request_but_are_in_an_answer() {
        let mut body = create_body();
        body.as_object_mut().unwrap().remove("state");
        let r = validate(Message::CreateRequest, &body);
        assert!(r.is_valid(), "{}", r.summary());
        assert!(r.relaxations.iter().any(|x| x.at == "state" && x.note.contains("read-only")), "{:?}", r.relaxations);

        // In an answer, the home side must give its state.
        let answer = json!({"associationId": "123e4567-e89b-12d3-a456-426614174000", "role": "student", "associationType": "courseOfferingAssociation"});
        let r = validate(Message::Association, &answer);
        assert!(r.violations.iter().any(|v| v.at == "state"), "{:?}", r.violations);
    }

    #[test]
    fn real_violations_still_fail() {
        // A missing required `remoteState`.
        let mut body = create_body();
        body.as_object_mut().unwrap().remove("remoteState");
        let r = validate(Message::CreateRequest, &body);
        assert!(r.violations.iter().any(|v| v.at == "remoteState" && v.message.contains("required")), "{:?}", r.violations);

        // A numeric code where the spec wants a string (the spec's own example makes this mistake).
        let mut body = create_body();
        body["offering"]["primaryCode"]["code"] = json!(12345);
        assert!(!validate(Message::CreateRequest, &body).is_valid());

        // An unknown remoteState.
        let mut body = create_body();
        body["remoteState"] = json!("approved");
        let r = validate(Message::CreateRequest, &body);
        assert!(r.violations.iter().any(|v| v.at == "remoteState" && v.message.contains("not one of")), "{:?}", r.violations);
    }

    #[test]
    fn a_person_without_mail_fails() {
        let person = json!({
            "personId": "123e4567-e89b-12d3-a456-426614174000",
            "givenName": "Ada", "surname": "Lovelace", "displayName": "Ada Lovelace",
            "affiliations": ["student"],
            "mail": "ada@home.example.edu",
            "primaryCode": {"codeType": "studentNumber", "code": "s1234567"},
            "activeEnrollment": true
        });
        let r = validate(Message::PersonMe, &person);
        assert!(r.is_valid(), "{}", r.summary());
        let mut without = person.clone();
        without.as_object_mut().unwrap().remove("mail");
        let r = validate(Message::PersonMe, &without);
        assert!(r.violations.iter().any(|v| v.at == "mail"), "{:?}", r.violations);
        assert!(r.relaxations.is_empty(), "no relaxation hides a missing mail: {:?}", r.relaxations);
    }

    #[test]
    fn a_course_result_patch_is_checked() {
        let good = json!({"result": {"state": "completed", "resultDate": "2027-02-01", "pass": "passed", "score": "8", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}});
        let r = validate(Message::PatchRequest, &good);
        assert!(r.is_valid(), "{}", r.summary());
        assert!(r.relaxations.iter().any(|x| x.at == "result"), "Course and Program results overlap: {:?}", r.relaxations);

        for (bad, at) in [
            (
                json!({"result": {"state": "done", "resultDate": "2027-02-01", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}}),
                "result.state",
            ),
            (
                json!({"result": {"state": "completed", "resultDate": "1 Feb 2027", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}}),
                "result.resultDate",
            ),
            (
                json!({"result": {"state": "completed", "resultDate": "2027-02-01", "score": 8, "studyLoad": {"studyLoadUnit": "ects", "value": 5}}}),
                "result.score",
            ),
            (
                json!({"result": {"state": "completed", "resultDate": "2027-02-01", "pass": "yes", "studyLoad": {"studyLoadUnit": "ects", "value": 5}}}),
                "result.pass",
            ),
        ] {
            let r = validate(Message::PatchRequest, &bad);
            assert!(r.violations.iter().any(|v| v.at == at), "{at}: {:?}", r.violations);
        }
    }

    #[test]
    fn a_problem_needs_a_string_status_in_v5() {
        assert!(validate(Message::Problem, &json!({"status": "404", "title": "Not found"})).is_valid());
        let r = validate(Message::Problem, &json!({"status": 404, "title": "Not found"}));
        assert!(r.violations.iter().any(|v| v.at == "status" && v.message.contains("string")), "{:?}", r.violations);
    }
}
