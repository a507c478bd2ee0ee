//! A person's full name read back from a seeded Open edX username (`ann.de-jong+mooc` →
//! "Ann de Jong", `smithann98` → "Ann Smith"). Where the username holds only part of the name
//! (`asmith7`, `ann+mooc3`), the missing part is picked from the same name lists by a hash of the
//! username, so every seeded learner has a first and a family name, the same one every time.

use crate::openedx::names::{FIRST_NAMES, LAST_NAMES};

/// Separators the seeded username styles put between names.
const SEPARATORS: [char; 3] = ['_', '.', '-'];

/// The display name of a seeded learner; any username gives a non-empty, readable name.
pub(crate) fn full_name(username: &str) -> String {
    let lower = username.to_ascii_lowercase();
    let stem = lower.split('+').next().unwrap_or_default();
    let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit() || SEPARATORS.contains(&c));
    if let Some(name) = first_and_last(stem) {
        return name;
    }
    let words: Vec<String> = stem.split(SEPARATORS).filter(|w| !w.is_empty()).map(capitalized).collect();
    if words.is_empty() {
        capitalized(username)
    } else {
        words.join(" ")
    }
}

/// `first<sep>last`, `firstlast`, `lastfirst` or `<initial>last`.
fn first_and_last(stem: &str) -> Option<String> {
    let is_first = |s: &str| FIRST_NAMES.contains(&s);
    let is_last = |s: &str| LAST_NAMES.contains(&s);
    for (i, c) in stem.char_indices() {
        if SEPARATORS.contains(&c) {
            let (first, last) = (&stem[..i], &stem[i + 1..]);
            if is_first(first) && is_last(last) {
                return Some(format!("{} {}", capitalized(first), family_name(last)));
            }
        }
    }
    for i in (1..stem.len()).filter(|&i| stem.is_char_boundary(i)) {
        let (left, right) = stem.split_at(i);
        if is_first(left) && is_last(right) {
            return Some(format!("{} {}", capitalized(left), family_name(right)));
        }
        if is_last(left) && is_first(right) {
            return Some(format!("{} {}", capitalized(right), family_name(left)));
        }
    }
    if is_first(stem) {
        let last = LAST_NAMES[pick(stem, LAST_NAMES.len())];
        return Some(format!("{} {}", capitalized(stem), family_name(last)));
    }
    let initial = stem.chars().next()?;
    let rest = &stem[initial.len_utf8()..];
    if !is_last(rest) {
        return None;
    }
    let firsts: Vec<&str> = FIRST_NAMES.iter().copied().filter(|f| f.starts_with(initial)).collect();
    let first = match firsts.len() {
        0 => format!("{}.", initial.to_ascii_uppercase()),
        n => capitalized(firsts[pick(stem, n)]),
    };
    Some(format!("{first} {}", family_name(rest)))
}

/// A stable index below `n` from a string (FNV-1a).
fn pick(text: &str, n: usize) -> usize {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (hash % n as u64) as usize
}

/// A family name as people write it: "de Jong", "van Dijk", "O'Brien", "Smith".
fn family_name(last: &str) -> String {
    match last {
        "obrien" => "O'Brien".to_owned(),
        _ => match last.split_once('-') {
            Some((particle @ ("de" | "van"), rest)) => format!("{particle} {}", capitalized(rest)),
            _ => last.split('-').map(capitalized).collect::<Vec<_>>().join("-"),
        },
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seeded_username_style_reads_back() {
        assert_eq!(full_name("ann_smith"), "Ann Smith");
        assert_eq!(full_name("annsmith42"), "Ann Smith");
        let initial = full_name("asmith7");
        assert!(initial.starts_with('A') && initial.ends_with(" Smith") && !initial.contains('.'), "{initial}");
        assert_eq!(full_name("asmith7"), full_name("asmith12"));
        assert_eq!(full_name("ann.de-jong"), "Ann de Jong");
        assert_eq!(full_name("ann-van-dijk"), "Ann van Dijk");
        assert_eq!(full_name("AnnObrien"), "Ann O'Brien");
        assert_eq!(full_name("smithann98"), "Ann Smith");
        assert_eq!(full_name("ann.smith+mooc"), "Ann Smith");
        let first_only = full_name("ann+mooc3");
        assert!(first_only.starts_with("Ann ") && first_only.len() > 5, "{first_only}");
        assert_eq!(full_name("ann_1234_2"), first_only);
        assert_eq!(full_name("qsmith"), "Q. Smith");
        assert_eq!(full_name("x9"), "X");
        assert_eq!(full_name("42"), "42");
    }
}
