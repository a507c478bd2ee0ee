//! Deterministic generation of learners and links from a seed.
//!
//! One ChaCha8 stream drives everything, learner by learner, so the same `(learners, seed)`
//! always yields the same usernames, e-mails, links, remote ids and row order. The first few
//! learners are "showcase" learners whose shape is fixed (a `+` and a `.` in the username, a
//! `+` in a Google remote id, ...) so every edge case exists even in a tiny sandbox.

use std::fmt::Write as _;

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::{OpenEdxData, ProviderRows, EMAIL_DOMAINS};
use super::names::{FIRST_NAMES, LAST_NAMES, PLUS_TAGS};
use super::providers::{RemoteIdStyle, HOME_PROVIDER, PROVIDERS};
use crate::string_column::StringColumn;

/// Open edX caps usernames at 30 characters.
const MAX_USERNAME_LEN: usize = 30;

/// Student numbers are 7 digits.
const STUDENT_NUMBERS: u64 = 10_000_000;

#[derive(Clone, Copy, Debug)]
enum UsernameStyle {
    /// `ann_smith`
    Underscore,
    /// `annsmith42`
    FirstLastDigits,
    /// `asmith7`
    InitialLastDigits,
    /// `ann.smith`
    Dot,
    /// `ann-smith`
    Hyphen,
    /// `AnnSmith`
    Capitalized,
    /// `smithann98`
    LastFirstYear,
    /// `ann.smith+mooc`
    DotPlusTag,
    /// `ann+mooc3`
    PlusTagNumber,
}

impl UsernameStyle {
    fn ends_in_digits(self) -> bool {
        matches!(
            self,
            UsernameStyle::FirstLastDigits | UsernameStyle::InitialLastDigits | UsernameStyle::LastFirstYear | UsernameStyle::PlusTagNumber
        )
    }
}

/// Styles with their weights out of 100.
const STYLES: [(UsernameStyle, u32); 9] = [
    (UsernameStyle::Underscore, 22),
    (UsernameStyle::FirstLastDigits, 20),
    (UsernameStyle::InitialLastDigits, 15),
    (UsernameStyle::Dot, 15),
    (UsernameStyle::Hyphen, 8),
    (UsernameStyle::Capitalized, 8),
    (UsernameStyle::LastFirstYear, 6),
    (UsernameStyle::DotPlusTag, 4),
    (UsernameStyle::PlusTagNumber, 2),
];

/// Fixed shapes of the first learners: username style, linked providers (indexes into
/// `PROVIDERS`) and whether a Google address gets a `+tag`.
const SHOWCASE: [(UsernameStyle, &[usize], bool); 5] = [
    (UsernameStyle::DotPlusTag, &[0, 1, 2], true),
    (UsernameStyle::Hyphen, &[0, 3], false),
    (UsernameStyle::Underscore, &[0, 2], false),
    (UsernameStyle::PlusTagNumber, &[0, 2], true),
    (UsernameStyle::Capitalized, &[0, 4, 5], false),
];

/// Per-mille chance that a Google address carries a `+tag`.
const EMAIL_PLUS_TAG_PER_MILLE: u32 = 80;

