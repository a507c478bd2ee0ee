//! Enrollments against the sandbox's home institution: every scenario's timeline, the POST that is
//! never re-sent, the receiver's quirks, v6 spellings, a poll cancelled midway, and no secret in
//! the ledger.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use common::{dir_text, ooapi_settings, test_profile};
use crosswalk_core::activity::Face;
use crosswalk_core::clock::FixedClock;
use crosswalk_core::connection::{OoapiTransport, Profile, ProfileSettings, SecretField};
use crosswalk_core::enrollments::{self, student_token, templates, AssociationQuery, CreateRequest};
use crosswalk_core::jobs::{self, JobKind};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_core::Error;
use crosswalk_sandbox::{Knobs, OoapiFault, OoapiScenario, OOAPI_CLIENT_SECRET, OOAPI_DECISION_SECS, OOAPI_RECEIVER_PASSWORD};
use crosswalk_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

/// A sandbox and a Crosswalk whose clocks move together ([`Env::advance`]).
struct Env {
    sandbox: SandboxHandle,
    cw: Crosswalk,
    clock: Arc<FixedClock>,
    dir: tempfile::TempDir,
}

impl Env {
    fn advance(&self, secs: i64) {
        self.sandbox.ooapi_advance(secs);
        self.clock.set(self.clock.now_utc() + TimeDelta::seconds(secs));
    }
}

trait Now {
    fn now_utc(&self) -> chrono::DateTime<Utc>;
}

impl Now for FixedClock {
    fn now_utc(&self) -> chrono::DateTime<Utc> {
        crosswalk_core::clock::Clock::now(self)
    }
}

async fn env() -> Env {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.expect("sandbox starts");
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let cw = Crosswalk::open_with_clock(DataDirs::under(dir.path()), Face::Cli, clock.clone()).unwrap();
    Env { sandbox, cw, clock, dir }
}

fn ooapi_profile(e: &Env, id: &str, transport: OoapiTransport) -> Profile {
    let profile = test_profile(id, &format!("Home {id}"), ProfileSettings::Ooapi(ooapi_settings(&e.sandbox, transport)));
    e.cw.add_demo_profile(
        profile,
        vec![
            (SecretField::ClientSecret, SecretString::new(OOAPI_CLIENT_SECRET)),
            (SecretField::ReceiverPassword, SecretString::new(OOAPI_RECEIVER_PASSWORD)),
        ],
    );
    e.cw.profile(id).unwrap()
}

/// An offering of the sandbox whose code makes home follow `scenario`, with the issuer.
fn offering(e: &Env, scenario: OoapiScenario, n: usize) -> Value {
    let mut o = e.sandbox.ooapi_offerings()[0].to_json();
    o["primaryCode"]["code"] = json!(format!("{}T{n}", scenario.code_prefix()));
    json!({
        "offering": o,
        "issuer": {
            "primaryCode": {"codeType": "schacHome", "code": "host.example.edu"},
            "organizationType": "root",
            "name": [{"language": "en", "value": "Host University"}],
            "shortName": "HOST"
        }
    })
}

fn request(e: &Env, profile: &Profile, scenario: OoapiScenario, n: usize) -> CreateRequest {
    let persons = e.sandbox.ooapi_persons();
    CreateRequest {
        profile_id: profile.id.clone(),
        person_id: persons[n % (persons.len() - 1)].person_id.clone(),
        offering: offering(e, scenario, n),
        remote_state: None,
        person_name: None,
        person_email: None,
    }
}

async fn poll(e: &Env, profile: &Profile) -> enrollments::PollReport {
    enrollments::poll(&e.cw, &profile.id, |_| {}, &CancellationToken::new()).await.unwrap()
}

fn states(e: &Env, id: i64) -> Vec<String> {
    let d = enrollments::detail(&e.cw, &id.to_string()).unwrap();
    d.events.iter().filter(|ev| ev.field == "state").map(|ev| ev.to_value.clone().unwrap_or_default()).collect()
}

