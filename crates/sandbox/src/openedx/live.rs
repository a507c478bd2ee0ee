//! The Open edX data as it is now: the seeded [`OpenEdxData`] plus the changes made while the
//! sandbox runs (links added and removed, remote ids changed).
//!
//! The seeded data stays immutable and compact; changes live in a small overlay behind a
//! `RwLock`. Until the first change, readers do not even take the lock. A provider's list is its
//! seeded rows minus the removed ones, in seeded order, followed by the added rows in the order
//! they were added, so adding a link never moves an existing row to another page.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use super::data::{Learner, Link, Mapping, OpenEdxData, ProviderInfo, ProviderRows, EMAIL_DOMAINS};
use super::providers::ProviderConfig;

/// Domain of the e-mail addresses of learners created at run time (`<username>@example.edu`).
pub(crate) const NEW_LEARNER_DOMAIN: &str = EMAIL_DOMAINS[0];

/// Open edX caps usernames at 30 characters.
const MAX_USERNAME_LEN: usize = 30;

/// The seeded data and the changes made since.
pub(crate) struct LiveData {
    base: Arc<OpenEdxData>,
    /// False until the first change: readers use `pristine` without locking.
    changed: AtomicBool,
    overlay: RwLock<Overlay>,
    /// The empty overlay readers see before the first change.
    pristine: Overlay,
}

/// Why a change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeError {
    UnknownProvider,
    InvalidUsername,
    EmptyRemoteId,
    UnknownLearner,
    LearnerExists,
    AlreadyLinked,
    NotLinked,
    RemoteIdTaken,
}

impl ChangeError {
    pub fn message(self) -> &'static str {
        match self {
            ChangeError::UnknownProvider => "unknown provider",
            ChangeError::InvalidUsername => "a username has 1 to 30 characters out of A-Z a-z 0-9 _ . + -",
            ChangeError::EmptyRemoteId => "the remote id is empty",
            ChangeError::UnknownLearner => "no learner has this username",
            ChangeError::LearnerExists => "a learner with this username exists already",
            ChangeError::AlreadyLinked => "the learner is linked to this provider already",
            ChangeError::NotLinked => "the learner is not linked to this provider",
            ChangeError::RemoteIdTaken => "another learner of this provider has this remote id",
        }
    }
}

/// Everything changed since seeding.
#[derive(Debug, Default)]
struct Overlay {
    /// Learners created at run time: learner `seeded + i` is `usernames[i]`.
    usernames: Vec<String>,
    by_username: HashMap<String, u32>,
    /// One per seeded provider, same order.
    providers: Vec<ProviderOverlay>,
}

/// Changes to one provider's links.
#[derive(Debug, Default)]
struct ProviderOverlay {
    /// Seeded rows removed, ascending.
    removed: Vec<u32>,
    /// Seeded rows whose stored uid changed, with the new uid.
    changed: HashMap<u32, String>,
    /// Rows added, in list order.
    added: Vec<AddedRow>,
    /// Learner of an added row → its index in `added`.
    added_by_learner: HashMap<u32, usize>,
    /// Stored uid → row, for changed and added rows (these take precedence over the seeded
    /// uid index, which still holds the old uids of changed and removed rows).
    uids: HashMap<String, UidOwner>,
}

#[derive(Debug)]
struct AddedRow {
    learner: u32,
    uid: String,
}

#[derive(Clone, Copy, Debug)]
enum UidOwner {
    Seeded(u32),
    /// The learner of an added row.
    Added(u32),
}

/// One row of a provider's current list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Row {
    /// Seeded row `r` (neither removed nor necessarily unchanged).
    Seeded(u32),
    /// Added row `i` (index into the added rows).
    Added(usize),
}

impl Overlay {
    fn new(providers: usize) -> Self {
        Self { providers: (0..providers).map(|_| ProviderOverlay::default()).collect(), ..Self::default() }
    }
}

impl LiveData {
    pub fn new(base: Arc<OpenEdxData>) -> Self {
        let providers = base.providers.len();
        Self { base, changed: AtomicBool::new(false), overlay: RwLock::new(Overlay::new(providers)), pristine: Overlay::new(providers) }
    }

    /// The data as seeded.
    pub fn seeded(&self) -> &Arc<OpenEdxData> {
        &self.base
    }

