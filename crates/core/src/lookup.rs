//! Looking learners up: one or many identifiers, from the provider mirror at once and live from
//! the LMS in chunks (at most 50 ids a request, bounded concurrency), with progress, cancel, and
//! partial results kept.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::activity::NewActivity;
use crate::crosswalk::Crosswalk;
pub use crate::openedx::LookupMode;
use crate::openedx::{Mapping, MappingsClient};
use crate::{Error, Result};

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

/// Identifiers one provider could not be asked about: the request failed, was refused, or was
/// cancelled. Crosswalk cannot say whether they are linked there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NotChecked {
    pub provider_id: String,
    /// Why, in plain words, with what to do (the LMS's refusal explained, a network fault…).
    pub reason: String,
    /// In the order they were given.
    pub ids: Vec<String>,
}

/// The answer to a lookup.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LookupResult {
    pub rows: Vec<LookupRow>,
    /// Inputs every provider asked answered for, none with a row: truly not linked there.
    pub not_found: Vec<String>,
    /// Inputs a provider could not answer for (refused, failed, cancelled), per provider and
    /// reason. An input listed here is never in `not_found`.
    pub not_checked: Vec<NotChecked>,
    /// Requests sent to the LMS, retries and failed ones included.
    pub requests: u32,
    /// The person cancelled: `rows` holds what arrived before.
    pub cancelled: bool,
    /// Failures (one line per provider and reason), in plain words.
    pub errors: Vec<String>,
}

/// How completely a lookup was answered (the CLI's exit code follows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// Every input was answered by every provider asked.
    All,
    /// Some inputs could not be checked on some provider.
    Partly,
    /// No input has an answer: every one could not be checked somewhere and none was found.
    Nothing,
}

impl LookupResult {
    pub fn empty() -> Self {
        Self { rows: Vec::new(), not_found: Vec::new(), not_checked: Vec::new(), requests: 0, cancelled: false, errors: Vec::new() }
    }

    /// Every distinct input listed as not checked.
    pub fn not_checked_ids(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.not_checked.iter().flat_map(|n| n.ids.iter().map(String::as_str)).filter(|i| seen.insert(*i)).collect()
    }

    pub fn completeness(&self) -> Completeness {
        if self.not_checked.is_empty() && self.errors.is_empty() && !self.cancelled {
            Completeness::All
        } else if self.rows.is_empty() && self.not_found.is_empty() {
            Completeness::Nothing
        } else {
            Completeness::Partly
        }
    }

    /// Adds another result (the CLI runs usernames and remote ids as two lookups).
    pub fn merge(&mut self, other: LookupResult) {
        self.rows.extend(other.rows);
        self.not_found.extend(other.not_found);
        self.not_checked.extend(other.not_checked);
        self.requests += other.requests;
        self.cancelled |= other.cancelled;
        self.errors.extend(other.errors);
    }
}

/// The reason given for ids a cancel kept from being asked (not a failure: not in `errors`).
const NOT_ASKED: &str = "not asked: the lookup was cancelled first";

/// Groups failed `(provider, ids, reason)` into [`NotChecked`] entries, ids in input order.
fn group_unchecked(ids: &[String], failed: Vec<(String, Vec<String>, String)>) -> Vec<NotChecked> {
    let mut groups: Vec<(String, String, HashSet<String>)> = Vec::new();
    for (provider, chunk, reason) in failed {
        match groups.iter_mut().find(|(p, r, _)| *p == provider && *r == reason) {
            Some((_, _, set)) => set.extend(chunk),
            None => groups.push((provider, reason, chunk.into_iter().collect())),
        }
    }
    groups
        .into_iter()
        .map(|(provider_id, reason, set)| NotChecked {
            provider_id,
            reason,
            ids: ids.iter().filter(|i| set.contains(*i)).cloned().collect(),
        })
        .collect()
}

