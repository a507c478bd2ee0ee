//! One database, several processes at once: syncs of two providers, grade reconciliations,
//! enrollment polls and lookups run as separate `crosswalk` processes on one data folder. None
//! says "database is locked", no write is lost, and a second sync of a provider already being
//! synced is refused with a message naming the process that runs it. A full disk and a read-only
//! disk (a small tmpfs in a private mount namespace) give a plain-words error, a non-zero exit
//! and leave the database intact. Secrets come from the environment: no keyring needed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crosswalk_sandbox::{
    Knobs, OoapiScenario, Sandbox, SandboxConfig, SandboxHandle, OOAPI_CLIENT_SECRET, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET,
};
use serde_json::{json, Value};

const P1: &str = "saml-demo-univ";
const P2: &str = "oa2-google-oauth2";

fn crosswalk(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
    c.arg("--data-dir").arg(data).env("CW_LMS", STAFF_CLIENT_SECRET).env("CW_OOAPI", OOAPI_CLIENT_SECRET);
    c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn ok(out: Output, what: &str) -> String {
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn run(data: &Path, args: &[&str]) -> Output {
    crosswalk(data).args(args).output().unwrap()
}

fn setup(s: &SandboxHandle, data: &Path) {
    let lms = s.openedx_url();
    ok(
        run(
            data,
            &[
                "profile",
                "add",
                "--kind",
                "openedx",
                "--name",
                "LMS",
                "--base-url",
                &lms,
                "--client-id",
                STAFF_CLIENT_ID,
                "--provider",
                P1,
                "--provider",
                P2,
                "--secret-env",
                "CW_LMS",
            ],
        ),
        "profile add LMS",
    );
    let home = common::ooapi_profile_args(s, "Home", "CW_OOAPI");
    ok(run(data, &home.iter().map(String::as_str).collect::<Vec<_>>()), "profile add Home");
}

fn report(s: &SandboxHandle, dir: &Path, name: &str, rows: usize) -> String {
    let mut t = String::from("Student ID,Email,Username,Grade,Enrollment Status\n");
    for (i, m) in s.mappings(P1).iter().take(rows).enumerate() {
        t.push_str(&format!("{i},{0}@example.com,{0},0.{i:02},enrolled\n", m.username));
    }
    let path = dir.join(name);
    std::fs::write(&path, t).unwrap();
    path.display().to_string()
}

fn count(data: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(data.join("crosswalk.sqlite3")).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn wait_all(children: Vec<(String, Child)>) -> Vec<(String, Output)> {
    children.into_iter().map(|(what, c)| (what, c.wait_with_output().unwrap())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn syncs_reconciles_polls_and_lookups_at_once_lose_nothing_and_never_say_locked() {
    let s = Sandbox::start(SandboxConfig { learners: 6_000, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    setup(&s, &data);
    // Three enrollments to poll.
    let persons = s.ooapi_persons();
    for (n, person) in persons.iter().take(3).enumerate() {
        let mut o = s.ooapi_offerings()[0].to_json();
        o["primaryCode"]["code"] = json!(format!("{}DB{n}", OoapiScenario::PendingThenAssociated.code_prefix()));
        let file = dir.path().join(format!("offering-{n}.json"));
        std::fs::write(&file, json!({ "offering": o }).to_string()).unwrap();
        ok(
            run(
                &data,
                &[
                    "enrollments",
                    "create",
                    "--profile",
                    "Home",
                    "--person-id",
                    &person.person_id,
                    "--offering",
                    &file.display().to_string(),
                ],
            ),
            "enrollments create",
        );
    }
    let reports: Vec<String> = (0..2).map(|i| report(&s, dir.path(), &format!("report-{i}.csv"), 300)).collect();
    let activity_before = count(&data, "SELECT count(*) FROM activity");
    // Slow enough that everything overlaps.
    s.set_knobs(Knobs { latency_ms: 15, ..Knobs::default() });

    let mut children: Vec<(String, Child)> = Vec::new();
    let spawn = |args: Vec<String>| crosswalk(&data).args(&args).spawn().unwrap();
    children.push((
        "sync P1".into(),
        spawn(vec!["--json".into(), "learners".into(), "sync".into(), "--profile".into(), "LMS".into(), "--provider".into(), P1.into()]),
    ));
    // The second sync of P1 starts once the first one holds the provider.
    let started = Instant::now();
    while count(&data, &format!("SELECT count(*) FROM mirror_syncs WHERE provider_id = '{P1}' AND status = 'running'")) == 0 {
        assert!(started.elapsed() < Duration::from_secs(20), "the first sync never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    let refused = run(&data, &["--json", "learners", "sync", "--profile", "LMS", "--provider", P1]);
    children.push((
        "sync P2".into(),
        spawn(vec!["--json".into(), "learners".into(), "sync".into(), "--profile".into(), "LMS".into(), "--provider".into(), P2.into()]),
    ));
    for (i, r) in reports.iter().enumerate() {
        let out = dir.path().join(format!("upload-{i}.csv")).display().to_string();
        let args = [
            "--json",
            "grades",
            "reconcile",
            "--profile",
            "LMS",
            "--provider",
            P1,
            "--in",
            r,
            "--template",
            "canvas",
            "--item-name",
            "Final",
            "--out",
            &out,
        ];
        children.push((format!("reconcile {i}"), spawn(args.iter().map(|a| a.to_string()).collect())));
    }
    for i in 0..3 {
        children.push((format!("poll {i}"), spawn(vec!["--json".into(), "enrollments".into(), "poll".into()])));
    }
    let names: Vec<String> = s.mappings(P2).iter().take(20).map(|m| m.username.clone()).collect();
    for (i, chunk) in names.chunks(5).enumerate() {
        let mut args: Vec<String> =
            vec!["--json".into(), "learners".into(), "lookup".into(), "--profile".into(), "LMS".into(), "--provider".into(), P2.into()];
        for n in chunk {
            args.push("--username".into());
            args.push(n.clone());
        }
        children.push((format!("lookup {i}"), spawn(args)));
    }
    let outputs = wait_all(children);

    // The refused sync named the one running, and said so with a non-zero exit.
    assert!(!refused.status.success(), "a second sync of the same provider must be refused");
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("already running in") && why.contains("pid"), "{why}");

    for (what, out) in &outputs {
        let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(!err.contains("locked") && !err.contains("busy"), "{what} met a busy database: {err}");
        assert!(out.status.success(), "{what} failed: {err}");
    }
    // Nothing lost: both mirrors whole, both reconciliations recorded, every poll and lookup in Activity.
    for p in [P1, P2] {
        let rows = count(&data, &format!("SELECT count(*) FROM mirror_mappings m JOIN mirror_syncs s ON s.id = m.generation WHERE s.provider_id = '{p}' AND s.status = 'done'"));
        assert_eq!(rows as usize, s.mapping_count(p), "the mirror of {p} is whole");
    }
    for (what, out) in outputs.iter().filter(|(w, _)| w.starts_with("reconcile")) {
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(v["reconciliation"]["counts"]["matched"].as_u64(), Some(300), "{what}: {v}");
    }
    let activity_after = count(&data, "SELECT count(*) FROM activity");
    assert!(
        activity_after - activity_before >= outputs.len() as i64,
        "every process left its Activity entries ({activity_before} → {activity_after})"
    );
    s.set_knobs(Knobs::default());
}

/// Runs `script` as root of a private mount namespace (`unshare`), where it may mount a small
/// tmpfs. Returns its stdout and stderr.
fn in_private_mounts(script: &str, env: &[(&str, String)]) -> Output {
    let mut c = Command::new("unshare");
    if is_not_root() {
        c.arg("-r");
    }
    c.args(["-m", "sh", "-c", script]);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("unshare (util-linux) runs")
}

fn is_not_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) != Some("0")))
        .unwrap_or(true)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_and_a_read_only_disk_give_a_clear_error_and_keep_the_database_intact() {
    let s = Sandbox::start(SandboxConfig { learners: 1_500, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mnt: PathBuf = dir.path().join("disk");
    std::fs::create_dir(&mnt).unwrap();
    let script = r#"
set -u
cw() { "$CW" --data-dir "$MNT/data" "$@"; }
mount -t tmpfs -o size=4m tmpfs "$MNT" || { echo "MOUNT FAILED"; exit 97; }
cw profile add --kind openedx --name LMS --base-url "$LMS" --client-id "$CLIENT" --provider "$P1" --provider "$P2" --secret-env CW_LMS >/dev/null || exit 90
cw learners sync --profile LMS --provider "$P1" >/dev/null || exit 91
cw learners export --profile LMS --provider "$P1" --out "$MNT/before.csv" >/dev/null || exit 92
cp "$MNT/before.csv" "$OUT/before.csv"
# Fill the disk, then try to write.
dd if=/dev/zero of="$MNT/filler" bs=16k 2>/dev/null
cw learners sync --profile LMS --provider "$P2" 2>"$OUT/full.err" >/dev/null; echo "full_rc=$?"
rm -f "$MNT/filler"
cw learners export --profile LMS --provider "$P1" --out "$OUT/after-full.csv" >/dev/null || echo "export after full failed"
# Read-only.
mount -o remount,ro "$MNT" || { echo "REMOUNT FAILED"; exit 98; }
cw learners sync --profile LMS --provider "$P2" 2>"$OUT/ro.err" >/dev/null; echo "ro_rc=$?"
mount -o remount,rw "$MNT"
cw learners export --profile LMS --provider "$P1" --out "$OUT/after-ro.csv" >/dev/null || echo "export after read-only failed"
cw --json learners sync --profile LMS --provider "$P2" > "$OUT/again.json" 2>"$OUT/again.err"; echo "again_rc=$?"
umount "$MNT"
"#;
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let env = [
        ("CW", env!("CARGO_BIN_EXE_crosswalk").to_string()),
        ("MNT", mnt.display().to_string()),
        ("OUT", out_dir.display().to_string()),
        ("LMS", s.openedx_url()),
        ("CLIENT", STAFF_CLIENT_ID.to_string()),
        ("P1", P1.to_string()),
        ("P2", P2.to_string()),
        ("CW_LMS", STAFF_CLIENT_SECRET.to_string()),
    ];
    let out = tokio::task::spawn_blocking(move || in_private_mounts(script, &env)).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).unwrap_or_default();
    assert!(
        out.status.success(),
        "the scenario stopped (exit {:?}): {stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );

    assert!(!stdout.contains("full_rc=0"), "a sync on a full disk must fail: {stdout}");
    let full = read("full.err");
    // SQLite reports a full disk as SQLITE_FULL, or as a disk I/O error when the shared-memory
    // file cannot grow; both say the disk is (or may be) full.
    assert!(full.contains("disk holding Crosswalk's database is full") || full.contains("the disk may be full"), "{full}");
    assert_eq!(full.trim().lines().count(), 1, "one plain line: {full}");
    assert_eq!(read("before.csv"), read("after-full.csv"), "the mirror is intact after the full disk");

    assert!(!stdout.contains("ro_rc=0"), "a sync on a read-only disk must fail: {stdout}");
    let ro = read("ro.err");
    // Crosswalk stops at its first write: the log folder, or the database itself.
    assert!(ro.to_lowercase().contains("read-only"), "{ro}");
    assert_eq!(ro.trim().lines().count(), 1, "one plain line: {ro}");
    assert_eq!(read("before.csv"), read("after-ro.csv"), "the mirror is intact after the read-only disk");

    assert!(stdout.contains("again_rc=0"), "with space and write access back, the sync works: {stdout} {}", read("again.err"));
    let again: Value = serde_json::from_str(read("again.json").trim()).unwrap();
    assert_eq!(again["count"].as_u64().unwrap() as usize, s.mapping_count(P2));
}