    /// The data as it is now, consistent until the view is dropped (writers wait meanwhile:
    /// keep views short and never hold one across an `.await`).
    pub fn view(&self) -> View<'_> {
        let overlay = if self.changed.load(Ordering::Acquire) {
            OverlayRef::Locked(self.overlay.read().unwrap_or_else(PoisonError::into_inner))
        } else {
            OverlayRef::Borrowed(&self.pristine)
        };
        View { base: &self.base, overlay }
    }

    /// Links `username` (created when unknown; when `new_learner` is set it must be unknown)
    /// to a provider with `remote_id`, at the end of the provider's list.
    pub fn link(&self, provider_id: &str, username: &str, remote_id: &str, new_learner: bool) -> Result<(), ChangeError> {
        if !valid_username(username) {
            return Err(ChangeError::InvalidUsername);
        }
        if remote_id.is_empty() {
            return Err(ChangeError::EmptyRemoteId);
        }
        let mut overlay = self.overlay.write().unwrap_or_else(PoisonError::into_inner);
        let (p, learner, uid) = {
            let view = View { base: &self.base, overlay: OverlayRef::Borrowed(&overlay) };
            let (p, provider) = view.provider_with_index(provider_id).ok_or(ChangeError::UnknownProvider)?;
            let learner = view.learner_index(username);
            match learner {
                Some(_) if new_learner => return Err(ChangeError::LearnerExists),
                Some(l) if provider.row_of_learner(l).is_some() => return Err(ChangeError::AlreadyLinked),
                _ => {}
            }
            let uid = provider.config().social_auth_uid(remote_id).into_owned();
            if provider.row_of_uid(&uid).is_some() {
                return Err(ChangeError::RemoteIdTaken);
            }
            (p, learner, uid)
        };
        let overlay = &mut *overlay;
        let learner = match learner {
            Some(l) => l,
            None => {
                let l = u32::try_from(self.base.learner_count() + overlay.usernames.len()).expect("at most 2^32 learners");
                overlay.usernames.push(username.to_owned());
                overlay.by_username.insert(username.to_owned(), l);
                l
            }
        };
        let provider = &mut overlay.providers[p];
        provider.added_by_learner.insert(learner, provider.added.len());
        provider.uids.insert(uid.clone(), UidOwner::Added(learner));
        provider.added.push(AddedRow { learner, uid });
        self.changed.store(true, Ordering::Release);
        Ok(())
    }

    /// Removes `username`'s link to a provider (the learner stays).
    pub fn unlink(&self, provider_id: &str, username: &str) -> Result<(), ChangeError> {
        let mut overlay = self.overlay.write().unwrap_or_else(PoisonError::into_inner);
        let (p, row) = self.locate(&overlay, provider_id, username)?;
        let provider = &mut overlay.providers[p];
        match row {
            Row::Seeded(r) => {
                let at = provider.removed.partition_point(|&x| x < r);
                provider.removed.insert(at, r);
                if let Some(uid) = provider.changed.remove(&r) {
                    provider.uids.remove(&uid);
                }
            }
            Row::Added(i) => {
                let AddedRow { learner, uid } = provider.added.remove(i);
                provider.uids.remove(&uid);
                provider.added_by_learner.remove(&learner);
                for later in &provider.added[i..] {
                    if let Some(index) = provider.added_by_learner.get_mut(&later.learner) {
                        *index -= 1;
                    }
                }
            }
        }
        self.changed.store(true, Ordering::Release);
        Ok(())
    }

    /// Changes the remote id of `username`'s link to a provider; the row keeps its place.
    pub fn set_remote_id(&self, provider_id: &str, username: &str, remote_id: &str) -> Result<(), ChangeError> {
        if remote_id.is_empty() {
            return Err(ChangeError::EmptyRemoteId);
        }
        let mut overlay = self.overlay.write().unwrap_or_else(PoisonError::into_inner);
        let (p, row) = self.locate(&overlay, provider_id, username)?;
        let config = self.base.providers[p].config;
        let uid = config.social_auth_uid(remote_id).into_owned();
        {
            let view = View { base: &self.base, overlay: OverlayRef::Borrowed(&overlay) };
            match view.provider_at(p).row_of_uid(&uid) {
                Some(owner) if owner == row => return Ok(()),
                Some(_) => return Err(ChangeError::RemoteIdTaken),
                None => {}
            }
        }
        let seeded_uids = &self.base.providers[p].uids;
        let provider = &mut overlay.providers[p];
        match row {
            Row::Seeded(r) => {
                if let Some(old) = provider.changed.remove(&r) {
                    provider.uids.remove(&old);
                }
                // Back to the seeded uid: the seeded index finds it again.
                if seeded_uids.get(r) != uid {
                    provider.uids.insert(uid.clone(), UidOwner::Seeded(r));
                    provider.changed.insert(r, uid);
                }
            }
            Row::Added(i) => {
                let added = &mut provider.added[i];
                provider.uids.remove(&added.uid);
                provider.uids.insert(uid.clone(), UidOwner::Added(added.learner));
                added.uid = uid;
            }
        }
        self.changed.store(true, Ordering::Release);
        Ok(())
    }

    /// The provider index and current row of `username`'s link.
    fn locate(&self, overlay: &Overlay, provider_id: &str, username: &str) -> Result<(usize, Row), ChangeError> {
        let view = View { base: &self.base, overlay: OverlayRef::Borrowed(overlay) };
        let (p, provider) = view.provider_with_index(provider_id).ok_or(ChangeError::UnknownProvider)?;
        let learner = view.learner_index(username).ok_or(ChangeError::UnknownLearner)?;
        let row = provider.row_of_learner(learner).ok_or(ChangeError::NotLinked)?;
        Ok((p, row))
    }
}

