//! The body of `POST /associations/external/{person}`: the EuroTeQ minimum (association, the
//! offering with its course expanded, the issuer), checked here before anything is sent: first
//! the EuroTeQ minimum, then the v5 schema with its known defects relaxed ([`crate::ooapi::schema`]).

use serde_json::{json, Map, Value};

use crate::{Error, Result};

/// Builds the POST body from an offering template: either the offering object itself, or
/// `{"offering": {...}, "issuer": {...}, "role": "student"}`. `remote_state` is the host's
/// initial state (`associated`, `pending` or `queued`).
pub fn post_body(template: &Value, remote_state: &str) -> Result<Value> {
    let (offering, issuer, role) = match template.get("offering") {
        Some(o) => {
            (o.clone(), template.get("issuer").cloned(), template.get("role").and_then(Value::as_str).unwrap_or("student").to_string())
        }
        None => (template.clone(), None, "student".to_string()),
    };
    let initial = match remote_state {
        "associated" | "pending" | "queued" => remote_state,
        other => {
            return Err(Error::Invalid(format!(
                "A new association starts with remoteState associated, pending or queued, not \"{other}\"."
            )))
        }
    };
    let mut body = Map::new();
    body.insert("role".into(), json!(role));
    // The spec lists `state` as required on the POST body though the home side owns it; EuroTeQ
    // sends `associated` as a placeholder.
    body.insert("state".into(), json!("associated"));
    body.insert("remoteState".into(), json!(initial));
    body.insert("offering".into(), offering);
    if let Some(i) = issuer {
        body.insert("issuer".into(), i);
    }
    let body = Value::Object(body);
    let problems = check(&body);
    if !problems.is_empty() {
        return Err(Error::Invalid(format!(
            "The association body is not complete, so nothing was sent: {}. Fix the offering file and try again.",
            problems.join("; ")
        )));
    }
    let report = crate::ooapi::schema::validate(crate::ooapi::schema::Message::CreateRequest, &body);
    if !report.is_valid() {
        return Err(Error::Invalid(format!(
            "The association body does not follow the OOAPI v5 specification, so nothing was sent: {}. Fix the offering file and try again.",
            report.summary()
        )));
    }
    Ok(body)
}

fn missing(v: &Value, path: &str, fields: &[&str], out: &mut Vec<String>) {
    for f in fields {
        match v.get(*f) {
            None | Some(Value::Null) => out.push(format!("{path}.{f} is missing")),
            Some(Value::String(s)) if s.trim().is_empty() => out.push(format!("{path}.{f} is empty")),
            _ => {}
        }
    }
}

/// What the EuroTeQ minimum body lacks (empty when it is complete).
pub fn check(body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    missing(body, "association", &["role", "state", "remoteState"], &mut out);
    match body.get("offering") {
        Some(o @ Value::Object(_)) => {
            missing(
                o,
                "offering",
                &[
                    "offeringId",
                    "primaryCode",
                    "offeringType",
                    "name",
                    "description",
                    "teachingLanguage",
                    "resultExpected",
                    "startDate",
                    "endDate",
                ],
                &mut out,
            );
            if let Some(code) = o.get("primaryCode") {
                missing(code, "offering.primaryCode", &["codeType", "code"], &mut out);
                if code.get("code").is_some_and(|c| !c.is_string()) {
                    out.push("offering.primaryCode.code must be text (write it in quotes)".into());
                }
            }
            match o.get("course") {
                Some(c @ Value::Object(_)) => missing(
                    c,
                    "offering.course",
                    &["primaryCode", "name", "abbreviation", "description", "teachingLanguage", "level"],
                    &mut out,
                ),
                _ => out.push("offering.course is missing: EuroTeQ needs the course expanded in the offering".into()),
            }
            for d in ["startDate", "endDate"] {
                if let Some(s) = o.get(d).and_then(Value::as_str) {
                    if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() {
                        out.push(format!("offering.{d} \"{s}\" is not a date (YYYY-MM-DD)"));
                    }
                }
            }
        }
        _ => out.push("offering is missing".into()),
    }
    if let Some(i) = body.get("issuer") {
        missing(i, "issuer", &["primaryCode", "organizationType", "name", "shortName"], &mut out);
    }
    out
}