#[tokio::test]
async fn every_scenario_leaves_its_timeline() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let expected: Vec<(OoapiScenario, Vec<&str>)> = vec![
        (OoapiScenario::InstantAssociated, vec!["associated"]),
        (OoapiScenario::PendingThenAssociated, vec!["pending", "associated"]),
        (OoapiScenario::PendingThenDenied, vec!["pending", "denied"]),
        (OoapiScenario::QueuedThenAssociated, vec!["queued", "associated"]),
        (OoapiScenario::PendingForever, vec!["pending"]),
        // Once approved, an association is read daily, not at every poll: a home that flips back
        // within the day is seen at its latest state.
        (OoapiScenario::FlipFlop, vec!["pending", "associated"]),
    ];
    let mut ids = Vec::new();
    for (n, (scenario, _)) in expected.iter().enumerate() {
        let out = enrollments::create(&e.cw, &request(&e, &p, *scenario, n), &CancellationToken::new()).await.unwrap();
        assert_eq!(out.association.status, "ok");
        assert!(out.message.is_some(), "201 carries a message");
        ids.push(out.association.id);
    }
    // Four decision periods of virtual time, polled in between.
    for _ in 0..4 {
        e.advance(OOAPI_DECISION_SECS + 1);
        let r = poll(&e, &p).await;
        assert!(r.failed.is_empty(), "{:?}", r.failed);
    }
    e.advance(3_600);
    for ((scenario, want), id) in expected.iter().zip(ids) {
        assert_eq!(states(&e, id), *want, "{scenario:?}");
    }
    // The denial carries the home side's reason.
    let denied = enrollments::list(&e.cw, &AssociationQuery { filter: Some("denied".into()), ..Default::default() }).unwrap();
    let d = enrollments::detail(&e.cw, &denied.rows[0].id.to_string()).unwrap();
    assert!(d
        .events
        .iter()
        .any(|ev| ev.to_value.as_deref() == Some("denied") && ev.message.as_deref().is_some_and(|m| m.contains("learning agreement"))));
    // Pending for more than the connection's hour: stuck, with what to do.
    let stuck = enrollments::list(&e.cw, &AssociationQuery { filter: Some("stuck".into()), ..Default::default() }).unwrap();
    assert_eq!(stuck.rows.len(), 1, "only the pending-forever one");
    assert_eq!(stuck.counts.stuck, 1);
    assert!(enrollments::detail(&e.cw, &stuck.rows[0].id.to_string()).unwrap().advice.unwrap().contains("mobility office"));
}

#[tokio::test]
async fn nothing_changed_means_one_request_per_pending_association_and_no_new_events() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    for n in 0..5 {
        enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::PendingForever, n), &CancellationToken::new()).await.unwrap();
    }
    poll(&e, &p).await;
    let events_before: usize = enrollments::list(&e.cw, &AssociationQuery::default())
        .unwrap()
        .rows
        .iter()
        .map(|a| enrollments::detail(&e.cw, &a.id.to_string()).unwrap().events.len())
        .sum();
    let r = poll(&e, &p).await;
    assert_eq!(r.checked, 5);
    assert_eq!(r.requests, 5, "exactly one GET each (the token is cached)");
    assert!(r.changes.is_empty());
    let events_after: usize = enrollments::list(&e.cw, &AssociationQuery::default())
        .unwrap()
        .rows
        .iter()
        .map(|a| enrollments::detail(&e.cw, &a.id.to_string()).unwrap().events.len())
        .sum();
    assert_eq!(events_before, events_after);
}

#[tokio::test]
async fn a_create_that_fails_after_creating_is_marked_unknown_and_never_sent_again() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let before = e.sandbox.ooapi_associations().len();
    e.sandbox.ooapi_set_fault(OoapiFault::CreateThenFail);
    let err =
        enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::InstantAssociated, 1), &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("unknown"), "{err}");
    assert_eq!(e.sandbox.ooapi_associations().len(), before + 1, "exactly one association at home");
    assert_eq!(e.sandbox.ooapi_post_count(), 1, "the POST was sent once");
    let list = enrollments::list(&e.cw, &AssociationQuery { filter: Some("error".into()), ..Default::default() }).unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].status, "unknown");
    assert!(list.rows[0].association_id.is_none());
    let d = enrollments::detail(&e.cw, &list.rows[0].id.to_string()).unwrap();
    assert!(d.advice.unwrap().contains("Do not send it again"));
    assert!(d.last_answer.unwrap().starts_with("500"));
    // A poll does not touch it (it has no id) and sends nothing for it.
    let r = poll(&e, &p).await;
    assert_eq!((r.checked, r.requests), (0, 0));
}

#[tokio::test]
async fn an_accepted_create_keeps_its_offering_as_a_template_and_a_failed_or_refused_one_does_not() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    assert!(templates::list(&e.cw, &p.id).unwrap().is_empty());

    // Refused before sending: nothing is saved.
    let mut bad = request(&e, &p, OoapiScenario::InstantAssociated, 1);
    bad.offering["offering"].as_object_mut().unwrap().remove("course");
    enrollments::create(&e.cw, &bad, &CancellationToken::new()).await.unwrap_err();
    assert!(templates::list(&e.cw, &p.id).unwrap().is_empty());

    // The home side fails after creating: the outcome is unknown, so the offering is not kept.
    e.sandbox.ooapi_set_fault(OoapiFault::CreateThenFail);
    enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::InstantAssociated, 2), &CancellationToken::new()).await.unwrap_err();
    assert!(templates::list(&e.cw, &p.id).unwrap().is_empty());
    e.sandbox.ooapi_set_fault(OoapiFault::None);

    // Accepted: kept, with the fields the form lists.
    let req = request(&e, &p, OoapiScenario::InstantAssociated, 3);
    enrollments::create(&e.cw, &req, &CancellationToken::new()).await.unwrap();
    let saved = templates::list(&e.cw, &p.id).unwrap();
    assert_eq!(saved.len(), 1);
    let t = &saved[0];
    assert_eq!(Some(t.offering_id.as_str()), req.offering["offering"]["offeringId"].as_str());
    assert_eq!(t.code.as_deref(), req.offering["offering"]["primaryCode"]["code"].as_str());
    assert_eq!(t.template, req.offering, "the template is the offering as sent");
    assert!(t.last_used.is_some());

    // A second student of the same offering starts from it, and one template stays.
    let again = CreateRequest { person_id: e.sandbox.ooapi_persons()[4].person_id.clone(), offering: t.template.clone(), ..req.clone() };
    enrollments::create(&e.cw, &again, &CancellationToken::new()).await.unwrap();
    assert_eq!(templates::list(&e.cw, &p.id).unwrap().len(), 1);
    assert_eq!(e.sandbox.ooapi_post_count(), 3, "the refused body was never sent");
}

