//! The seeded Open edX data: learners, their e-mail addresses and their provider links, with
//! the indexes the API filters through and the ground-truth queries tests and benchmarks use.
//!
//! This is the data as seeded and never changes; links added, removed or changed while the
//! sandbox runs live in an overlay on top of it (see `live.rs`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::providers::{ProviderConfig, ProviderKind, PROVIDERS};
use super::seed;
use crate::string_column::StringColumn;

/// Domains of learners' e-mail addresses (`<username>@<domain>`).
pub(crate) const EMAIL_DOMAINS: [&str; 4] = ["example.edu", "student.example.edu", "alumni.example.org", "mail.example.com"];

/// All learners and links of one sandbox as seeded; immutable. A running sandbox's current data
/// (with run-time changes) is read through `SandboxHandle::mappings` and friends.
pub struct OpenEdxData {
    pub(crate) seed: u64,
    /// Learner `i`'s username is `usernames.get(i)`.
    pub(crate) usernames: StringColumn,
    /// Learner `i`'s e-mail is `<username>@EMAIL_DOMAINS[email_domains[i]]`.
    pub(crate) email_domains: Vec<u8>,
    /// One entry per [`PROVIDERS`] entry, same order.
    pub(crate) providers: Vec<ProviderRows>,
}

/// The links (`UserSocialAuth` rows) of one provider, in the order the API lists them.
pub(crate) struct ProviderRows {
    pub config: ProviderConfig,
    /// Row `r` belongs to learner `learners[r]`; ascending, so a learner's row is found by
    /// binary search.
    pub learners: Vec<u32>,
    /// Row `r` stores uid `uids.get(r)` (SAML: `<idp_slug>:<remote_id>`).
    pub uids: StringColumn,
}

/// One row of the mapping API: an Open edX username and the id the provider knows it by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mapping {
    /// Open edX username.
    pub username: String,
    /// The provider's id for the learner, as the API shows it (SAML without `<idp_slug>:`).
    pub remote_id: String,
}

/// A learner and every provider it is linked to (enabled or not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    /// Open edX username (`[A-Za-z0-9_.+-]`, at most 30 characters).
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Provider links, in seeded provider order.
    pub links: Vec<Link>,
}

/// A learner's link to one provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Provider id, e.g. `saml-demo-univ`.
    pub provider_id: String,
    /// Remote id as the API shows it.
    pub remote_id: String,
}

/// A provider as seeded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// Provider id as used in the API path, e.g. `saml-demo-univ`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// SAML, OAuth2 or LTI.
    pub kind: ProviderKind,
    /// A disabled provider answers 404 like an unknown one.
    pub enabled: bool,
    /// Number of linked learners (from a running sandbox: now, run-time changes included).
    pub mappings: usize,
}

impl OpenEdxData {
    /// Seeds `learners` learners from `seed`; the same arguments always give the same data.
    pub fn generate(learners: usize, seed: u64) -> Self {
        seed::generate(learners, seed)
    }

    /// The seed the data was generated from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of learners.
    pub fn learner_count(&self) -> usize {
        self.usernames.len()
    }

    /// All providers, enabled or not, in seeded order.
    pub fn providers(&self) -> Vec<ProviderInfo> {
        self.providers.iter().map(ProviderRows::info).collect()
    }

    /// One provider by id, enabled or not.
    pub fn provider(&self, provider_id: &str) -> Option<ProviderInfo> {
        self.rows(provider_id).map(ProviderRows::info)
    }

    /// Every mapping of a provider, in the order the API pages through them (empty for an
    /// unknown provider).
    pub fn mappings(&self, provider_id: &str) -> Vec<Mapping> {
        let Some(rows) = self.rows(provider_id) else {
            return Vec::new();
        };
        (0..rows.len()).map(|r| self.mapping_at(rows, r as u32)).collect()
    }

    /// Number of mappings of a provider (0 for an unknown provider).
    pub fn mapping_count(&self, provider_id: &str) -> usize {
        self.rows(provider_id).map_or(0, ProviderRows::len)
    }

    /// The mapping of a provider whose remote id (as the API shows it) is `remote_id`.
    pub fn mapping_by_remote_id(&self, provider_id: &str, remote_id: &str) -> Option<Mapping> {
        let rows = self.rows(provider_id)?;
        let row = rows.row_of_remote_id(remote_id)?;
        Some(self.mapping_at(rows, row))
    }

