//! `make bench` (grades): reconcile a 100,000-row Open edX grade report against a 100,000-mapping
//! provider mirror and write the Canvas upload and the error file — Crosswalk vs a pandas script
//! and a polars script doing the same, measured in the same run: each side runs the work the same
//! number of times and reports the median; memory (growth of peak resident memory) is measured
//! in a separate run of each, so no tracing slows the timed runs.
//!
//! The baselines run `benches/grades_baseline.py` with `$CROSSWALK_BENCH_PYTHON` (the Makefile
//! points it at a virtualenv with pandas and polars) or `python3`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crosswalk_core::activity::Face;
use crosswalk_core::connection::{ClientAuth, NetworkSettings, OpenEdxSettings, Profile, ProfileSettings, SecretField, TokenType};
use crosswalk_core::grades::{self, ExportOptions, ReconcileRequest, Template};
use crosswalk_core::mirror::{self, SyncOptions};
use crosswalk_core::paths::DataDirs;
use crosswalk_core::secret::SecretString;
use crosswalk_core::Crosswalk;
use crosswalk_sandbox::{Sandbox, SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use tokio_util::sync::CancellationToken;

/// Counts live heap bytes and the peak since the last reset.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const P: &str = "saml-demo-univ";
const ROWS: usize = 100_000;
/// Timed runs per side; each side's figure is the median.
const RUNS: usize = 5;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn status_kb(field: &str) -> usize {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field).and_then(|r| r.strip_prefix(':')))
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Resets the peak resident size to the current one (Linux) and returns the current one, bytes.
fn rss_reset() -> usize {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_kb("VmRSS") * 1024
}

/// How far the peak resident size rose above `before` since [`rss_reset`].
fn peak_growth(before: usize) -> usize {
    (status_kb("VmHWM") * 1024).saturating_sub(before)
}

