//! Looking learners up: one or many identifiers, from the provider mirror at once and live from
//! the LMS in chunks (at most 50 ids a request, bounded concurrency), with progress, cancel, and
//! partial results kept.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::crosswalk::Crosswalk;
use crate::openedx::{Mapping, MappingsClient};
use crate::{Error, Result};

/// What the identifiers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LookupMode {
    Username,
    RemoteId,
    /// Either: each id is sent as both (the LMS ORs the filters) and each row says which matched.
    Auto,
}

/// Which input a row answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    Username,
    RemoteId,
    Both,
}

/// Where a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Cache,
    Live,
}

/// A lookup to run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct LookupRequest {
    pub profile_id: String,
    /// One or more provider ids; empty means every watched provider of the profile.
    pub providers: Vec<String>,
    pub ids: Vec<String>,
    pub mode: LookupMode,
    /// Ids per request (default 50, at most 50).
    pub chunk_size: Option<u32>,
    /// Requests in flight at once (default 4).
    pub concurrency: Option<u32>,
}

/// One answer row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LookupRow {
    pub username: String,
    pub remote_id: String,
    pub provider_id: String,
    pub matched_by: MatchedBy,
    pub source: Source,
    /// When this row was true at the LMS (the fetch, or the mirror's sync), RFC 3339.
    pub as_of: String,
}

/// Progress of a live lookup.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LookupProgress {
    pub done_ids: u32,
    pub total_ids: u32,
    pub requests: u32,
    pub rows: u32,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Estimated time left.
    #[ts(type = "number | null")]
    pub eta_ms: Option<u64>,
}

/// The answer to a lookup.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LookupResult {
    pub rows: Vec<LookupRow>,
    /// Inputs no row answered (on every provider asked).
    pub not_found: Vec<String>,
    pub requests: u32,
    /// The person cancelled: `rows` holds what arrived before.
    pub cancelled: bool,
    /// Chunks that failed (the rest are kept), in plain words.
    pub errors: Vec<String>,
}

/// Splits pasted text — a spreadsheet column, comma or space separated — into distinct ids,
/// keeping their first-seen order.
pub fn parse_ids(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|s| s.trim_matches(|c: char| c == '"' || c == '\'').trim())
        .filter(|s| !s.is_empty())
        .filter(|s| seen.insert(s.to_string()))
        .map(String::from)
        .collect()
}

fn providers_of(cw: &Crosswalk, req: &LookupRequest) -> Result<(crate::connection::Profile, Vec<String>)> {
    let profile = cw.profile(&req.profile_id)?;
    let providers = if req.providers.is_empty() { profile.openedx()?.providers.clone() } else { req.providers.clone() };
    if providers.is_empty() {
        return Err(Error::Invalid(format!(
            "\"{}\" watches no provider yet. Add a provider id in Connections, or pick one.",
            profile.name
        )));
    }
    Ok((profile, providers))
}

/// Labels `rows` by which input they answered, and lists the inputs nobody answered.
fn label(ids: &[String], mode: LookupMode, rows: Vec<(String, Mapping)>, source: Source, as_of: &str) -> (Vec<LookupRow>, Vec<String>) {
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut answered: HashSet<String> = HashSet::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (provider_id, m) in rows {
        let by_user = mode != LookupMode::RemoteId && wanted.contains(m.username.as_str());
        let by_remote = mode != LookupMode::Username && wanted.contains(m.remote_id.as_str());
        let matched_by = match (by_user, by_remote) {
            (true, true) => MatchedBy::Both,
            (true, false) => MatchedBy::Username,
            (false, true) => MatchedBy::RemoteId,
            (false, false) => continue, // the other filter's match in a mode that did not ask for it
        };
        if by_user {
            answered.insert(m.username.clone());
        }
        if by_remote {
            answered.insert(m.remote_id.clone());
        }
        if seen.insert((provider_id.clone(), m.username.clone(), m.remote_id.clone())) {
            out.push(LookupRow { username: m.username, remote_id: m.remote_id, provider_id, matched_by, source, as_of: as_of.to_string() });
        }
    }
    let not_found = ids.iter().filter(|i| !answered.contains(i.as_str())).cloned().collect();
    (out, not_found)
}

/// Answers from the provider mirrors only: instant, and works offline.
pub fn cached(cw: &Crosswalk, req: &LookupRequest) -> Result<LookupResult> {
    let (profile, providers) = providers_of(cw, req)?;
    let ids = parse_ids(&req.ids.join("\n"));
    let mut rows = Vec::new();
    for provider in &providers {
        let (found, synced_at) = crate::mirror::find_exact(cw, &profile.id, provider, &ids, req.mode)?;
        let (mut labelled, _) =
            label(&ids, req.mode, found.into_iter().map(|m| (provider.clone(), m)).collect(), Source::Cache, &synced_at);
        rows.append(&mut labelled);
    }
    let (_, not_found) = label(
        &ids,
        req.mode,
        rows.iter().map(|r| (r.provider_id.clone(), Mapping { username: r.username.clone(), remote_id: r.remote_id.clone() })).collect(),
        Source::Cache,
        "",
    );
    Ok(LookupResult { rows, not_found, requests: 0, cancelled: false, errors: Vec::new() })
}