#[tokio::test]
async fn a_template_is_saved_by_hand_only_after_the_create_check_and_can_be_deleted() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let other = ooapi_profile(&e, "other", OoapiTransport::Direct);
    let mut incomplete = offering(&e, OoapiScenario::InstantAssociated, 1);
    incomplete["offering"].as_object_mut().unwrap().remove("course");
    let err = templates::save(&e.cw, &p.id, &incomplete).unwrap_err().to_string();
    assert!(err.contains("offering.course is missing"), "{err}");

    let mut first = offering(&e, OoapiScenario::InstantAssociated, 1);
    let t = templates::save(&e.cw, &p.id, &first).unwrap();
    assert!(t.last_used.is_none(), "saved by hand, never sent");
    // Saving the same offering again replaces it.
    first["offering"]["startDate"] = json!("2031-09-01");
    let t = templates::save(&e.cw, &p.id, &first).unwrap();
    assert_eq!(t.start_date.as_deref(), Some("2031-09-01"));
    assert_eq!(templates::list(&e.cw, &p.id).unwrap().len(), 1);
    // Templates belong to their connection.
    assert!(templates::list(&e.cw, &other.id).unwrap().is_empty());
    assert!(matches!(templates::find(&e.cw, &other.id, &t.offering_id), Err(Error::NotFound(_))));

    templates::delete(&e.cw, &p.id, &t.offering_id).unwrap();
    assert!(templates::list(&e.cw, &p.id).unwrap().is_empty());
    let err = templates::delete(&e.cw, &p.id, &t.offering_id).unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
    assert_eq!(e.cw.requests_sent(), 0, "saving a template sends nothing");
}

/// A JWT-shaped token whose `exp` is `exp` (unsigned: only its expiry is read before sending).
fn jwt_expiring(exp: i64) -> String {
    use base64::Engine;
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.c2ln", b64(json!({"alg": "RS256"})), b64(json!({"sub": "s", "exp": exp})))
}

#[tokio::test]
async fn a_pasted_student_token_acts_for_its_student_only_and_lives_in_the_keyring_for_the_session() {
    let e = env().await;
    let p = ooapi_profile(&e, "student-token-acts", OoapiTransport::Direct);
    let persons = e.sandbox.ooapi_persons();
    let (zoe, other) = (&persons[2], &persons[3]);
    let token = e.sandbox.ooapi_student_token(&zoe.person_id).unwrap();
    let cancel = CancellationToken::new();

    // Checked with GET /persons/me: whose it is comes back, the token is in the keyring.
    let t = student_token::paste(&e.cw, &p.id, &SecretString::new(format!("Bearer {token}\n")), &cancel).await.unwrap();
    assert_eq!(t.person_id, zoe.person_id);
    assert_eq!(t.name.as_deref(), Some(zoe.display_name.as_str()));
    assert_eq!(e.cw.secrets.get(&p.id, SecretField::StudentToken).unwrap().unwrap().expose(), token);
    assert_eq!(student_token::current(&e.cw, &p.id), Some(t.clone()));

    // Zoë's association is created as she would (POST …/external/me); another student's with the
    // connection's token (…/external/{personId}).
    let mine = CreateRequest { person_id: zoe.person_id.clone(), ..request(&e, &p, OoapiScenario::InstantAssociated, 1) };
    let a = enrollments::create(&e.cw, &mine, &cancel).await.unwrap().association;
    let d = enrollments::detail(&e.cw, &a.id.to_string()).unwrap();
    assert!(d.last_request.as_deref().unwrap().starts_with("POST ") && d.last_request.as_deref().unwrap().contains("/external/me"));
    let theirs = CreateRequest { person_id: other.person_id.clone(), ..request(&e, &p, OoapiScenario::InstantAssociated, 2) };
    let b = enrollments::create(&e.cw, &theirs, &cancel).await.unwrap().association;
    let d = enrollments::detail(&e.cw, &b.id.to_string()).unwrap();
    assert!(d.last_request.as_deref().unwrap().contains(&format!("/external/{}", other.person_id)));
    let at_home = e.sandbox.ooapi_associations();
    assert!(at_home.iter().any(|x| Some(&x.id) == a.association_id.as_ref() && x.person_id == zoe.person_id));
    // Both are read on a poll, each with the token that may read it (a student token cannot read
    // another student's association: that would be a 404).
    let r = poll(&e, &p).await;
    assert_eq!(r.failed.len(), 0, "{:?}", r.failed);

    // No trace of the token outside the keyring.
    assert!(!dir_text(e.dir.path()).contains(&token), "the token reached the data folder");
    assert!(!serde_json::to_string(&t).unwrap().contains(&token));

    // Removed: gone from the keyring and from memory; the connection's token is used again.
    student_token::forget(&e.cw, &p.id).unwrap();
    assert!(student_token::current(&e.cw, &p.id).is_none());
    assert!(e.cw.secrets.get(&p.id, SecretField::StudentToken).unwrap().is_none());
}