/// `[A-Za-z0-9_.+-]{1,30}`, the usernames the sandbox serves.
fn valid_username(username: &str) -> bool {
    !username.is_empty()
        && username.len() <= MAX_USERNAME_LEN
        && username.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-'))
}

enum OverlayRef<'a> {
    Borrowed(&'a Overlay),
    Locked(RwLockReadGuard<'a, Overlay>),
}

impl Deref for OverlayRef<'_> {
    type Target = Overlay;

    fn deref(&self) -> &Overlay {
        match self {
            OverlayRef::Borrowed(overlay) => overlay,
            OverlayRef::Locked(guard) => guard,
        }
    }
}

/// A consistent reading of the current data.
pub(crate) struct View<'a> {
    base: &'a OpenEdxData,
    overlay: OverlayRef<'a>,
}

impl View<'_> {
    /// Seeded learners plus those created at run time.
    pub fn learner_count(&self) -> usize {
        self.base.learner_count() + self.overlay.usernames.len()
    }

    pub fn seed(&self) -> u64 {
        self.base.seed()
    }

    pub fn learner_index(&self, username: &str) -> Option<u32> {
        self.base.learner_index(username).or_else(|| self.overlay.by_username.get(username).copied())
    }

    pub fn learner_index_by_email(&self, email: &str) -> Option<u32> {
        self.base.learner_index_by_email(email).or_else(|| {
            let (local, domain) = email.rsplit_once('@')?;
            if domain != NEW_LEARNER_DOMAIN {
                return None;
            }
            self.overlay.by_username.get(local).copied()
        })
    }

    pub fn username(&self, learner: u32) -> &str {
        match (learner as usize).checked_sub(self.base.learner_count()) {
            None => self.base.username(learner),
            Some(i) => &self.overlay.usernames[i],
        }
    }

    pub fn email(&self, learner: u32) -> String {
        if (learner as usize) < self.base.learner_count() {
            self.base.email(learner)
        } else {
            format!("{}@{NEW_LEARNER_DOMAIN}", self.username(learner))
        }
    }

    /// Every provider, enabled or not, in seeded order.
    pub fn providers(&self) -> impl Iterator<Item = ProviderView<'_>> + '_ {
        (0..self.base.providers.len()).map(|p| self.provider_at(p))
    }

    /// A provider by id, enabled or not.
    pub fn provider(&self, provider_id: &str) -> Option<ProviderView<'_>> {
        self.provider_with_index(provider_id).map(|(_, provider)| provider)
    }

    /// The provider the API serves under `provider_id`: unknown and disabled ones are absent.
    pub fn enabled_provider(&self, provider_id: &str) -> Option<ProviderView<'_>> {
        self.provider(provider_id).filter(|p| p.config().enabled)
    }

    fn provider_with_index(&self, provider_id: &str) -> Option<(usize, ProviderView<'_>)> {
        let p = self.base.providers.iter().position(|rows| rows.config.id == provider_id)?;
        Some((p, self.provider_at(p)))
    }

    fn provider_at(&self, p: usize) -> ProviderView<'_> {
        ProviderView { rows: &self.base.providers[p], overlay: &self.overlay.providers[p] }
    }

    /// Providers with their current mapping counts.
    pub fn provider_infos(&self) -> Vec<ProviderInfo> {
        self.providers().map(|p| p.info()).collect()
    }

    /// Every current mapping of a provider in API order (empty for an unknown provider).
    pub fn mappings(&self, provider_id: &str) -> Vec<Mapping> {
        let Some(provider) = self.provider(provider_id) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(provider.len());
        provider.for_each_row(|row| {
            out.push(Mapping { username: self.username(provider.learner(row)).to_owned(), remote_id: provider.remote_id(row).to_owned() });
        });
        out
    }

    /// Current number of mappings of a provider (0 for an unknown provider).
    pub fn mapping_count(&self, provider_id: &str) -> usize {
        self.provider(provider_id).map_or(0, |p| p.len())
    }

    /// A learner and its current links, in seeded provider order.
    pub fn learner(&self, username: &str) -> Option<Learner> {
        self.learner_index(username).map(|l| self.learner_record(l))
    }

    fn learner_record(&self, learner: u32) -> Learner {
        let links = self
            .providers()
            .filter_map(|provider| {
                provider
                    .row_of_learner(learner)
                    .map(|row| Link { provider_id: provider.config().id.to_owned(), remote_id: provider.remote_id(row).to_owned() })
            })
            .collect();
        Learner { username: self.username(learner).to_owned(), email: self.email(learner), links }
    }
}

