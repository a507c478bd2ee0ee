//! The provider mirror packed for matching: every username with its remote ids, in one string
//! arena and one hash table of indices (a few allocations in all instead of three per username).

use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::{Error, Result};

/// Usernames → their remote ids (sorted), as the mirror holds them.
pub(crate) struct Links {
    /// Every username and remote id, one after the other.
    arena: String,
    /// Where each string of `arena` ends.
    ends: Vec<u32>,
    /// Per username: the index of its string in `ends`, and how many remote ids follow it.
    entries: Vec<Entry>,
    /// Per username, by its hash: its index in `entries` and where it is in the arena (so a
    /// lookup compares the name without reading `entries` first: the two reads can overlap).
    table: HashTable<Slot>,
    hasher: foldhash::fast::RandomState,
}

impl Default for Links {
    fn default() -> Self {
        Self {
            arena: String::new(),
            ends: Vec::new(),
            entries: Vec::new(),
            table: HashTable::new(),
            hasher: foldhash::fast::RandomState::default(),
        }
    }
}

/// A username: where it is in the arena (kept here so a lookup reads the table, this and the
/// arena, nothing else), and its remote ids: `n` strings from index `key + 1`, which follow the
/// username in the arena and end at `ids_end` (so one id is read without `ends`).
#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    end: u32,
    key: u32,
    n: u32,
    ids_end: u32,
}

/// The arena's text from `start` to `end`.
fn span(arena: &str, start: u32, end: u32) -> &str {
    &arena[start as usize..end as usize]
}

impl Entry {
    fn name<'a>(&self, arena: &'a str) -> &'a str {
        span(arena, self.start, self.end)
    }
}

/// A username in the hash table.
#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    start: u32,
    end: u32,
}

impl Slot {
    fn name<'a>(&self, arena: &'a str) -> &'a str {
        span(arena, self.start, self.end)
    }

    /// Whether this is `username` (bytes compared: no character-boundary checks on the arena).
    fn is(&self, arena: &str, username: &str) -> bool {
        arena.as_bytes().get(self.start as usize..self.end as usize) == Some(username.as_bytes())
    }
}

/// A sync count beyond this is not believed when sizing (the table still grows as needed).
const MAX_EXPECTED: u64 = 10_000_000;

fn string<'a>(arena: &'a str, ends: &[u32], i: u32) -> &'a str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &arena[start..ends[i] as usize]
}

/// Appends a string; its index, or `None` past 32-bit offsets.
/// Where string `i` starts in the arena.
fn key_start(ends: &[u32], i: u32) -> u32 {
    if i == 0 {
        0
    } else {
        ends[i as usize - 1]
    }
}

fn push_string(arena: &mut String, ends: &mut Vec<u32>, s: &str) -> Option<u32> {
    arena.push_str(s);
    let end = u32::try_from(arena.len()).ok()?;
    ends.push(end);
    u32::try_from(ends.len() - 1).ok()
}

impl Links {
    /// Builds the map from (username, remote id) pairs that arrive grouped by username with each
    /// username's remote ids sorted (what [`crate::mirror::each_link_by_username`] yields).
    /// `expected` is how many links the mirror is thought to hold (its last sync's count), so the
    /// table is sized once instead of growing; any number works.
    pub fn load(expected: u64, each: impl FnOnce(&mut dyn FnMut(&str, &str)) -> Result<()>) -> Result<Self> {
        let mut links = Links::default();
        let n = expected.min(MAX_EXPECTED) as usize;
        links.entries.reserve(n);
        links.ends.reserve(2 * n);
        links.arena.reserve(24 * n);
        let hasher = links.hasher;
        let arena = &links.arena;
        links.table.reserve(n, |e| hasher.hash_one(e.name(arena)));
        let mut too_big = false;
        each(&mut |username, remote_id| {
            if too_big {
                return;
            }
            too_big = !links.push(username, remote_id);
        })?;
        if too_big {
            return Err(Error::Invalid("The provider mirror is too large to match against (over 4 GiB of usernames and ids).".into()));
        }
        Ok(links)
    }

    fn push_string(&mut self, s: &str) -> Option<u32> {
        push_string(&mut self.arena, &mut self.ends, s)
    }