#[tokio::test]
async fn a_student_token_that_is_expired_refused_or_for_a_receiver_connection_is_not_kept() {
    let e = env().await;
    let p = ooapi_profile(&e, "student-token-refused", OoapiTransport::Direct);
    let cancel = CancellationToken::new();
    // Expired by its own `exp`: refused before anything is sent.
    let expired = jwt_expiring(e.clock.now_utc().timestamp() - 60);
    let err = student_token::paste(&e.cw, &p.id, &SecretString::new(expired.clone()), &cancel).await.unwrap_err().to_string();
    assert!(err.contains("expired") && !err.contains(&expired), "{err}");
    assert_eq!(e.cw.requests_sent(), 0);
    // Unknown to the home side: 401, said in plain words, nothing kept.
    let garbage = "not-a-token-the-home-side-knows";
    let err = student_token::paste(&e.cw, &p.id, &SecretString::new(garbage), &cancel).await.unwrap_err().to_string();
    assert!(err.contains("does not accept this token") && !err.contains(garbage), "{err}");
    assert!(student_token::current(&e.cw, &p.id).is_none());
    assert!(e.cw.secrets.get(&p.id, SecretField::StudentToken).unwrap().is_none());
    // The receiver holds the students' tokens itself.
    let r = ooapi_profile(&e, "student-token-receiver", OoapiTransport::Receiver);
    let token = e.sandbox.ooapi_student_token(&e.sandbox.ooapi_persons()[0].person_id).unwrap();
    let err = student_token::paste(&e.cw, &r.id, &SecretString::new(token), &cancel).await.unwrap_err().to_string();
    assert!(err.contains("enrollment receiver"), "{err}");

    // A token that expires while kept (the sandbox's are opaque: the home side says so with a
    // 401): its student's create stops with what to do, and is known not to have been made.
    let zoe = e.sandbox.ooapi_persons()[1].person_id.clone();
    let token = e.sandbox.ooapi_student_token(&zoe).unwrap();
    student_token::paste(&e.cw, &p.id, &SecretString::new(token), &cancel).await.unwrap();
    e.advance(10 * 24 * 3600);
    let req = CreateRequest { person_id: zoe.clone(), ..request(&e, &p, OoapiScenario::InstantAssociated, 1) };
    let err = enrollments::create(&e.cw, &req, &cancel).await.unwrap_err().to_string();
    assert!(err.contains("no longer accepts the pasted student token") && err.contains("Paste a fresh one"), "{err}");
    let list = enrollments::list(&e.cw, &AssociationQuery::default()).unwrap();
    assert_eq!(list.rows[0].status, "error", "a refused create is an error, not \"unknown — check\"");
    student_token::forget_all(&e.cw);
    assert!(e.cw.secrets.get(&p.id, SecretField::StudentToken).unwrap().is_none());
}

#[tokio::test]
async fn a_200_instead_of_201_is_accepted_with_a_visible_warning() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    e.sandbox.ooapi_set_fault(OoapiFault::PostAnswers200);
    let out = enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::InstantAssociated, 1), &CancellationToken::new()).await.unwrap();
    assert!(out.association.association_id.is_some());
    assert!(out.association.warning.unwrap().contains("instead of 201"));
}

#[tokio::test]
async fn an_incomplete_body_is_refused_before_anything_is_sent() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let mut req = request(&e, &p, OoapiScenario::InstantAssociated, 1);
    req.offering["offering"].as_object_mut().unwrap().remove("course");
    let err = enrollments::create(&e.cw, &req, &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("offering.course is missing"), "{err}");
    assert_eq!(e.sandbox.ooapi_post_count(), 0);
    assert_eq!(e.cw.requests_sent(), 0);
}

#[tokio::test]
async fn v6_spellings_are_read_as_v5_and_the_timeline_says_so() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let out = enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::HomeCancelsLater, 1), &CancellationToken::new()).await.unwrap();
    assert_eq!(out.association.state.as_deref(), Some("associated"));
    e.sandbox.ooapi_set_fault(OoapiFault::V6Spelling);
    e.advance(2 * 86_400);
    let d = enrollments::refresh(&e.cw, &out.association.id.to_string(), &CancellationToken::new()).await.unwrap();
    assert_eq!(d.association.state.as_deref(), Some("canceled"));
    let ev = d.events.iter().find(|ev| ev.to_value.as_deref() == Some("canceled")).unwrap();
    assert!(ev.message.as_deref().unwrap().contains("v6"), "{ev:?}");
}