/// The offering fields the ledger keeps: id, code, name (the English text when it is a list of
/// `{language, value}`), start and end.
pub fn offering_fields(o: &Value) -> [Option<String>; 5] {
    let text = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Array(list) => list
                .iter()
                .find(|m| m.get("language").and_then(Value::as_str).is_some_and(|l| l.starts_with("en")))
                .or_else(|| list.first())
                .and_then(|m| m.get("value"))
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        }
    };
    [
        text(o.get("offeringId")),
        text(o.get("primaryCode").and_then(|c| c.get("code"))),
        text(o.get("name")),
        text(o.get("startDate")),
        text(o.get("endDate")),
    ]
}

/// A realistic offering template, shown in the create form and written by
/// `crosswalk enrollments template`.
pub fn example_template(host_schac_home: &str) -> Value {
    json!({
        "offering": {
            "offeringId": "123e4567-e89b-12d3-a456-426614174000",
            "primaryCode": {"codeType": "offeringCode", "code": "DS-101-2027"},
            "offeringType": "course",
            "name": [{"language": "en-GB", "value": "Introduction to Data Science"}],
            "description": [{"language": "en-GB", "value": "Foundations of data analysis, taught online."}],
            "teachingLanguage": "eng",
            "resultExpected": true,
            "startDate": "2027-02-01",
            "endDate": "2027-06-30",
            "course": {
                "primaryCode": {"codeType": "courseCode", "code": "DS-101"},
                "name": [{"language": "en-GB", "value": "Introduction to Data Science"}],
                "abbreviation": "DS101",
                "description": [{"language": "en-GB", "value": "Foundations of data analysis."}],
                "teachingLanguage": "eng",
                "level": "bachelor"
            }
        },
        "issuer": {
            "primaryCode": {"codeType": "schacHome", "code": host_schac_home},
            "organizationType": "root",
            "name": [{"language": "en-GB", "value": "Host University"}],
            "shortName": "HOST"
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_template_makes_a_complete_body() {
        let body = post_body(&example_template("host.example.edu"), "associated").unwrap();
        assert_eq!(body["remoteState"], "associated");
        assert_eq!(body["offering"]["course"]["abbreviation"], "DS101");
        assert!(check(&body).is_empty());
    }

    #[test]
    fn an_incomplete_offering_is_refused_before_sending_and_says_what_is_missing() {
        let mut t = example_template("host.example.edu");
        t["offering"].as_object_mut().unwrap().remove("course");
        t["offering"]["primaryCode"]["code"] = json!(101);
        t["offering"]["startDate"] = json!("1 Feb 2027");
        let e = post_body(&t, "associated").unwrap_err().to_string();
        assert!(e.contains("offering.course is missing"), "{e}");
        assert!(e.contains("must be text"), "{e}");
        assert!(e.contains("not a date"), "{e}");
        assert!(e.contains("nothing was sent"), "{e}");
    }

    #[test]
    fn a_host_cannot_start_with_a_final_state() {
        assert!(post_body(&example_template("h"), "denied").is_err());
        assert!(post_body(&example_template("h"), "queued").is_ok());
    }

    #[test]
    fn offering_fields_read_language_lists() {
        let [id, code, name, start, end] = offering_fields(&example_template("h")["offering"]);
        assert_eq!(id.as_deref(), Some("123e4567-e89b-12d3-a456-426614174000"));
        assert_eq!(code.as_deref(), Some("DS-101-2027"));
        assert_eq!(name.as_deref(), Some("Introduction to Data Science"));
        assert_eq!((start.as_deref(), end.as_deref()), (Some("2027-02-01"), Some("2027-06-30")));
    }
}