    /// Adds one link; false when the arena outgrew its 32-bit offsets.
    fn push(&mut self, username: &str, remote_id: &str) -> bool {
        if let Some(&Entry { key, n, .. }) = self.entries.last() {
            if string(&self.arena, &self.ends, key) == username {
                // Ids arrive sorted, so an exact repeat can only be the one just pushed.
                if string(&self.arena, &self.ends, key + n) != remote_id {
                    if self.push_string(remote_id).is_none() {
                        return false;
                    }
                    let ids_end = self.arena.len() as u32;
                    let last = self.entries.last_mut().expect("checked above");
                    last.n += 1;
                    last.ids_end = ids_end;
                }
                return true;
            }
        }
        let hash = self.hasher.hash_one(username);
        let (arena, hasher) = (&self.arena, &self.hasher);
        let slot = self.table.entry(hash, |e| e.is(arena, username), |e| hasher.hash_one(e.name(arena)));
        let slot = match slot {
            hashbrown::hash_table::Entry::Vacant(slot) => slot,
            hashbrown::hash_table::Entry::Occupied(seen) => {
                // Not grouped after all: the rows were not in username order. Never expected from
                // the mirror's index; kept correct anyway.
                let index = seen.get().index;
                return self.push_late(index, remote_id);
            }
        };
        let Ok(index) = u32::try_from(self.entries.len()) else {
            return false;
        };
        let (Some(key), Some(_)) =
            (push_string(&mut self.arena, &mut self.ends, username), push_string(&mut self.arena, &mut self.ends, remote_id))
        else {
            return false;
        };
        let (start, end) = (key_start(&self.ends, key), self.ends[key as usize]);
        self.entries.push(Entry { start, end, key, n: 1, ids_end: self.arena.len() as u32 });
        slot.insert(Slot { index, start, end });
        true
    }

    /// A remote id for a username seen before but not just now: its ids are copied to the end so
    /// they stay together and sorted.
    fn push_late(&mut self, index: u32, remote_id: &str) -> bool {
        let Entry { key, n, .. } = self.entries[index as usize];
        let username = string(&self.arena, &self.ends, key).to_owned();
        let mut ids: Vec<String> = (1..=n).map(|i| string(&self.arena, &self.ends, key + i).to_owned()).collect();
        if !ids.iter().any(|id| id == remote_id) {
            ids.push(remote_id.to_owned());
            ids.sort();
        }
        let Some(new_key) = self.push_string(&username) else {
            return false;
        };
        for id in &ids {
            if self.push_string(id).is_none() {
                return false;
            }
        }
        let (start, end) = (key_start(&self.ends, new_key), self.ends[new_key as usize]);
        self.entries[index as usize] = Entry { start, end, key: new_key, n: ids.len() as u32, ids_end: self.arena.len() as u32 };
        let hash = self.hasher.hash_one(&username);
        if let Some(slot) = self.table.find_mut(hash, |e| e.index == index) {
            *slot = Slot { index, start, end };
        }
        true
    }

    fn find(&self, username: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(username);
        self.table.find(hash, |e| e.is(&self.arena, username)).map(|e| e.index)
    }