#[tokio::test]
async fn our_side_changes_are_sent_as_merge_patch_and_kept_in_the_timeline() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let out = enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::InstantAssociated, 1), &CancellationToken::new()).await.unwrap();
    let aid = out.association.association_id.clone().unwrap();
    let (d, _message) = enrollments::set_remote_state(&e.cw, &aid, "cancelled", &CancellationToken::new()).await.unwrap();
    assert_eq!(d.association.remote_state.as_deref(), Some("canceled"), "the v5 spelling is sent");
    let home = e.sandbox.ooapi_associations().into_iter().find(|a| a.id == aid).unwrap();
    assert_eq!(home.remote_state.to_string(), "canceled");
    assert!(d.events.iter().any(|ev| ev.who == "host" && ev.field == "remoteState" && ev.to_value.as_deref() == Some("canceled")));
    assert!(d.last_request.unwrap().starts_with("PATCH"));
    let err = enrollments::set_remote_state(&e.cw, &aid, "pending", &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("associated, denied or canceled"));
}

#[tokio::test]
async fn through_the_receiver_unknown_ids_are_explained_and_a_failed_post_may_create_two() {
    let e = env().await;
    let p = ooapi_profile(&e, "receiver", OoapiTransport::Receiver);
    // Created through the receiver, then followed through it.
    let out =
        enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::PendingThenAssociated, 1), &CancellationToken::new()).await.unwrap();
    e.advance(OOAPI_DECISION_SECS + 1);
    let r = poll(&e, &p).await;
    assert_eq!(r.changes.len(), 1, "{r:?}");
    assert_eq!(enrollments::detail(&e.cw, &out.association.id.to_string()).unwrap().association.state.as_deref(), Some("associated"));

    // An id the receiver never saw: 409 "Enrollment not found.", explained.
    let tmp = e.dir.path().join("ids.csv");
    std::fs::write(&tmp, "associationId\n00000000-0000-4000-8000-000000000000\n").unwrap();
    let imported = enrollments::import(&e.cw, &p.id, &tmp).unwrap();
    assert_eq!(imported.added, 1);
    let r = poll(&e, &p).await;
    assert_eq!(r.failed.len(), 1);
    assert!(r.failed[0].reason.contains("receiver does not know"), "{}", r.failed[0].reason);

    // The receiver re-sends a POST after any home error: "create then fail" makes two at home.
    let before = e.sandbox.ooapi_associations().len();
    e.sandbox.ooapi_set_fault(OoapiFault::CreateThenFail);
    let err =
        enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::InstantAssociated, 2), &CancellationToken::new()).await.unwrap_err();
    assert!(err.to_string().contains("reference"), "the receiver's wrapper is read: {err}");
    assert_eq!(e.sandbox.ooapi_associations().len(), before + 2, "the receiver's quirk, not ours: we sent one POST");
}

#[tokio::test]
async fn a_poll_cancelled_midway_keeps_what_it_read_and_the_next_one_completes() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    for n in 0..20 {
        enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::PendingThenAssociated, n), &CancellationToken::new()).await.unwrap();
    }
    e.advance(OOAPI_DECISION_SECS + 1);
    e.sandbox.set_knobs(Knobs { latency_ms: 30, ..Knobs::default() });
    let cancel = CancellationToken::new();
    let seen = AtomicU32::new(0);
    let first = enrollments::poll(
        &e.cw,
        &p.id,
        |pr| {
            seen.store(pr.done, Ordering::Relaxed);
            if pr.done >= 5 {
                cancel.cancel();
            }
        },
        &cancel,
    )
    .await
    .unwrap();
    assert!(first.cancelled);
    let done_first = first.changes.len();
    assert!((5..20).contains(&done_first), "{done_first}");
    let second = poll(&e, &p).await;
    assert!(!second.cancelled);
    assert_eq!(done_first + second.changes.len(), 20, "every association changed exactly once across the two polls");
    let counts = enrollments::list(&e.cw, &AssociationQuery::default()).unwrap().counts;
    assert_eq!(counts.associated, 20);
}

#[tokio::test]
async fn the_scheduled_poll_runs_once_when_due_and_is_not_run_twice_at_once() {
    let e = env().await;
    let p = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::PendingThenAssociated, 1), &CancellationToken::new()).await.unwrap();
    e.advance(OOAPI_DECISION_SECS + 1);
    let job = jobs::set(&e.cw, JobKind::EnrollmentsPoll, &p.id, 15, true).unwrap();
    assert!(job.enabled);
    let events = std::sync::Mutex::new(Vec::new());
    let runs = jobs::run_due(&e.cw, |ev| events.lock().unwrap().push(ev.phase), &CancellationToken::new()).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, "ok");
    assert!(runs[0].detail.contains("1 changed"), "{}", runs[0].detail);
    assert_eq!(*events.lock().unwrap(), vec!["started".to_string(), "finished".to_string()]);
    // Not due again for 15 minutes.
    assert!(jobs::run_due(&e.cw, |_| {}, &CancellationToken::new()).await.unwrap().is_empty());
    let j = jobs::get(&e.cw, JobKind::EnrollmentsPoll, &p.id).unwrap().unwrap();
    assert_eq!(j.last_outcome.as_deref(), Some("ok"));
    assert!(j.next_run_at > j.last_run_at.unwrap());
    // Two processes (the app and a cron CLI) finding the same job due: one runs it.
    let q = ooapi_profile(&e, "second", OoapiTransport::Direct);
    jobs::set(&e.cw, JobKind::EnrollmentsPoll, &q.id, 15, true).unwrap();
    let never = CancellationToken::new();
    let (a, b) = tokio::join!(jobs::run_due(&e.cw, |_| {}, &never), jobs::run_due(&e.cw, |_| {}, &never));
    assert_eq!(a.unwrap().len() + b.unwrap().len(), 1, "claimed once");
    // A mirror sync cannot be scheduled on an OOAPI connection.
    assert!(jobs::set(&e.cw, JobKind::MirrorSync, &p.id, 15, true).unwrap_err().to_string().contains("openedx"));
}