/// A baseline kept running (`grades_baseline.py ENGINE serve`): one run per request.
struct Server {
    child: std::process::Child,
    answers: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Server {
    fn start(
        python: &str,
        script: &str,
        engine: &str,
        report: &std::path::Path,
        mirror: &std::path::Path,
        dir: &std::path::Path,
    ) -> Option<Self> {
        use std::io::BufRead;
        let mut child = std::process::Command::new(python)
            .args([script, engine, "serve", report.to_str()?, mirror.to_str()?])
            .arg(dir.join(format!("{engine}-canvas.csv")))
            .arg(dir.join(format!("{engine}-errors.csv")))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let answers = std::io::BufReader::new(child.stdout.take()?).lines();
        Some(Self { child, answers })
    }

    /// One timed run, in seconds; `None` when the baseline cannot run (its library is missing).
    fn run(&mut self) -> Option<f64> {
        writeln!(self.child.stdin.as_mut()?, "run").ok()?;
        let line = self.answers.next()?.ok()?;
        serde_json::from_str::<serde_json::Value>(&line).ok()?["seconds"].as_f64()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn mb(b: usize) -> f64 {
    b as f64 / 1_048_576.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig { learners: 111_200, ..SandboxConfig::default() }).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cw = Crosswalk::open(DataDirs::under(dir.path()), Face::Cli).unwrap();
        let profile = Profile {
            id: "bench".into(),
            name: "Bench LMS".into(),
            settings: ProfileSettings::Openedx(OpenEdxSettings {
                base_url: sandbox.openedx_url(),
                client_id: STAFF_CLIENT_ID.into(),
                token_type: TokenType::Jwt,
                client_auth: ClientAuth::Basic,
                scopes: vec![],
                providers: vec![P.into()],
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: true,
            created_at: String::new(),
            updated_at: String::new(),
        };
        cw.add_demo_profile(profile, vec![(SecretField::ClientSecret, SecretString::new(STAFF_CLIENT_SECRET))]);
        let rec = mirror::sync(&cw, "bench", P, SyncOptions { concurrency: 16, ..SyncOptions::default() }, |_| {}, &CancellationToken::new())
            .await
            .unwrap();

        // The report: 100,000 rows, 2 % of them learners who never signed in through the provider.
        let mappings = sandbox.mappings(P);
        let report = dir.path().join("course_grade_report.csv");
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&report).unwrap());
            writeln!(f, "Student ID,Email,Username,Grade,Homework 1: Intro,Homework 2: Loops,Homework (Avg),Final Exam,Enrollment Track,Verification Status,Certificate Eligible,Certificate Delivered,Certificate Type,Enrollment Status").unwrap();
            for i in 0..ROWS {
                let u = if i % 50 == 7 { format!("not_linked_{i}") } else { mappings[i % mappings.len()].username.clone() };
                let status = if i % 97 == 3 { "unenrolled" } else { "enrolled" };
                writeln!(f, "{i},{u}@example.edu,{u},0.{:02},0.5,0.7,0.6,0.8,verified,verified,Y,N,verified,{status}", i % 100).unwrap();
            }
        }
        let mirror_csv = dir.path().join("mirror.csv");
        mirror::export_csv(&cw, "bench", P, std::fs::File::create(&mirror_csv).unwrap()).unwrap();

        println!("Grades benchmark (release build): {ROWS} report rows against a {}-mapping mirror, Canvas upload + error file\n", rec.count);

        // ---- the baselines: pandas and polars, timed and measured in separate runs ---------------
        let python = std::env::var("CROSSWALK_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/grades_baseline.py");
        let baseline = |engine: &str, mode: &str| -> Option<serde_json::Value> {
            let out = std::process::Command::new(&python)
                .args([script, engine, mode, report.to_str().unwrap(), mirror_csv.to_str().unwrap()])
                .arg(dir.path().join(format!("{engine}-canvas.csv")))
                .arg(dir.path().join(format!("{engine}-errors.csv")))
                .output()
                .expect("python runs");
            if !out.status.success() {
                eprintln!("{engine} baseline failed ({python}): {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or_default());
                eprintln!("run it through `make bench`, which installs pandas and polars in .venv-bench");
                return None;
            }
            serde_json::from_slice(&out.stdout).ok()
        };

        // ---- Crosswalk: the same number of timed runs and the same statistic (the median) -------
        let run_once = |round: usize| {
            let target = dir.path().join(format!("crosswalk-canvas-{round}.csv"));
            let (cw, report) = (&cw, &report);
            async move {
                let t0 = Instant::now();
                let file = grades::inspect(report).unwrap();
                let t1 = t0.elapsed();
                let req = ReconcileRequest {
                    path: report.display().to_string(),
                    profile_id: "bench".into(),
                    provider_id: P.into(),
                    columns: file.columns,
                    live: false,
                };
                let r = grades::reconcile(cw, &req, |_| {}, &CancellationToken::new()).await.unwrap();
                let t2 = t0.elapsed();
                let opts = ExportOptions { template: Template::Canvas, item_name: "Final grade".into(), ..ExportOptions::default() };
                let n = grades::export(cw, r.id, &opts, &target, None).unwrap().rows_written;
                if std::env::var_os("CROSSWALK_BENCH_PHASES").is_some() {
                    let t3 = t0.elapsed();
                    eprintln!("   phases: inspect {t1:.2?}, match {:.2?}, export {:.2?}", t2 - t1, t3 - t2);
                }
                n
            }
        };
        // Timed runs interleaved: each Crosswalk run is followed at once by one run of each
        // baseline (kept running between runs, so Python's start is never timed), so every round
        // measures all three under the same conditions: on a shared machine a busy neighbour then
        // slows all of them rather than one side. One round first warms every side up, untimed.
        let mut servers: Vec<(&str, Option<Server>)> =
            ["pandas", "polars"].into_iter().map(|engine| (engine, Server::start(&python, script, engine, &report, &mirror_csv, dir.path()))).collect();
        let mut times = Vec::new();
        let mut theirs: std::collections::HashMap<&str, Vec<f64>> = Default::default();
        let mut written = 0;
        for round in 0..=RUNS {
            let started = Instant::now();
            written = run_once(round).await;
            let ours = started.elapsed().as_secs_f64();
            for (engine, server) in &mut servers {
                let Some(s) = server else { continue };
                match s.run() {
                    Some(t) if round > 0 => theirs.entry(*engine).or_default().push(t),
                    Some(_) => {}
                    None => *server = None,
                }
            }
            if round > 0 {
                times.push(ours);
            }
        }
        drop(servers);
        let ours = median(&mut times);
        // Memory in a run of its own, by the measure the baselines use (peak resident growth), plus
        // the heap the counting allocator saw (SQLite's own page cache is not in that figure).
        let before = rss_reset();
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        run_once(RUNS).await;
        let our_rss = peak_growth(before);
        let our_heap = PEAK.load(Ordering::Relaxed) - base;

        println!("   median of {RUNS} interleaved runs each, after one warm-up round; memory = growth of peak resident memory during one run of its own\n");
        println!("   Crosswalk (inspect + match + export)   {ours:>7.3} s   memory {:>6.1} MB (Rust heap {:.1} MB)   rows written {written}", mb(our_rss), mb(our_heap));
        let ours_file = std::fs::read_to_string(dir.path().join("crosswalk-canvas-0.csv")).unwrap();
        let mut verdicts = Vec::new();
        for (engine, what, time_target, mem_target) in [
            ("pandas", "read_csv + merge + to_csv", 3.0, 0.25),
            ("polars", "read_csv + join + write_csv", 1.0, 0.25),
        ] {
            let (Some(mut secs), Some(m)) = (theirs.remove(engine).filter(|s| s.len() == RUNS), baseline(engine, "memory")) else {
                println!("   {engine} baseline not available: no ratio");
                continue;
            };
            let theirs = median(&mut secs);
            let rss = m["rss_growth_bytes"].as_u64().unwrap_or(0) as usize;
            let traced = m.get("tracemalloc_peak_bytes").and_then(|v| v.as_u64()).map(|b| format!(" (tracemalloc {:.1} MB)", mb(b as usize))).unwrap_or_default();
            println!("   {engine:<6} ({what:<27}) {theirs:>7.3} s   memory {:>6.1} MB{traced}   rows written {}", mb(rss), m["rows_written"]);
            let speed = theirs / ours;
            let memory = our_rss as f64 / rss.max(1) as f64;
            verdicts.push(format!(
                "   → vs {engine}: {speed:.2}× as fast (target ≥ {time_target}×: {}), memory {memory:.2}× of {engine}'s (target ≤ {mem_target}: {})",
                if speed >= time_target { "met" } else { "NOT met" },
                if memory <= mem_target { "met" } else { "NOT met" },
            ));
            let theirs_file = std::fs::read_to_string(dir.path().join(format!("{engine}-canvas.csv"))).unwrap();
            assert_eq!(ours_file, theirs_file, "the Crosswalk and {engine} Canvas uploads differ");
        }
        for v in verdicts {
            println!("{v}");
        }
        println!("   (every Canvas upload is byte-for-byte identical to Crosswalk's)");
        sandbox.shutdown().await;
    });
}
