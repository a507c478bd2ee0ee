//! The home side's associations: those seeded for demo mode and those created by POSTs, with
//! what the host PATCHed into them. Their `state` is never stored: it is computed from the
//! scenario and the virtual clock whenever it is read.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::scenarios::{OoapiScenario, OoapiState};

/// An association as home keeps it.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    pub id: String,
    pub person_id: String,
    pub offering_id: String,
    pub offering_code: Option<String>,
    /// The offering object as it was POSTed (or seeded).
    pub offering: Value,
    pub role: String,
    pub remote_state: OoapiState,
    /// The last result PATCHed (the last successful PATCH wins); `results` keeps them all.
    pub result: Option<Value>,
    pub results: Vec<Value>,
    pub scenario: OoapiScenario,
    pub created: DateTime<Utc>,
}

impl Stored {
    /// The state at `now`.
    pub fn state_at(&self, now: DateTime<Utc>) -> OoapiState {
        self.scenario.state_after((now - self.created).num_seconds())
    }

    /// The offering's `endDate`, when it has a readable one.
    pub fn end_date(&self) -> Option<NaiveDate> {
        self.offering.get("endDate")?.as_str()?.parse().ok()
    }

    /// A date field of the offering.
    fn offering_date(&self, field: &str) -> Option<NaiveDate> {
        self.offering.get(field)?.as_str()?.parse().ok()
    }

    /// The offering's English (or first) name.
    fn offering_name(&self) -> String {
        let names = self.offering.get("name").and_then(Value::as_array);
        let english = names.and_then(|n| n.iter().find(|v| v["language"].as_str().is_some_and(|l| l.starts_with("en"))));
        english.or_else(|| names.and_then(|n| n.first())).and_then(|v| v["value"].as_str()).unwrap_or_default().to_owned()
    }

    /// The public snapshot at `now`.
    pub fn snapshot(&self, now: DateTime<Utc>) -> OoapiAssociation {
        OoapiAssociation {
            id: self.id.clone(),
            person_id: self.person_id.clone(),
            offering_id: self.offering_id.clone(),
            state: self.state_at(now),
            remote_state: self.remote_state,
            result: self.result.clone(),
            results: self.results.clone(),
            created: self.created,
            scenario: self.scenario,
        }
    }

    /// The demo view at `now`.
    pub fn demo_view(&self, now: DateTime<Utc>) -> OoapiDemoAssociation {
        OoapiDemoAssociation {
            id: self.id.clone(),
            person_id: self.person_id.clone(),
            offering_id: self.offering_id.clone(),
            offering_code: self.offering_code.clone().unwrap_or_default(),
            offering_name: self.offering_name(),
            start_date: self.offering_date("startDate").unwrap_or_else(|| self.created.date_naive()),
            end_date: self.end_date().unwrap_or_else(|| self.created.date_naive()),
            state: self.state_at(now),
            remote_state: self.remote_state,
            result: self.result.clone(),
            scenario: self.scenario,
            created: self.created,
        }
    }
}

/// A snapshot of one association at home ([`crate::SandboxHandle::ooapi_associations`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OoapiAssociation {
    /// `associationId` (uuid).
    pub id: String,
    /// The student's `personId`.
    pub person_id: String,
    /// The offering's `offeringId`.
    pub offering_id: String,
    /// Home's state now (v5 spelling, whatever the fault knob).
    pub state: OoapiState,
    /// The host's state: as POSTed, then as last PATCHed.
    pub remote_state: OoapiState,
    /// The last result PATCHed, as sent.
    pub result: Option<Value>,
    /// Every result PATCHed, oldest first (home keeps the history; the last one wins).
    pub results: Vec<Value>,
    /// When home created it (virtual clock).
    pub created: DateTime<Utc>,
    /// What home does with it.
    pub scenario: OoapiScenario,
}

/// An association seeded for demo mode ([`crate::SandboxHandle::ooapi_demo_associations`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OoapiDemoAssociation {
    /// `associationId` (uuid).
    pub id: String,
    /// The student's `personId`.
    pub person_id: String,
    /// `offeringId` (uuid).
    pub offering_id: String,
    /// The offering's code, e.g. `TQ-ML-4010-2026`.
    pub offering_code: String,
    /// The offering's English name.
    pub offering_name: String,
    /// The offering's first day (`startDate`).
    pub start_date: NaiveDate,
    /// The offering's last day (`endDate`); some offerings have ended, some not begun.
    pub end_date: NaiveDate,
    /// Home's state now.
    pub state: OoapiState,
    /// The host's state.
    pub remote_state: OoapiState,
    /// The result home has (those associated with an offering that has ended were seeded with
    /// a completed one), or the last PATCHed.
    pub result: Option<Value>,
    /// What home does with it.
    pub scenario: OoapiScenario,
    /// When home created it (virtual clock; up to about 45 days before the start).
    pub created: DateTime<Utc>,
}

/// Every association, in creation order, with an index by id.
#[derive(Debug, Default)]
pub(crate) struct Store {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    rows: Vec<Stored>,
    by_id: HashMap<String, usize>,
    /// How many rows at the front were seeded for demo mode.
    demo: usize,
}

impl Store {
    /// Adds a row; `demo` marks it as seeded (only before any other row).
    pub fn insert(&self, row: Stored, demo: bool) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let index = inner.rows.len();
        inner.by_id.insert(row.id.clone(), index);
        inner.rows.push(row);
        if demo && inner.demo == index {
            inner.demo = index + 1;
        }
    }

    /// A copy of one row.
    pub fn get(&self, id: &str) -> Option<Stored> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.by_id.get(id).map(|&i| inner.rows[i].clone())
    }

    /// Changes one row; `None` when there is no such id.
    pub fn update<T>(&self, id: &str, change: impl FnOnce(&mut Stored) -> T) -> Option<T> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let index = *inner.by_id.get(id)?;
        Some(change(&mut inner.rows[index]))
    }

    /// Every row's snapshot at `now`.
    pub fn snapshots(&self, now: DateTime<Utc>) -> Vec<OoapiAssociation> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.rows.iter().map(|r| r.snapshot(now)).collect()
    }

    /// The seeded rows' demo views at `now`.
    pub fn demo_views(&self, now: DateTime<Utc>) -> Vec<OoapiDemoAssociation> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.rows[..inner.demo].iter().map(|r| r.demo_view(now)).collect()
    }
}