/// Generates the data set; see [`OpenEdxData::generate`].
pub(crate) fn generate(learners: usize, seed: u64) -> OpenEdxData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let numberings: Vec<StudentNumbering> = PROVIDERS.iter().map(|_| StudentNumbering::new(&mut rng)).collect();
    let mut usernames = StringColumn::with_capacity(learners, 16);
    let mut email_domains = Vec::with_capacity(learners);
    let mut providers: Vec<ProviderRows> = PROVIDERS
        .iter()
        .enumerate()
        .map(|(p, config)| {
            // Room for the expected links and some: growing a big index means rehashing it.
            let expected = if p == HOME_PROVIDER { learners } else { learners * (config.linked_per_mille as usize + 20) / 1000 + 64 };
            ProviderRows { config: *config, learners: Vec::with_capacity(expected), uids: StringColumn::with_capacity(expected, 40) }
        })
        .collect();

    let mut username = String::with_capacity(64);
    let mut uid = String::with_capacity(96);
    let mut linked = [false; PROVIDERS.len()];
    for i in 0..learners {
        let learner = u32::try_from(i).expect("at most 2^32 learners");
        let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
        let showcase = SHOWCASE.get(i);
        let style = match showcase {
            Some((style, _, _)) => *style,
            None => pick_style(&mut rng),
        };
        push_username(&mut usernames, &mut username, style, first, last, i, &mut rng);
        email_domains.push(rng.random_range(0..EMAIL_DOMAINS.len()) as u8);

        match showcase {
            Some((_, links, _)) => {
                for (p, flag) in linked.iter_mut().enumerate() {
                    *flag = links.contains(&p);
                }
            }
            None => {
                for (flag, config) in linked.iter_mut().zip(PROVIDERS.iter()) {
                    *flag = rng.random_range(0..1000) < config.linked_per_mille;
                }
                if !linked.iter().any(|&l| l) {
                    linked[HOME_PROVIDER] = true;
                }
            }
        }
        let force_plus = showcase.is_some_and(|(_, _, plus)| *plus);
        for (p, rows) in providers.iter_mut().enumerate() {
            if !linked[p] {
                continue;
            }
            let context = UidContext { learner: i, username: usernames.get(learner), first, last, force_plus };
            push_uid(rows, &mut uid, &numberings[p], &context, &mut rng);
            rows.learners.push(learner);
        }
    }

    usernames.shrink_to_fit();
    for rows in &mut providers {
        rows.learners.shrink_to_fit();
        rows.uids.shrink_to_fit();
    }
    OpenEdxData { seed, usernames, email_domains, providers }
}

fn pick_style(rng: &mut ChaCha8Rng) -> UsernameStyle {
    let mut roll = rng.random_range(0..100);
    for (style, weight) in STYLES {
        if roll < weight {
            return style;
        }
        roll -= weight;
    }
    UsernameStyle::Underscore
}

fn push_capitalized(buf: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        buf.push(c.to_ascii_uppercase());
        buf.push_str(chars.as_str());
    }
}

fn write_username_base(buf: &mut String, style: UsernameStyle, first: &str, last: &str, rng: &mut ChaCha8Rng) {
    buf.clear();
    match style {
        UsernameStyle::Underscore => {
            let _ = write!(buf, "{first}_{last}");
        }
        UsernameStyle::FirstLastDigits => {
            let _ = write!(buf, "{first}{last}{}", rng.random_range(1..100u32));
        }
        UsernameStyle::InitialLastDigits => {
            let _ = write!(buf, "{}{last}{}", &first[..1], rng.random_range(1..1000u32));
        }
        UsernameStyle::Dot => {
            let _ = write!(buf, "{first}.{last}");
        }
        UsernameStyle::Hyphen => {
            let _ = write!(buf, "{first}-{last}");
        }
        UsernameStyle::Capitalized => {
            push_capitalized(buf, first);
            push_capitalized(buf, last);
        }
        UsernameStyle::LastFirstYear => {
            let _ = write!(buf, "{last}{first}{:02}", rng.random_range(70..100u32));
        }
        UsernameStyle::DotPlusTag => {
            let tag = PLUS_TAGS[rng.random_range(0..PLUS_TAGS.len())];
            let _ = write!(buf, "{first}.{last}+{tag}");
        }
        UsernameStyle::PlusTagNumber => {
            let tag = PLUS_TAGS[rng.random_range(0..PLUS_TAGS.len())];
            let _ = write!(buf, "{first}+{tag}{}", rng.random_range(1..10u32));
        }
    }
    // Hyphenated family names ("de-jong") never make a username longer than 30 characters.
    buf.truncate(MAX_USERNAME_LEN);
}

/// Adds a unique username for learner `index`, appending digits on collisions.
fn push_username(
    column: &mut StringColumn,
    buf: &mut String,
    style: UsernameStyle,
    first: &str,
    last: &str,
    index: usize,
    rng: &mut ChaCha8Rng,
) {
    write_username_base(buf, style, first, last, rng);
    let base_len = buf.len();
    let mut bound = 10u32;
    // Past the first few thousand learners the plain forms (`ann_smith`) are long taken: start
    // with a number drawn from about a hundred per learner sharing the name, so collisions
    // (and their retries) stay rare even with a million learners.
    let crowd = index / (FIRST_NAMES.len() * LAST_NAMES.len());
    if crowd > 0 && !style.ends_in_digits() {
        while (bound as usize) < crowd * 100 && bound < 1_000_000 {
            bound *= 10;
        }
        let _ = write!(buf, "{}", rng.random_range(1..bound));
        bound *= 10;
    }
    loop {
        if buf.len() <= MAX_USERNAME_LEN && column.push_unique(buf).is_some() {
            return;
        }
        if bound > 1_000_000 {
            break;
        }
        buf.truncate(base_len);
        let _ = write!(buf, "{}", rng.random_range(1..bound));
        bound *= 10;
    }
    // `<first>_<index>` cannot collide: no style produces `_` followed only by digits.
    let mut attempt = 0usize;
    loop {
        buf.clear();
        let _ = write!(buf, "{first}_{index}");
        if attempt > 0 {
            let _ = write!(buf, "_{attempt}");
        }
        if column.push_unique(buf).is_some() {
            return;
        }
        attempt += 1;
    }
}