    /// The remote ids of a username, if the mirror has it.
    pub fn get(&self, username: &str) -> Option<Ids<'_>> {
        self.get_with_index(username).map(|(_, ids)| ids)
    }

    /// As [`Links::get`], with the username's index, which [`Links::at`] takes to find it again
    /// without hashing (the reconciliation keeps it per row, so the export skips the lookup).
    pub fn get_with_index(&self, username: &str) -> Option<(u32, Ids<'_>)> {
        let index = self.find(username)?;
        Some((index, self.ids_of(self.entries[index as usize])))
    }

    /// The remote ids at `index` (from [`Links::get_with_index`]) if that entry is `username`'s;
    /// `None` for any other index, so a stale index is never taken for a match.
    pub fn at(&self, index: u32, username: &str) -> Option<Ids<'_>> {
        let entry = *self.entries.get(index as usize)?;
        (entry.name(&self.arena) == username).then(|| self.ids_of(entry))
    }

    fn ids_of(&self, Entry { end, key, n, ids_end, .. }: Entry) -> Ids<'_> {
        if n == 1 {
            Ids::One(span(&self.arena, end, ids_end))
        } else {
            Ids::Packed { links: self, first: key + 1, n }
        }
    }

    /// Starts fetching entry `index` into the CPU's cache, for an [`Links::at`] some rows ahead.
    #[inline]
    pub fn prefetch_entry(&self, index: u32) {
        if let Some(e) = self.entries.get(index as usize) {
            prefetch((e as *const Entry).cast());
        }
    }

    /// Starts fetching entry `index`'s username and ids (the entry itself should be in by now).
    #[inline]
    pub fn prefetch_name(&self, index: u32) {
        if let Some(e) = self.entries.get(index as usize) {
            prefetch(self.arena.as_ptr().wrapping_add(e.start as usize));
        }
    }

    /// How many usernames.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A hint to the CPU to start loading the cache line at `p`.
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it never faults and its result is never read, whatever
    // the address (and SSE, which it needs, is part of every x86-64 CPU).
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// A username's remote ids, from the mirror or from a live lookup.
#[derive(Clone, Copy)]
pub(crate) enum Ids<'a> {
    /// The one remote id (most usernames).
    One(&'a str),
    Packed {
        links: &'a Links,
        first: u32,
        n: u32,
    },
    Owned(&'a [String]),
}

impl<'a> Ids<'a> {
    pub fn len(self) -> usize {
        match self {
            Ids::One(_) => 1,
            Ids::Packed { n, .. } => n as usize,
            Ids::Owned(v) => v.len(),
        }
    }

    pub fn get(self, i: usize) -> &'a str {
        match self {
            Ids::One(id) => {
                assert_eq!(i, 0, "one remote id");
                id
            }
            Ids::Packed { links, first, .. } => string(&links.arena, &links.ends, first + i as u32),
            Ids::Owned(v) => &v[i],
        }
    }

    /// The only remote id, if there is exactly one.
    pub fn one(self) -> Option<&'a str> {
        (self.len() == 1).then(|| self.get(0))
    }

    pub fn to_vec(self) -> Vec<String> {
        (0..self.len()).map(|i| self.get(i).to_owned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Links {
        Links::load(0, |each| {
            for (u, id) in pairs {
                each(u, id);
            }
            Ok(())
        })
        .unwrap()
    }

    #[test]
    fn groups_ids_by_username_and_finds_them() {
        let l = load(&[("ann", "a1"), ("bob", "b1"), ("bob", "b2"), ("bob", "b2"), ("cy", "c1")]);
        assert_eq!(l.len(), 3);
        assert_eq!(l.get("ann").unwrap().to_vec(), ["a1"]);
        assert_eq!(l.get("bob").unwrap().to_vec(), ["b1", "b2"]);
        assert_eq!(l.get("bob").unwrap().one(), None);
        assert_eq!(l.get("cy").unwrap().one(), Some("c1"));
        assert!(l.get("dan").is_none());
        assert!(l.get("").is_none());
        let (bob, _) = l.get_with_index("bob").unwrap();
        assert_eq!(l.at(bob, "bob").unwrap().to_vec(), ["b1", "b2"]);
        assert!(l.at(bob, "ann").is_none(), "an index is only taken for its own username");
        assert!(l.at(99, "bob").is_none());
    }

    #[test]
    fn ungrouped_input_still_keeps_every_id_sorted() {
        let l = load(&[("bob", "b2"), ("ann", "a1"), ("bob", "b1"), ("ann", "a1")]);
        assert_eq!(l.len(), 2);
        assert_eq!(l.get("bob").unwrap().to_vec(), ["b1", "b2"]);
        assert_eq!(l.get("ann").unwrap().to_vec(), ["a1"]);
    }

    #[test]
    fn many_usernames_survive_the_table_growing() {
        let names: Vec<(String, String)> = (0..5000).map(|i| (format!("user{i:05}"), format!("id{i}"))).collect();
        let l = Links::load(3, |each| {
            for (u, id) in &names {
                each(u, id);
            }
            Ok(())
        })
        .unwrap();
        for (u, id) in &names {
            assert_eq!(l.get(u).unwrap().one(), Some(id.as_str()));
        }
    }
}