#[tokio::test]
async fn no_secret_reaches_the_ledger_the_logs_or_the_activity_trail() {
    let e = env().await;
    let direct = ooapi_profile(&e, "direct", OoapiTransport::Direct);
    let receiver = ooapi_profile(&e, "receiver", OoapiTransport::Receiver);
    for p in [&direct, &receiver] {
        let out =
            enrollments::create(&e.cw, &request(&e, p, OoapiScenario::PendingThenAssociated, 1), &CancellationToken::new()).await.unwrap();
        poll(&e, p).await;
        enrollments::set_remote_state(&e.cw, &out.association.id.to_string(), "associated", &CancellationToken::new()).await.unwrap();
        let d = enrollments::detail(&e.cw, &out.association.id.to_string()).unwrap();
        let shown = serde_json::to_string(&d).unwrap();
        for secret in [OOAPI_CLIENT_SECRET, OOAPI_RECEIVER_PASSWORD, "Bearer ", "Basic ", "access_token"] {
            assert!(!shown.contains(secret), "{secret} in the detail sent to the UI");
        }
    }
    let all = dir_text(e.dir.path());
    for secret in [OOAPI_CLIENT_SECRET, OOAPI_RECEIVER_PASSWORD, "Bearer ", "Basic ", "access_token"] {
        assert!(!all.contains(secret), "{secret} in the data folder");
    }
    // The failure path too: a wrong password is explained without it.
    e.cw.add_demo_profile(
        Profile { id: "bad".into(), name: "bad".into(), ..receiver.clone() },
        vec![(SecretField::ReceiverPassword, SecretString::new("wrong-password-123"))],
    );
    let err = enrollments::create(
        &e.cw,
        &CreateRequest { profile_id: "bad".into(), ..request(&e, &receiver, OoapiScenario::InstantAssociated, 3) },
        &CancellationToken::new(),
    )
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("401") && !text.contains("wrong-password-123"), "{text}");
    assert!(matches!(err, Error::Remote { status: 401, .. }));
}

// --- Grade return ---------------------------------------------------------------------------

use enrollments::results::{self, ResultRowStatus, ResultSettings, ResultSource, ResultsRequest, SendOutcome};

/// Creates an instantly associated association for student `n` in offering `code` and reads it
/// back (so the ledger knows the student's email).
async fn associated(e: &Env, profile: &Profile, n: usize, code: &str) -> enrollments::Association {
    let mut req = request(e, profile, OoapiScenario::InstantAssociated, n);
    req.offering["offering"]["primaryCode"]["code"] = json!(code);
    let out = enrollments::create(&e.cw, &req, &CancellationToken::new()).await.unwrap();
    enrollments::refresh(&e.cw, &out.association.id.to_string(), &CancellationToken::new()).await.unwrap().association
}

