//! A column of unique strings stored back to back, with a hash index from string to position.
//!
//! A million learners with a few links each would cost hundreds of megabytes as `String`s in
//! `HashMap`s; here a string costs its bytes, a 4-byte end offset and a 4-byte index slot.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// Unique strings addressed by their insertion position (`0..len`).
#[derive(Debug, Default)]
pub(crate) struct StringColumn {
    bytes: String,
    ends: Vec<u32>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl StringColumn {
    /// An empty column with room for `capacity` strings of about `typical_len` bytes.
    pub fn with_capacity(capacity: usize, typical_len: usize) -> Self {
        Self {
            bytes: String::with_capacity(capacity * typical_len),
            ends: Vec::with_capacity(capacity),
            index: HashTable::with_capacity(capacity),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string at `position`.
    ///
    /// # Panics
    /// When `position >= len()`.
    pub fn get(&self, position: u32) -> &str {
        slice(&self.bytes, &self.ends, position)
    }

    /// Position of `value`, if the column holds it.
    pub fn find(&self, value: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(value);
        self.index.find(hash, |&p| slice(&self.bytes, &self.ends, p) == value).copied()
    }

    /// Appends `value` and returns its position, or `None` (and changes nothing) when the column
    /// already holds it.
    ///
    /// # Panics
    /// When the column would exceed 4 GiB of text.
    pub fn push_unique(&mut self, value: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(value);
        let Self { bytes, ends, index, hasher } = self;
        if index.find(hash, |&p| slice(bytes, ends, p) == value).is_some() {
            return None;
        }
        let position = u32::try_from(ends.len()).expect("string column holds at most 2^32 strings");
        bytes.push_str(value);
        ends.push(u32::try_from(bytes.len()).expect("string column holds at most 4 GiB of text"));
        index.insert_unique(hash, position, |&p| hasher.hash_one(slice(bytes, ends, p)));
        Some(position)
    }

    /// Approximate heap bytes held: text, offsets and index slots (4-byte slot plus a control
    /// byte per bucket, buckets being at least 8/7 of the capacity).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4 + self.index.capacity() * 8 / 7 * 5
    }

    /// Frees spare capacity once the column is complete.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        let Self { bytes, ends, index, hasher } = self;
        index.shrink_to_fit(|&p| hasher.hash_one(slice(bytes, ends, p)));
    }
}

fn slice<'a>(bytes: &'a str, ends: &[u32], position: u32) -> &'a str {
    let p = position as usize;
    let start = if p == 0 { 0 } else { ends[p - 1] as usize };
    &bytes[start..ends[p] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_found_by_value_and_position() {
        let mut column = StringColumn::with_capacity(2, 8);
        assert_eq!(column.push_unique("ann+mooc"), Some(0));
        assert_eq!(column.push_unique("bob"), Some(1));
        assert_eq!(column.push_unique("ann+mooc"), None);
        assert_eq!(column.len(), 2);
        assert_eq!(column.get(0), "ann+mooc");
        assert_eq!(column.get(1), "bob");
        assert_eq!(column.find("bob"), Some(1));
        assert_eq!(column.find("ann mooc"), None);
        column.shrink_to_fit();
        assert_eq!(column.find("ann+mooc"), Some(0));
    }

    #[test]
    fn empty_string_is_a_value_like_any_other() {
        let mut column = StringColumn::default();
        assert_eq!(column.find(""), None);
        assert_eq!(column.push_unique(""), Some(0));
        assert_eq!(column.find(""), Some(0));
        assert_eq!(column.get(0), "");
    }
}
