//! How the home institution decides: association states, the scenarios that move them on the
//! virtual clock, and which scenario an association follows.
//!
//! An association's `state` is a pure function of its scenario and of the virtual seconds since
//! it was created, so every GET agrees with the one before and after it. The scenario is the one
//! its offering code names ([`OoapiScenario::code_prefix`], e.g. `SCN-DENY-CS101`), otherwise the
//! student's own ([`OoapiPerson::scenario`](super::OoapiPerson::scenario), drawn from the seed).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Virtual seconds a `pending` (or `queued`) association waits before home decides.
pub const OOAPI_DECISION_SECS: i64 = 600;
/// Virtual seconds after which home cancels an association of [`OoapiScenario::HomeCancelsLater`].
pub const OOAPI_CANCEL_AFTER_SECS: i64 = 86_400;
/// Why home denies an association of [`OoapiScenario::PendingThenDenied`] (the `message` of the
/// association once denied).
pub const OOAPI_DENIAL_REASON: &str =
    "Denied by your home institution: this course is not part of your approved learning agreement. Contact your exchange coordinator.";

/// An association state (`associationState` and `remoteAssociationState` of OOAPI v5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OoapiState {
    /// Waiting for a decision.
    Pending,
    /// Withdrawn (v6 spells it `cancelled`).
    Canceled,
    /// Refused.
    Denied,
    /// Enrolled.
    Associated,
    /// On a waiting list.
    Queued,
}

impl OoapiState {
    /// Every state.
    pub const ALL: [OoapiState; 5] =
        [OoapiState::Pending, OoapiState::Canceled, OoapiState::Denied, OoapiState::Associated, OoapiState::Queued];

    /// The v5 spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OoapiState::Pending => "pending",
            OoapiState::Canceled => "canceled",
            OoapiState::Denied => "denied",
            OoapiState::Associated => "associated",
            OoapiState::Queued => "queued",
        }
    }

    /// Reads a v5 spelling; with `v6`, `cancelled` too.
    pub(crate) fn parse(text: &str, v6: bool) -> Option<Self> {
        match text {
            "cancelled" if v6 => Some(OoapiState::Canceled),
            _ => OoapiState::ALL.into_iter().find(|s| s.as_str() == text),
        }
    }
}

impl fmt::Display for OoapiState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What home does with an association over virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OoapiScenario {
    /// `associated` at once.
    InstantAssociated,
    /// `pending`, then `associated` after [`OOAPI_DECISION_SECS`].
    PendingThenAssociated,
    /// `pending`, then `denied` after [`OOAPI_DECISION_SECS`], with [`OOAPI_DENIAL_REASON`].
    PendingThenDenied,
    /// `queued`, then `associated` after [`OOAPI_DECISION_SECS`].
    QueuedThenAssociated,
    /// `pending` for ever: a client should flag it as stuck once it is old.
    PendingForever,
    /// `associated` at once, then `canceled` by home after [`OOAPI_CANCEL_AFTER_SECS`].
    HomeCancelsLater,
    /// `pending`, `associated`, `pending` again, then `associated` for good, changing every
    /// [`OOAPI_DECISION_SECS`].
    FlipFlop,
}

impl OoapiScenario {
    /// Every scenario.
    pub const ALL: [OoapiScenario; 7] = [
        OoapiScenario::InstantAssociated,
        OoapiScenario::PendingThenAssociated,
        OoapiScenario::PendingThenDenied,
        OoapiScenario::QueuedThenAssociated,
        OoapiScenario::PendingForever,
        OoapiScenario::HomeCancelsLater,
        OoapiScenario::FlipFlop,
    ];