/// One provider's current rows.
#[derive(Clone, Copy)]
pub(crate) struct ProviderView<'v> {
    rows: &'v ProviderRows,
    overlay: &'v ProviderOverlay,
}

impl<'v> ProviderView<'v> {
    pub fn config(&self) -> &'v ProviderConfig {
        &self.rows.config
    }

    /// Number of current rows (the API's `count`).
    pub fn len(&self) -> usize {
        self.seeded_len() + self.overlay.added.len()
    }

    /// Seeded rows still present.
    fn seeded_len(&self) -> usize {
        self.rows.len() - self.overlay.removed.len()
    }

    /// The row at `position` (`0..len()`) of the list.
    pub fn at(&self, position: usize) -> Row {
        match position.checked_sub(self.seeded_len()) {
            Some(i) => Row::Added(i),
            None => Row::Seeded(self.nth_kept(position)),
        }
    }

    /// The `n`-th seeded row that was not removed: `n` plus the number of removed rows before
    /// it, which are the removed rows `removed[j]` with `removed[j] - j <= n` (a non-decreasing
    /// quantity, so a binary search finds them).
    fn nth_kept(&self, n: usize) -> u32 {
        let removed = &self.overlay.removed;
        let (mut lo, mut hi) = (0, removed.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if removed[mid] as usize - mid <= n {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (n + lo) as u32
    }

    /// The position of `row` in the list.
    pub fn position(&self, row: Row) -> usize {
        match row {
            Row::Seeded(r) => r as usize - self.overlay.removed.partition_point(|&x| x < r),
            Row::Added(i) => self.seeded_len() + i,
        }
    }

    /// Calls `f` with every row in list order.
    fn for_each_row(&self, mut f: impl FnMut(Row)) {
        let mut removed = self.overlay.removed.iter().peekable();
        for r in 0..self.rows.len() as u32 {
            if removed.next_if_eq(&&r).is_none() {
                f(Row::Seeded(r));
            }
        }
        (0..self.overlay.added.len()).for_each(|i| f(Row::Added(i)));
    }

    pub fn learner(&self, row: Row) -> u32 {
        match row {
            Row::Seeded(r) => self.rows.learner(r),
            Row::Added(i) => self.overlay.added[i].learner,
        }
    }

    /// The stored uid (SAML: `<idp_slug>:<remote_id>`).
    pub fn uid(&self, row: Row) -> &'v str {
        match row {
            Row::Seeded(r) => self.overlay.changed.get(&r).map_or_else(|| self.rows.uids.get(r), String::as_str),
            Row::Added(i) => &self.overlay.added[i].uid,
        }
    }

    /// The remote id as the API shows it.
    pub fn remote_id(&self, row: Row) -> &'v str {
        self.rows.config.remote_id(self.uid(row))
    }

    /// The learner's current row, if linked.
    pub fn row_of_learner(&self, learner: u32) -> Option<Row> {
        if let Some(r) = self.rows.row_of_learner(learner) {
            if self.overlay.removed.binary_search(&r).is_err() {
                return Some(Row::Seeded(r));
            }
        }
        self.overlay.added_by_learner.get(&learner).map(|&i| Row::Added(i))
    }

    /// The row whose remote id (as the API shows it) is `remote_id`.
    pub fn row_of_remote_id(&self, remote_id: &str) -> Option<Row> {
        self.row_of_uid(&self.rows.config.social_auth_uid(remote_id))
    }

    /// The row currently storing `uid`.
    fn row_of_uid(&self, uid: &str) -> Option<Row> {
        if let Some(owner) = self.overlay.uids.get(uid) {
            return Some(match *owner {
                UidOwner::Seeded(r) => Row::Seeded(r),
                UidOwner::Added(learner) => Row::Added(self.overlay.added_by_learner[&learner]),
            });
        }
        let r = self.rows.uids.find(uid)?;
        let current = self.overlay.removed.binary_search(&r).is_err() && !self.overlay.changed.contains_key(&r);
        current.then_some(Row::Seeded(r))
    }

    fn info(&self) -> ProviderInfo {
        ProviderInfo { mappings: self.len(), ..self.rows.info() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live() -> LiveData {
        LiveData::new(Arc::new(OpenEdxData::generate(300, 42)))
    }

    const HOME: &str = "saml-demo-univ";

    #[test]
    fn removed_rows_are_skipped_and_positions_stay_consistent() {
        let live = live();
        let seeded = live.seeded().mappings(HOME);
        for i in [0, 5, 6, 7, 50, seeded.len() - 1] {
            live.unlink(HOME, &seeded[i].username).unwrap();
        }
        let view = live.view();
        let provider = view.provider(HOME).unwrap();
        let expected: Vec<_> =
            seeded.iter().enumerate().filter(|(i, _)| ![0, 5, 6, 7, 50, seeded.len() - 1].contains(i)).map(|(_, m)| m.clone()).collect();
        assert_eq!(view.mappings(HOME), expected);
        assert_eq!(provider.len(), expected.len());
        for (position, mapping) in expected.iter().enumerate() {
            let row = provider.at(position);
            assert_eq!(provider.position(row), position);
            assert_eq!(view.username(provider.learner(row)), mapping.username);
            assert_eq!(provider.row_of_remote_id(&mapping.remote_id), Some(row));
        }
        assert_eq!(provider.row_of_remote_id(&seeded[6].remote_id), None);
    }

    #[test]
    fn added_rows_come_last_and_can_be_removed_again() {
        let live = live();
        let count = live.view().mapping_count(HOME);
        live.link(HOME, "new-a", "n-a", false).unwrap();
        live.link(HOME, "new-b", "n-b", false).unwrap();
        live.link(HOME, "new-c", "n-c", false).unwrap();
        assert_eq!(live.link(HOME, "new-d", "n-b", false), Err(ChangeError::RemoteIdTaken));
        assert_eq!(live.link(HOME, "new-a", "n-x", false), Err(ChangeError::AlreadyLinked));
        assert_eq!(live.link(HOME, "new-a", "n-x", true), Err(ChangeError::LearnerExists));
        live.unlink(HOME, "new-b").unwrap();
        let view = live.view();
        let tail: Vec<_> = view.mappings(HOME).into_iter().skip(count).map(|m| (m.username, m.remote_id)).collect();
        assert_eq!(tail, [("new-a".to_owned(), "n-a".to_owned()), ("new-c".to_owned(), "n-c".to_owned())]);
        let provider = view.provider(HOME).unwrap();
        assert_eq!(provider.row_of_remote_id("n-c"), Some(Row::Added(1)));
        assert_eq!(provider.row_of_learner(view.learner_index("new-c").unwrap()), Some(Row::Added(1)));
        assert_eq!(provider.uid(Row::Added(1)), "demo-univ:n-c");
        assert_eq!(view.learner_index_by_email("new-b@example.edu"), view.learner_index("new-b"));
    }

    #[test]
    fn changed_remote_ids_move_the_index_and_can_go_back() {
        let live = live();
        let seeded = live.seeded().mappings(HOME);
        let (a, b) = (&seeded[3], &seeded[4]);
        assert_eq!(live.set_remote_id(HOME, &a.username, &b.remote_id), Err(ChangeError::RemoteIdTaken));
        live.set_remote_id(HOME, &a.username, "moved").unwrap();
        {
            let view = live.view();
            let provider = view.provider(HOME).unwrap();
            assert_eq!(provider.row_of_remote_id("moved"), Some(Row::Seeded(3)));
            assert_eq!(provider.row_of_remote_id(&a.remote_id), None);
        }
        // The old remote id is free now.
        live.set_remote_id(HOME, &b.username, &a.remote_id).unwrap();
        live.set_remote_id(HOME, &a.username, &b.remote_id).unwrap();
        let view = live.view();
        let now = view.mappings(HOME);
        assert_eq!(now[3].remote_id, b.remote_id);
        assert_eq!(now[4].remote_id, a.remote_id);
        assert_eq!(view.provider(HOME).unwrap().row_of_remote_id("moved"), None);
    }

    #[test]
    fn usernames_are_validated() {
        assert!(valid_username("ann.smith+mooc_2-x"));
        assert!(!valid_username(""));
        assert!(!valid_username("a b"));
        assert!(!valid_username(&"a".repeat(31)));
    }
}
