//! Seeded data: determinism, realism, scale.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crosswalk_sandbox::OpenEdxData;

#[test]
fn same_seed_gives_identical_data() {
    let a = OpenEdxData::generate(2_000, 42);
    let b = OpenEdxData::generate(2_000, 42);
    assert!(a.usernames().eq(b.usernames()));
    for p in a.providers() {
        assert_eq!(a.mappings(&p.id), b.mappings(&p.id), "{}", p.id);
    }
    assert_eq!(a.learner_at(17), b.learner_at(17));
}

#[test]
fn different_seeds_give_different_data() {
    let a = OpenEdxData::generate(500, 1);
    let b = OpenEdxData::generate(500, 2);
    assert!(!a.usernames().eq(b.usernames()));
}

#[test]
fn usernames_are_unique_and_use_the_open_edx_alphabet() {
    let data = OpenEdxData::generate(20_000, 42);
    let mut seen = HashSet::new();
    for name in data.usernames() {
        assert!(seen.insert(name.to_owned()), "duplicate {name}");
        assert!(name.len() <= 30, "{name}");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c)), "{name}");
    }
    for special in ['+', '.', '-', '_'] {
        assert!(data.usernames().filter(|u| u.contains(special)).count() > 100, "few usernames with {special}");
    }
}

#[test]
fn tiny_sandboxes_still_have_the_edge_cases() {
    let data = OpenEdxData::generate(5, 9);
    assert!(data.usernames().any(|u| u.contains('+')));
    assert!(data.usernames().any(|u| u.contains('.')));
    assert!(data.usernames().any(|u| u.contains('-')));
    assert!(data.mappings("oa2-google-oauth2").iter().any(|m| m.remote_id.contains('+')));
    for p in data.providers() {
        assert!(p.mappings > 0, "{} has no mappings", p.id);
    }
}

#[test]
fn link_ratios_are_realistic_and_every_learner_is_linked() {
    let n = 20_000;
    let data = OpenEdxData::generate(n, 42);
    let share = |id: &str| data.mapping_count(id) as f64 / n as f64;
    assert!((share("saml-demo-univ") - 0.90).abs() < 0.03);
    assert!((share("oa2-google-oauth2") - 0.30).abs() < 0.03);
    assert!((share("saml-partner") - 0.10).abs() < 0.02);
    assert!((share("lti-canvas") - 0.15).abs() < 0.02);
    for i in (0..n).step_by(97) {
        assert!(!data.learner_at(i).unwrap().links.is_empty());
    }
}

#[test]
fn remote_ids_are_unique_per_provider_and_found_by_value() {
    let data = OpenEdxData::generate(5_000, 42);
    for p in data.providers() {
        let mappings = data.mappings(&p.id);
        let ids: HashSet<_> = mappings.iter().map(|m| &m.remote_id).collect();
        assert_eq!(ids.len(), mappings.len(), "{}", p.id);
        let m = &mappings[mappings.len() / 2];
        assert_eq!(data.mapping_by_remote_id(&p.id, &m.remote_id).as_ref(), Some(m));
    }
}

#[test]
fn learner_emails_find_their_learner() {
    let data = OpenEdxData::generate(1_000, 42);
    let learner = data.learner_at(123).unwrap();
    assert_eq!(data.learner_by_email(&learner.email), Some(learner.clone()));
    assert_eq!(data.learner(&learner.username), Some(learner));
}

/// One million learners. The bound is generous in unoptimised builds; in release
/// (`cargo test --release`) seeding takes well under the three-second budget.
#[test]
fn a_million_learners_seed_in_reasonable_time() {
    let started = Instant::now();
    let data = OpenEdxData::generate(1_000_000, 42);
    let took = started.elapsed();
    let budget = if cfg!(debug_assertions) { Duration::from_secs(15) } else { Duration::from_secs(3) };
    assert!(took < budget, "seeding took {took:?}");
    assert_eq!(data.learner_count(), 1_000_000);
    let count = data.mapping_count("saml-demo-univ");
    assert!(count > 880_000 && count < 920_000, "{count}");
    let bytes = data.approximate_heap_bytes();
    assert!(bytes < 300 << 20, "{} MiB", bytes >> 20);
    eprintln!("1M learners: seeded in {took:?}, about {} MiB", bytes >> 20);
}