    /// The snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            OoapiScenario::InstantAssociated => "instant_associated",
            OoapiScenario::PendingThenAssociated => "pending_then_associated",
            OoapiScenario::PendingThenDenied => "pending_then_denied",
            OoapiScenario::QueuedThenAssociated => "queued_then_associated",
            OoapiScenario::PendingForever => "pending_forever",
            OoapiScenario::HomeCancelsLater => "home_cancels_later",
            OoapiScenario::FlipFlop => "flip_flop",
        }
    }

    /// An offering whose `primaryCode.code` starts with this prefix (case-insensitive) makes
    /// every association with it follow this scenario, whoever the student:
    /// `SCN-INSTANT-`, `SCN-APPROVE-`, `SCN-DENY-`, `SCN-QUEUE-`, `SCN-FOREVER-`, `SCN-CANCEL-`,
    /// `SCN-FLIPFLOP-`.
    pub fn code_prefix(self) -> &'static str {
        match self {
            OoapiScenario::InstantAssociated => "SCN-INSTANT-",
            OoapiScenario::PendingThenAssociated => "SCN-APPROVE-",
            OoapiScenario::PendingThenDenied => "SCN-DENY-",
            OoapiScenario::QueuedThenAssociated => "SCN-QUEUE-",
            OoapiScenario::PendingForever => "SCN-FOREVER-",
            OoapiScenario::HomeCancelsLater => "SCN-CANCEL-",
            OoapiScenario::FlipFlop => "SCN-FLIPFLOP-",
        }
    }

    /// The scenario an offering code names, if any.
    pub fn of_offering_code(code: &str) -> Option<Self> {
        let upper = code.to_ascii_uppercase();
        OoapiScenario::ALL.into_iter().find(|s| upper.starts_with(s.code_prefix()))
    }

    /// The state `elapsed_secs` virtual seconds after creation (negative counts as 0).
    pub fn state_after(self, elapsed_secs: i64) -> OoapiState {
        let decided = elapsed_secs >= OOAPI_DECISION_SECS;
        match self {
            OoapiScenario::InstantAssociated => OoapiState::Associated,
            OoapiScenario::PendingThenAssociated if decided => OoapiState::Associated,
            OoapiScenario::PendingThenDenied if decided => OoapiState::Denied,
            OoapiScenario::PendingThenAssociated | OoapiScenario::PendingThenDenied | OoapiScenario::PendingForever => OoapiState::Pending,
            OoapiScenario::QueuedThenAssociated if decided => OoapiState::Associated,
            OoapiScenario::QueuedThenAssociated => OoapiState::Queued,
            OoapiScenario::HomeCancelsLater if elapsed_secs >= OOAPI_CANCEL_AFTER_SECS => OoapiState::Canceled,
            OoapiScenario::HomeCancelsLater => OoapiState::Associated,
            OoapiScenario::FlipFlop => match elapsed_secs.max(0) / OOAPI_DECISION_SECS {
                0 | 2 => OoapiState::Pending,
                _ => OoapiState::Associated,
            },
        }
    }

    /// The `message` of the POST answer.
    pub(crate) fn created_message(self) -> &'static str {
        match self {
            OoapiScenario::InstantAssociated | OoapiScenario::HomeCancelsLater => {
                "Your home institution has registered this course for you."
            }
            OoapiScenario::QueuedThenAssociated => {
                "Your home institution has placed your request on its waiting list; you will be informed by e-mail."
            }
            OoapiScenario::PendingThenAssociated
            | OoapiScenario::PendingThenDenied
            | OoapiScenario::PendingForever
            | OoapiScenario::FlipFlop => "Your home institution has received your request and will review it.",
        }
    }
}

impl fmt::Display for OoapiScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_clock() {
        use OoapiState::*;
        let at = |s: OoapiScenario, t: i64| s.state_after(t);
        assert_eq!(at(OoapiScenario::InstantAssociated, 0), Associated);
        assert_eq!(at(OoapiScenario::PendingThenAssociated, 599), Pending);
        assert_eq!(at(OoapiScenario::PendingThenAssociated, 600), Associated);
        assert_eq!(at(OoapiScenario::PendingThenDenied, 600), Denied);
        assert_eq!(at(OoapiScenario::QueuedThenAssociated, 0), Queued);
        assert_eq!(at(OoapiScenario::PendingForever, 10_000_000), Pending);
        assert_eq!(at(OoapiScenario::HomeCancelsLater, 86_399), Associated);
        assert_eq!(at(OoapiScenario::HomeCancelsLater, 86_400), Canceled);
        let flips: Vec<_> = [0, 600, 1200, 1800, 99_999].iter().map(|&t| at(OoapiScenario::FlipFlop, t)).collect();
        assert_eq!(flips, [Pending, Associated, Pending, Associated, Associated]);
    }

    #[test]
    fn offering_codes_name_scenarios() {
        assert_eq!(OoapiScenario::of_offering_code("scn-deny-cs101"), Some(OoapiScenario::PendingThenDenied));
        assert_eq!(OoapiScenario::of_offering_code("TQ-ML-4010"), None);
        assert_eq!(OoapiState::parse("cancelled", false), None);
        assert_eq!(OoapiState::parse("cancelled", true), Some(OoapiState::Canceled));
    }
}
