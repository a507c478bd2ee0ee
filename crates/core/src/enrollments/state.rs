//! Association states: the v5 words, the v6 spellings accepted on input, and what each means in
//! plain words.

/// The states OOAPI v5 knows (`state` is the home side's, `remoteState` the host's).
pub const V5_STATES: [&str; 5] = ["pending", "canceled", "denied", "associated", "queued"];

/// The `remoteState` values a host may move an association to after creating it.
pub const HOST_CHANGES: [&str; 3] = ["associated", "denied", "canceled"];

/// A state as received, in the form the ledger keeps, and a note when the server spoke v6
/// (`cancelled`, `finished`) or something unknown.
pub fn normalise(raw: &str) -> (String, Option<String>) {
    let s = raw.trim().to_ascii_lowercase();
    match s.as_str() {
        "cancelled" => {
            ("canceled".into(), Some("the home side wrote \"cancelled\" (OOAPI v6 spelling); Crosswalk reads it as v5 \"canceled\"".into()))
        }
        "finished" => ("finished".into(), Some("the home side answered \"finished\", an OOAPI v6 state that v5 does not have".into())),
        _ if V5_STATES.contains(&s.as_str()) => (s, None),
        _ => (s.clone(), Some(format!("the home side answered the state \"{raw}\", which OOAPI v5 does not define"))),
    }
}

/// A state given by a person (`cancelled` accepted), in the v5 form sent to v5 servers.
pub fn for_v5(raw: &str) -> Option<&'static str> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "associated" => Some("associated"),
        "denied" => Some("denied"),
        "canceled" | "cancelled" => Some("canceled"),
        "pending" => Some("pending"),
        "queued" => Some("queued"),
        _ => None,
    }
}

/// What the home side's `state` means, for people.
pub fn explain_state(state: &str) -> &'static str {
    match state {
        "pending" => "The home institution has not decided yet. Crosswalk asks again on its schedule.",
        "queued" => {
            "The home institution has queued the request (for example until a deadline or a check). Crosswalk asks again on its schedule."
        }
        "associated" => "The home institution approved: the student is enrolled.",
        "denied" => "The home institution refused the enrollment. Its message says why; contact the student or the home office.",
        "canceled" => "The enrollment was cancelled.",
        "finished" => "The home side says the enrollment is finished (an OOAPI v6 state).",
        _ => "A state OOAPI v5 does not define: ask the home institution what it means.",
    }
}

/// What a host `remoteState` change tells the home side.
pub fn explain_change(remote_state: &str) -> &'static str {
    match remote_state {
        "associated" => "The home institution will see that we (the host) accept the student in the course.",
        "denied" => "The home institution will see that we (the host) refuse the student: the enrollment ends.",
        "canceled" => "The home institution will see that the enrollment is cancelled on our side: the student is no longer enrolled.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v6_spellings_are_read_and_noted() {
        assert_eq!(normalise("cancelled").0, "canceled");
        assert!(normalise("cancelled").1.unwrap().contains("v6"));
        assert_eq!(normalise("finished"), ("finished".into(), normalise("finished").1));
        assert!(normalise("finished").1.is_some());
        assert_eq!(normalise("Pending"), ("pending".into(), None));
        assert!(normalise("completed").1.unwrap().contains("does not define"));
    }

    #[test]
    fn people_may_type_either_spelling_and_v5_is_sent() {
        assert_eq!(for_v5("cancelled"), Some("canceled"));
        assert_eq!(for_v5("CANCELED"), Some("canceled"));
        assert_eq!(for_v5("completed"), None);
    }
}