fn write(e: &Env, name: &str, text: &str) -> String {
    let p = e.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn results_request(path: &str, offering: Option<&str>) -> ResultsRequest {
    ResultsRequest {
        source: ResultSource::File { path: path.into() },
        profile_id: None,
        offering: offering.map(str::to_string),
        settings: ResultSettings { study_load: Some(5.0), ..ResultSettings::default() },
        resend: false,
    }
}

#[tokio::test]
async fn results_join_by_id_email_person_and_remote_id_and_list_what_is_ambiguous() {
    let e = env().await;
    let p = ooapi_profile(&e, "home", OoapiTransport::Direct);
    let code = "SCN-INSTANT-AI";
    let a: Vec<_> = futures_join(&e, &p, &[0, 1, 2, 3, 4], code).await;
    // Student 4 also follows a second course: matched by email alone, that is two associations.
    associated(&e, &p, 4, "SCN-INSTANT-OTHER").await;
    let mail = |x: &enrollments::Association| x.person_email.clone().unwrap();
    let file = write(
        &e,
        "grades.csv",
        &format!(
            "associationId,email,personId,remoteId,grade\n{},,,,0.91\n,{},,,0.72\n,,{},,0.64\n,,,{},0.55\n,nobody@home.example.edu,,,0.8\n,{},,,0.7\n,,,,0.5\n",
            a[0].association_id.clone().unwrap(),
            mail(&a[1]),
            a[2].person_id.clone().unwrap(),
            mail(&a[3]).to_uppercase(),
            mail(&a[4]),
        ),
    );
    let pv = results::preview(&e.cw, &results_request(&file, None), &CancellationToken::new()).await.unwrap();
    let rules: Vec<Option<&str>> = pv.rows.iter().map(|r| r.rule.as_deref()).collect();
    assert_eq!(
        rules,
        vec![Some("association id"), Some("email"), Some("personId"), Some("username → remote id"), None, Some("email"), None]
    );
    let statuses: Vec<ResultRowStatus> = pv.rows.iter().map(|r| r.status).collect();
    use ResultRowStatus::*;
    assert_eq!(statuses, vec![Ready, Ready, Ready, Ready, Unmatched, Ambiguous, Unmatched]);
    assert_eq!(pv.rows[5].candidates.len(), 2, "both of student 4's associations are listed, none chosen");
    assert!(pv.rows[..4].iter().zip(&a).all(|(r, a)| r.association == Some(a.id)));
    // The offering's own result value type (0-100) is used: 0.91 → 91.
    assert_eq!(pv.rows[0].score.as_deref(), Some("91"));
    assert_eq!(pv.offerings[0].value_type_from, "offering");
    assert_eq!(pv.matched_offerings[0].offering, code);
    assert_eq!(pv.counts.selected, 4);

    // Naming the offering resolves the ambiguity.
    let pv = results::preview(&e.cw, &results_request(&file, Some(code)), &CancellationToken::new()).await.unwrap();
    assert_eq!(pv.rows[5].status, Ready);
    // Two rows for one association are not guessed either.
    let twice = write(&e, "twice.csv", &format!("email,grade\n{0},0.5\n{0},0.9\n", mail(&a[1])));
    let pv = results::preview(&e.cw, &results_request(&twice, None), &CancellationToken::new()).await.unwrap();
    assert!(pv.rows.iter().all(|r| r.status == Ambiguous && !r.selected), "{:?}", pv.rows);
}

async fn futures_join(e: &Env, p: &Profile, students: &[usize], code: &str) -> Vec<enrollments::Association> {
    let mut out = Vec::new();
    for n in students {
        out.push(associated(e, p, *n, code).await);
    }
    out
}

#[tokio::test]
async fn a_dry_run_sends_nothing_a_send_is_kept_in_the_timeline_and_a_resend_shows_the_previous_value() {
    let e = env().await;
    let p = ooapi_profile(&e, "home", OoapiTransport::Direct);
    let a = futures_join(&e, &p, &[0, 1], "SCN-INSTANT-AI").await;
    let file = write(
        &e,
        "g.csv",
        &format!("associationId,grade\n{},0.895\n{},0.3\n", a[0].association_id.clone().unwrap(), a[1].association_id.clone().unwrap()),
    );
    let mut req = results_request(&file, None);
    req.settings.teachers = vec!["Dr. Host Lecturer".into()];
    let pv = results::preview(&e.cw, &req, &CancellationToken::new()).await.unwrap();
    assert_eq!(pv.counts.selected, 2);
    let ours = |x: &crosswalk_sandbox::OoapiAssociation| a.iter().any(|m| m.association_id.as_ref() == Some(&x.id));
    assert!(e.sandbox.ooapi_associations().iter().filter(|x| ours(x)).all(|x| x.results.is_empty()), "a preview sends nothing");

    let sent = results::send(&e.cw, &req, None, |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((sent.sent, sent.refused, sent.failed, sent.skipped), (2, 0, 0, 0), "{:?}", sent.rows);
    let home = e.sandbox.ooapi_associations();
    let at_home = home.iter().find(|x| Some(&x.id) == a[0].association_id.as_ref()).unwrap();
    assert_eq!(at_home.result.as_ref().unwrap()["score"], "90");
    assert_eq!(at_home.result.as_ref().unwrap()["pass"], "passed");
    assert_eq!(at_home.result.as_ref().unwrap()["ext"]["responsibleTeachers"][0]["displayName"], "Dr. Host Lecturer");
    let d = enrollments::detail(&e.cw, &a[0].id.to_string()).unwrap();
    let ev = d.events.iter().rfind(|ev| ev.field == "result").expect("the result is in the timeline");
    assert_eq!((ev.who.as_str(), ev.from_value.as_deref()), ("host", None));
    assert!(ev.to_value.as_deref().unwrap().starts_with("90, passed"), "{ev:?}");

    // Sent again: not selected unless asked for, and the previous value is shown.
    let pv = results::preview(&e.cw, &req, &CancellationToken::new()).await.unwrap();
    assert!(pv.rows.iter().all(|r| r.status == ResultRowStatus::AlreadySent && !r.selected));
    assert!(pv.rows[0].previous.as_deref().unwrap().starts_with("90, passed"));
    let nothing = results::send(&e.cw, &req, None, |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((nothing.sent, nothing.skipped), (0, 2));
    // A changed threshold and a resend: the last one wins at home, the timeline keeps both.
    req.settings.pass_threshold = Some(0.95);
    req.resend = true;
    let pv = results::preview(&e.cw, &req, &CancellationToken::new()).await.unwrap();
    assert!(pv.rows[0].warnings.iter().any(|w| w.contains("different score")), "{:?}", pv.rows[0].warnings);
    let again = results::send(&e.cw, &req, Some(&[pv.rows[0].line]), |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!((again.sent, again.skipped), (1, 1));
    let at_home = e.sandbox.ooapi_associations().into_iter().find(|x| Some(&x.id) == a[0].association_id.as_ref()).unwrap();
    assert_eq!(at_home.results.len(), 2);
    assert_eq!(at_home.result.unwrap()["pass"], "failed");
    let d = enrollments::detail(&e.cw, &a[0].id.to_string()).unwrap();
    let results_seen: Vec<_> = d.events.iter().filter(|ev| ev.field == "result").collect();
    assert_eq!(results_seen.len(), 2);
    assert!(results_seen[1].from_value.as_deref().unwrap().starts_with("90, passed"));

    // Settings used become the offering's defaults: a later preview without them still works.
    let bare = ResultsRequest { settings: ResultSettings::default(), ..results_request(&file, None) };
    let pv = results::preview(&e.cw, &bare, &CancellationToken::new()).await.unwrap();
    assert_eq!(pv.offerings[0].value_type_from, "offering");
    assert_eq!(pv.offerings[0].settings.study_load, Some(5.0));
    assert_eq!(pv.offerings[0].settings.pass_threshold, Some(0.95));

    // Nothing of the token in what was stored.
    let all = dir_text(e.dir.path());
    for secret in [OOAPI_CLIENT_SECRET, "Bearer ", "access_token"] {
        assert!(!all.contains(secret), "{secret} in the data folder");
    }
}

#[tokio::test]
async fn a_refused_result_carries_the_home_problem_text_and_a_cancelled_send_keeps_what_was_sent() {
    let e = env().await;
    let p = ooapi_profile(&e, "home", OoapiTransport::Direct);
    let a = futures_join(&e, &p, &[0, 1, 2, 3, 4, 5], "SCN-INSTANT-AI").await;
    // A score given as is, off the offering's 0-100 scale: home refuses it.
    let file = write(&e, "s.csv", &format!("associationId,score\n{},120\n", a[0].association_id.clone().unwrap()));
    let sent = results::send(&e.cw, &results_request(&file, None), None, |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(sent.refused, 1);
    assert_eq!(sent.rows[0].outcome, SendOutcome::Refused);
    assert!(sent.rows[0].message.contains("120") && sent.rows[0].message.contains("0-100"), "{}", sent.rows[0].message);
    let d = enrollments::detail(&e.cw, &a[0].id.to_string()).unwrap();
    assert!(d.association.result.is_none(), "a refused result is not kept as sent");

    // Cancelled after the first answer: what was sent stays sent and in the ledger; the rest is skipped.
    e.sandbox.ooapi_set_fault(OoapiFault::Slow(std::time::Duration::from_millis(300)));
    let body: String = a.iter().map(|x| format!("{},0.8\n", x.association_id.clone().unwrap())).collect();
    let file = write(&e, "all.csv", &format!("associationId,grade\n{body}"));
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    let sent = results::send(
        &e.cw,
        &results_request(&file, None),
        None,
        move |pr| {
            if pr.done >= 1 {
                c.cancel();
            }
        },
        &cancel,
    )
    .await
    .unwrap();
    e.sandbox.ooapi_set_fault(OoapiFault::None);
    assert!(sent.cancelled);
    assert!(sent.sent >= 1 && sent.skipped >= 1, "{:?}", sent.rows);
    assert_eq!(sent.sent + sent.skipped + sent.refused + sent.failed, 6);
    let kept = a.iter().filter(|x| enrollments::detail(&e.cw, &x.id.to_string()).unwrap().association.result.is_some()).count();
    assert_eq!(kept as u32, sent.sent, "every sent result is kept, nothing else");
    // The next send completes the rest and leaves the sent ones alone.
    let rest = results::send(&e.cw, &results_request(&file, None), None, |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(rest.sent, 6 - sent.sent, "{:?}", rest.rows);
}

#[tokio::test]
async fn a_poll_answered_429_waits_as_long_as_retry_after_says_and_then_completes() {
    let e = env().await;
    let p = ooapi_profile(&e, "home", OoapiTransport::Direct);
    for n in 0..3 {
        enrollments::create(&e.cw, &request(&e, &p, OoapiScenario::PendingForever, n), &CancellationToken::new()).await.unwrap();
    }
    e.sandbox.ooapi_set_fault(OoapiFault::RateLimited(1));
    let started = std::time::Instant::now();
    let report = poll(&e, &p).await;
    e.sandbox.ooapi_set_fault(OoapiFault::None);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.checked, 3);
    assert_eq!(e.sandbox.ooapi_early_requests(), 0, "no request came before Retry-After was up");
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "the poll waited: {:?}", started.elapsed());
    assert_eq!(report.requests, 6, "each association asked twice: the 429, then after the wait");
}
