//! A sync killed midway (SIGKILL, no chance to clean up) leaves the previous mirror whole, and
//! the next sync succeeds. Needs a keyring: run via `tests/session.sh`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use crosswalk_sandbox::{Knobs, Sandbox, SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};

fn cli(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
    c.arg("--data-dir").arg(dir);
    c
}

fn ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_sync_keeps_the_old_mirror_and_the_next_sync_succeeds() {
    let sandbox = Sandbox::start(SandboxConfig { learners: 4_000, ..SandboxConfig::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(cli(d).args([
        "profile",
        "add",
        "--kind",
        "openedx",
        "--name",
        "LMS",
        "--base-url",
        &sandbox.openedx_url(),
        "--client-id",
        STAFF_CLIENT_ID,
    ]));
    let mut set = cli(d).args(["secret", "set", "LMS"]).stdin(Stdio::piped()).spawn().unwrap();
    set.stdin.take().unwrap().write_all(STAFF_CLIENT_SECRET.as_bytes()).unwrap();
    assert!(set.wait().unwrap().success());
    let p = "saml-demo-univ";
    ok(cli(d).args(["learners", "sync", "--profile", "LMS", "--provider", p]));
    let before = ok(cli(d).args(["learners", "export", "--profile", "LMS", "--provider", p, "--out"]).arg(d.join("before.csv")));
    assert!(before.contains("Wrote"));

    // Slow the LMS down and change it, then kill the sync after some pages arrived.
    assert!(sandbox.link(p, "late.joiner", "s0000042"));
    sandbox.set_knobs(Knobs { latency_ms: 150, ..Knobs::default() });
    let mut child = cli(d)
        .args(["learners", "sync", "--profile", "LMS", "--provider", p, "--concurrency", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // Until some pages arrived and the sync committed rows of its own (its writer commits at
    // least every 250 ms).
    while (sandbox.stats().mapping_requests < 8 || generations(d).len() < 2) && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let _ = child.wait();

    ok(cli(d).args(["learners", "export", "--profile", "LMS", "--provider", p, "--out"]).arg(d.join("after-kill.csv")));
    assert_eq!(std::fs::read(d.join("before.csv")).unwrap(), std::fs::read(d.join("after-kill.csv")).unwrap(), "the old mirror is whole");
    // The killed sync left the rows it had committed, tagged with its own generation.
    let left = generations(d);
    assert_eq!(left.len(), 2, "the live generation and the killed sync's rows: {left:?}");

    sandbox.set_knobs(Knobs::default());
    let out = ok(cli(d).args(["--json", "learners", "sync", "--profile", "LMS", "--provider", p]));
    let rec: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(rec["status"], "done");
    assert_eq!(rec["added"], 1);
    assert_eq!(rec["count"].as_u64().unwrap() as usize, sandbox.mapping_count(p));
    // The next sync removed them (and the generation it replaced): only its own rows are left.
    assert_eq!(generations(d), vec![(rec["id"].as_i64().unwrap(), rec["count"].as_i64().unwrap())]);
}

/// (generation, rows) of every mirror generation in the database.
fn generations(dir: &std::path::Path) -> Vec<(i64, i64)> {
    let c = rusqlite::Connection::open(dir.join("crosswalk.sqlite3")).unwrap();
    let mut stmt = c.prepare("SELECT generation, count(*) FROM mirror_mappings GROUP BY generation ORDER BY generation").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}