/// `not_found` without the inputs that some provider could not check.
fn only_checked(not_found: Vec<String>, unchecked: &[NotChecked]) -> Vec<String> {
    let skip: HashSet<&str> = unchecked.iter().flat_map(|n| n.ids.iter().map(String::as_str)).collect();
    not_found.into_iter().filter(|i| !skip.contains(i.as_str())).collect()
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

/// Answers from the provider mirrors only: instant, and works offline. A provider that was never
/// mirrored answers nothing: its inputs are "not checked", never "not found".
pub fn cached(cw: &Crosswalk, req: &LookupRequest) -> Result<LookupResult> {
    let (profile, providers) = providers_of(cw, req)?;
    let ids = parse_ids(&req.ids.join("\n"));
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for provider in &providers {
        let (found, synced_at) = crate::mirror::find_exact(cw, &profile.id, provider, &ids, req.mode)?;
        if synced_at.is_empty() {
            failed.push((
                provider.clone(),
                ids.clone(),
                format!("{provider} has never been mirrored on this computer: sync it (Learners › Mirror), or look up live"),
            ));
            continue;
        }
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
    let errors = failed.iter().map(|(p, _, r)| format!("{p}: {r}")).collect();
    let unchecked = group_unchecked(&ids, failed);
    Ok(LookupResult { rows, not_found: only_checked(not_found, &unchecked), not_checked: unchecked, requests: 0, cancelled: false, errors })
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
    let (done, row_count) = (AtomicU32::new(0), AtomicU64::new(0));
    let client = MappingsClient::new(cw, &profile);
    let mode = req.mode;
    let results: Vec<(String, Vec<String>, Result<Vec<Mapping>>)> = stream::iter(jobs)
        .map(|(provider, chunk_ids)| {
            let (client, done, row_count, progress) = (&client, &done, &row_count, &progress);
            async move {
                if cancel.is_cancelled() {
                    return (provider, chunk_ids, Err(Error::Cancelled));
                }
                let (users, remotes): (&[String], &[String]) = match mode {
                    LookupMode::Username => (&chunk_ids, &[]),
                    LookupMode::RemoteId => (&[], &chunk_ids),
                    LookupMode::Auto => (&chunk_ids, &chunk_ids),
                };
                let r = client.filtered(&provider, users, remotes, cancel).await.map(|(rows, _)| rows);
                let d = done.fetch_add(u32::try_from(chunk_ids.len()).unwrap_or(0), Ordering::Relaxed)
                    + u32::try_from(chunk_ids.len()).unwrap_or(0);
                let rows = row_count.fetch_add(r.as_ref().map(|v| v.len() as u64).unwrap_or(0), Ordering::Relaxed);
                let elapsed = started.elapsed().as_millis() as u64;
                let eta = (d > 0).then(|| elapsed * u64::from(total_ids.saturating_sub(d)) / u64::from(d));
                progress(LookupProgress {
                    done_ids: d,
                    total_ids,
                    requests: client.sent(),
                    rows: u32::try_from(rows).unwrap_or(u32::MAX),
                    elapsed_ms: elapsed,
                    eta_ms: eta,
                });
                (provider, chunk_ids, r)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let now = cw.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    let mut cancelled = false;
    for (provider, chunk_ids, r) in results {
        match r {
            Ok(found) => rows.extend(found.into_iter().map(|m| (provider.clone(), m))),
            Err(Error::Cancelled) => {
                cancelled = true;
                failed.push((provider, chunk_ids, NOT_ASKED.to_string()));
            }
            Err(e) => failed.push((provider, chunk_ids, e.to_string())),
        }
    }
    let (rows, not_found) = label(&ids, mode, rows, Source::Live, &now);
    let requests = client.sent();
    // One line per provider and reason, saying how many requests it hit.
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (p, _, reason) in failed.iter().filter(|(_, _, r)| r != NOT_ASKED) {
        let line = format!("{p}: {reason}");
        match counts.iter_mut().find(|(l, _)| *l == line) {
            Some((_, n)) => *n += 1,
            None => counts.push((line, 1)),
        }
    }
    let errors: Vec<String> = counts.into_iter().map(|(e, n)| if n > 1 { format!("{e} ({n} requests)") } else { e }).collect();
    let not_checked = group_unchecked(&ids, failed);
    let result = LookupResult { not_found: only_checked(not_found, &not_checked), rows, not_checked, requests, cancelled, errors };
    let detail = format!(
        "{} ids on {} providers: {} rows, {} not found, {} not checked, {requests} requests{}",
        ids.len(),
        providers.len(),
        result.rows.len(),
        result.not_found.len(),
        result.not_checked_ids().len(),
        if cancelled { ", cancelled" } else { "" }
    );
    let entry = if result.errors.is_empty() {
        NewActivity::ok("openedx.lookup", &profile.name, detail)
    } else {
        NewActivity::error("openedx.lookup", &profile.name, format!("{detail}; {}", result.errors.join("; ")))
    };
    cw.activity.record(entry);
    Ok(result)
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

/// The columns of an exported lookup, the same in the app and the CLI: one line per result row,
/// then one per input that was not found, then one per input a provider could not check.
pub const EXPORT_HEADER: [&str; 9] = ["input", "status", "username", "remote_id", "provider_id", "matched_by", "source", "as_of", "reason"];

/// The lines of an exported lookup (see [`EXPORT_HEADER`]). Cells are plain text; the writer
/// neutralises formulas.
pub fn export_lines(rows: &[LookupRowInput], not_found: &[String], not_checked: &[NotChecked]) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(rows.len() + not_found.len());
    for r in rows {
        let input = if r.matched_by == "remote_id" { &r.remote_id } else { &r.username };
        out.push(vec![
            input.clone(),
            "found".into(),
            r.username.clone(),
            r.remote_id.clone(),
            r.provider_id.clone(),
            r.matched_by.clone(),
            r.source.clone(),
            r.as_of.clone(),
            String::new(),
        ]);
    }
    let blank = String::new;
    for id in not_found {
        out.push(vec![id.clone(), "not_found".into(), blank(), blank(), blank(), blank(), blank(), blank(), blank()]);
    }
    for n in not_checked {
        for id in &n.ids {
            out.push(vec![
                id.clone(),
                "not_checked".into(),
                blank(),
                blank(),
                n.provider_id.clone(),
                blank(),
                blank(),
                blank(),
                n.reason.clone(),
            ]);
        }
    }
    out
}

impl From<&LookupRow> for LookupRowInput {
    fn from(r: &LookupRow) -> Self {
        Self {
            username: r.username.clone(),
            remote_id: r.remote_id.clone(),
            provider_id: r.provider_id.clone(),
            matched_by: json_name(&r.matched_by),
            source: json_name(&r.source),
            as_of: r.as_of.clone(),
        }
    }
}

/// The name a value has in JSON (`remote_id`, `live`…).
fn json_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}