/// What a learner's uid is made of.
struct UidContext<'a> {
    learner: usize,
    username: &'a str,
    first: &'a str,
    last: &'a str,
    force_plus: bool,
}

/// A bijection of learner indexes onto 7-digit student numbers: `(a * i + b) mod 10^7`.
struct StudentNumbering {
    a: u64,
    b: u64,
}

impl StudentNumbering {
    fn new(rng: &mut ChaCha8Rng) -> Self {
        // `a` coprime with 10^7 (odd, not a multiple of 5) makes the map a permutation.
        let mut a = rng.random_range(1_000_003..STUDENT_NUMBERS);
        while a % 2 == 0 || a % 5 == 0 {
            a += 1;
        }
        Self { a, b: rng.random_range(0..STUDENT_NUMBERS) }
    }

    fn number(&self, learner: usize) -> u64 {
        (self.a.wrapping_mul(learner as u64 % STUDENT_NUMBERS) + self.b) % STUDENT_NUMBERS
    }
}

/// Adds a unique stored uid for one link.
fn push_uid(rows: &mut ProviderRows, buf: &mut String, numbering: &StudentNumbering, context: &UidContext<'_>, rng: &mut ChaCha8Rng) {
    for attempt in 0u32.. {
        buf.clear();
        if let Some(slug) = rows.config.idp_slug {
            buf.push_str(slug);
            buf.push(':');
        }
        write_remote_id(buf, rows.config.remote_ids, numbering, context, attempt, rng);
        if rows.uids.push_unique(buf).is_some() {
            return;
        }
    }
}

fn write_remote_id(
    buf: &mut String,
    style: RemoteIdStyle,
    numbering: &StudentNumbering,
    context: &UidContext<'_>,
    attempt: u32,
    rng: &mut ChaCha8Rng,
) {
    match style {
        RemoteIdStyle::StudentNumber => {
            let _ = write!(buf, "s{:07}", numbering.number(context.learner));
            if attempt > 0 {
                // Only when there are more than 10^7 learners.
                let _ = write!(buf, "-{attempt}");
            }
        }
        RemoteIdStyle::PrincipalName { domain } => {
            let _ = write!(buf, "{}@{domain}", context.username);
            if attempt > 0 {
                let _ = write!(buf, ".{attempt}");
            }
        }
        RemoteIdStyle::Email { domain } => {
            let _ = write!(buf, "{}.{}", context.first, context.last);
            if context.force_plus || rng.random_range(0..1000) < EMAIL_PLUS_TAG_PER_MILLE {
                let tag = PLUS_TAGS[rng.random_range(0..PLUS_TAGS.len())];
                let _ = write!(buf, "+{tag}");
            }
            match attempt {
                0 => {}
                1..=5 => {
                    let _ = write!(buf, "{}", rng.random_range(1..10u32.pow(attempt + 1)));
                }
                // `.<index>` makes the address unique whatever came before.
                _ => {
                    let _ = write!(buf, ".{}.{attempt}", context.learner);
                }
            }
            let _ = write!(buf, "@{domain}");
        }
        RemoteIdStyle::LtiUser { consumer_key } => {
            let id = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
            let _ = write!(buf, "{consumer_key}:{id:032x}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_numbering_is_a_permutation() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let numbering = StudentNumbering::new(&mut rng);
        let mut seen = std::collections::HashSet::new();
        for i in 0..100_000 {
            assert!(seen.insert(numbering.number(i)));
        }
    }

    #[test]
    fn usernames_stay_within_the_open_edx_alphabet_and_length() {
        let data = generate(5_000, 3);
        for name in data.usernames() {
            assert!(!name.is_empty() && name.len() <= MAX_USERNAME_LEN, "{name}");
            assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c)), "{name}");
        }
    }
}