/// Asks the LMS: every provider, in chunks of at most 50 ids, `concurrency` requests at once.
/// `progress` is called after each chunk. On cancel, what arrived is returned with `cancelled`.
pub async fn live(
    cw: &Crosswalk,
    req: &LookupRequest,
    progress: impl Fn(LookupProgress) + Send + Sync,
    cancel: &CancellationToken,
) -> Result<LookupResult> {
    let (profile, providers) = providers_of(cw, req)?;
    let ids = parse_ids(&req.ids.join("\n"));
    let chunk = req.chunk_size.unwrap_or(50).clamp(1, 50) as usize;
    let concurrency = req.concurrency.unwrap_or(4).clamp(1, 32) as usize;
    let jobs: Vec<(String, Vec<String>)> = providers.iter().flat_map(|p| ids.chunks(chunk).map(move |c| (p.clone(), c.to_vec()))).collect();
    let total_ids = u32::try_from(ids.len() * providers.len()).unwrap_or(u32::MAX);
    let started = std::time::Instant::now();
    let (done, requests, row_count) = (AtomicU32::new(0), AtomicU32::new(0), AtomicU64::new(0));
    let client = MappingsClient::new(cw, &profile);
    let mode = req.mode;
    let results: Vec<(String, Result<Vec<Mapping>>)> = stream::iter(jobs)
        .map(|(provider, chunk_ids)| {
            let (client, done, requests, row_count, progress) = (&client, &done, &requests, &row_count, &progress);
            async move {
                if cancel.is_cancelled() {
                    return (provider, Err(Error::Cancelled));
                }
                let (users, remotes): (&[String], &[String]) = match mode {
                    LookupMode::Username => (&chunk_ids, &[]),
                    LookupMode::RemoteId => (&[], &chunk_ids),
                    LookupMode::Auto => (&chunk_ids, &chunk_ids),
                };
                let r = client.filtered(&provider, users, remotes, cancel).await.map(|(rows, n)| {
                    requests.fetch_add(n, Ordering::Relaxed);
                    rows
                });
                let d = done.fetch_add(u32::try_from(chunk_ids.len()).unwrap_or(0), Ordering::Relaxed)
                    + u32::try_from(chunk_ids.len()).unwrap_or(0);
                let rows = row_count.fetch_add(r.as_ref().map(|v| v.len() as u64).unwrap_or(0), Ordering::Relaxed);
                let elapsed = started.elapsed().as_millis() as u64;
                let eta = (d > 0).then(|| elapsed * u64::from(total_ids.saturating_sub(d)) / u64::from(d));
                progress(LookupProgress {
                    done_ids: d,
                    total_ids,
                    requests: requests.load(Ordering::Relaxed),
                    rows: u32::try_from(rows).unwrap_or(u32::MAX),
                    elapsed_ms: elapsed,
                    eta_ms: eta,
                });
                (provider, r)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let now = cw.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut rows = Vec::new();
    let mut errors: HashMap<String, usize> = HashMap::new();
    let mut cancelled = false;
    for (provider, r) in results {
        match r {
            Ok(found) => rows.extend(found.into_iter().map(|m| (provider.clone(), m))),
            Err(Error::Cancelled) => cancelled = true,
            Err(e) => *errors.entry(format!("{provider}: {e}")).or_default() += 1,
        }
    }
    let (rows, not_found) = label(&ids, mode, rows, Source::Live, &now);
    let requests = requests.load(Ordering::Relaxed);
    let errors: Vec<String> = errors.into_iter().map(|(e, n)| if n > 1 { format!("{e} ({n} requests)") } else { e }).collect();
    let detail = format!(
        "{} ids on {} providers: {} rows, {} not found, {requests} requests{}",
        ids.len(),
        providers.len(),
        rows.len(),
        not_found.len(),
        if cancelled { ", cancelled" } else { "" }
    );
    let entry = if errors.is_empty() {
        NewActivity::ok("openedx.lookup", &profile.name, detail)
    } else {
        NewActivity::error("openedx.lookup", &profile.name, format!("{detail}; {}", errors.join("; ")))
    };
    cw.activity.record(entry);
    Ok(LookupResult { rows, not_found, requests, cancelled, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_columns_commas_tabs_and_spaces_all_split() {
        assert_eq!(parse_ids("ann, bob\ncarl\tdora  ann\r\n\"eve\";fay"), vec!["ann", "bob", "carl", "dora", "eve", "fay"]);
        assert!(parse_ids(" , \n\t").is_empty());
    }

    #[test]
    fn rows_are_labelled_by_the_input_they_answer_and_deduplicated() {
        let ids = vec!["ann".to_string(), "s123".to_string(), "ghost".to_string()];
        let m = |u: &str, r: &str| ("saml-x".to_string(), Mapping { username: u.into(), remote_id: r.into() });
        let rows = vec![m("ann", "s999"), m("bob", "s123"), m("ann", "s999"), m("zed", "s000")];
        let (out, not_found) = label(&ids, LookupMode::Auto, rows, Source::Live, "t");
        assert_eq!(out.len(), 2, "duplicates and unrequested rows are dropped");
        assert_eq!(out[0].matched_by, MatchedBy::Username);
        assert_eq!(out[1].matched_by, MatchedBy::RemoteId);
        assert_eq!(not_found, vec!["ghost"]);
        let (only_users, _) = label(&ids, LookupMode::Username, vec![m("bob", "s123")], Source::Live, "t");
        assert!(only_users.is_empty(), "a remote-id match does not answer a username search");
    }
}

/// A result row as the UI sends it back for export (plain strings).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LookupRowInput {
    pub username: String,
    pub remote_id: String,
    pub provider_id: String,
    pub matched_by: String,
    pub source: String,
    pub as_of: String,
}