    /// The uid the LMS stores for a learner's link (SAML: `<idp_slug>:<remote_id>`), which the
    /// API never shows as such.
    pub fn stored_uid(&self, provider_id: &str, username: &str) -> Option<String> {
        let rows = self.rows(provider_id)?;
        let row = rows.row_of_learner(self.learner_index(username)?)?;
        Some(rows.uids.get(row).to_owned())
    }

    /// A learner by exact username.
    pub fn learner(&self, username: &str) -> Option<Learner> {
        self.learner_index(username).map(|i| self.learner_record(i))
    }

    /// A learner by exact e-mail address.
    pub fn learner_by_email(&self, email: &str) -> Option<Learner> {
        self.learner_index_by_email(email).map(|i| self.learner_record(i))
    }

    /// The learner seeded in position `index` (`0..learner_count()`).
    pub fn learner_at(&self, index: usize) -> Option<Learner> {
        u32::try_from(index).ok().filter(|&i| (i as usize) < self.learner_count()).map(|i| self.learner_record(i))
    }

    /// Approximate heap memory held by the data set, in bytes.
    pub fn approximate_heap_bytes(&self) -> usize {
        self.usernames.heap_bytes()
            + self.email_domains.capacity()
            + self.providers.iter().map(|rows| rows.uids.heap_bytes() + rows.learners.capacity() * 4).sum::<usize>()
    }

    /// All usernames in seeded order.
    pub fn usernames(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.learner_count() as u32).map(|i| self.usernames.get(i))
    }

    pub(crate) fn rows(&self, provider_id: &str) -> Option<&ProviderRows> {
        self.providers.iter().find(|p| p.config.id == provider_id)
    }

    pub(crate) fn learner_index(&self, username: &str) -> Option<u32> {
        self.usernames.find(username)
    }

    pub(crate) fn learner_index_by_email(&self, email: &str) -> Option<u32> {
        let (local, domain) = email.rsplit_once('@')?;
        let i = self.learner_index(local)?;
        (EMAIL_DOMAINS[self.email_domains[i as usize] as usize] == domain).then_some(i)
    }

    pub(crate) fn username(&self, learner: u32) -> &str {
        self.usernames.get(learner)
    }

    pub(crate) fn email(&self, learner: u32) -> String {
        let domain = EMAIL_DOMAINS[self.email_domains[learner as usize] as usize];
        format!("{}@{domain}", self.username(learner))
    }

    /// The mapping in row `row` of `rows`.
    pub(crate) fn mapping_at(&self, rows: &ProviderRows, row: u32) -> Mapping {
        Mapping { username: self.username(rows.learner(row)).to_owned(), remote_id: rows.remote_id(row).to_owned() }
    }

    fn learner_record(&self, learner: u32) -> Learner {
        let links = self
            .providers
            .iter()
            .filter_map(|rows| {
                rows.row_of_learner(learner)
                    .map(|row| Link { provider_id: rows.config.id.to_owned(), remote_id: rows.remote_id(row).to_owned() })
            })
            .collect();
        Learner { username: self.username(learner).to_owned(), email: self.email(learner), links }
    }
}

impl fmt::Debug for OpenEdxData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("OpenEdxData");
        s.field("seed", &self.seed).field("learners", &self.learner_count());
        for rows in &self.providers {
            s.field(rows.config.id, &rows.len());
        }
        s.finish()
    }
}

impl ProviderRows {
    pub fn len(&self) -> usize {
        self.learners.len()
    }

    pub fn learner(&self, row: u32) -> u32 {
        self.learners[row as usize]
    }

    /// The remote id of row `row` as the API shows it.
    pub fn remote_id(&self, row: u32) -> &str {
        self.config.remote_id(self.uids.get(row))
    }

    pub fn row_of_learner(&self, learner: u32) -> Option<u32> {
        self.learners.binary_search(&learner).ok().map(|r| r as u32)
    }

    /// The row whose stored uid is the one the LMS derives from `remote_id`.
    pub fn row_of_remote_id(&self, remote_id: &str) -> Option<u32> {
        self.uids.find(&self.config.social_auth_uid(remote_id))
    }

    pub(crate) fn info(&self) -> ProviderInfo {
        ProviderInfo {
            id: self.config.id.to_owned(),
            name: self.config.name.to_owned(),
            kind: self.config.kind,
            enabled: self.config.enabled,
            mappings: self.len(),
        }
    }
}

/// Every provider id the sandbox seeds, enabled or not.
pub fn provider_ids() -> impl Iterator<Item = &'static str> {
    PROVIDERS.iter().map(|p| p.id)
}
