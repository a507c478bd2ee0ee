//! `make bench` (grades): reconcile a 100,000-row Open edX grade report against a 100,000-mapping
//! provider mirror and write the Canvas upload and the error file — Crosswalk vs a pandas script
//! doing the same (`read_csv` + `merge` + `to_csv`), measured in the same run, with peak memory.
//!
//! The pandas side runs `benches/grades_pandas.py` with `$CROSSWALK_BENCH_PYTHON` (the Makefile
//! points it at a virtualenv with pandas) or `python3`.

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

        // ---- pandas -----------------------------------------------------------------------------
        let python = std::env::var("CROSSWALK_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/grades_pandas.py");
        let out = std::process::Command::new(&python)
            .args([script, report.to_str().unwrap(), mirror_csv.to_str().unwrap()])
            .arg(dir.path().join("pandas-canvas.csv"))
            .arg(dir.path().join("pandas-errors.csv"))
            .output()
            .expect("python runs");
        let pandas: Option<serde_json::Value> = if out.status.success() {
            serde_json::from_slice(&out.stdout).ok()
        } else {
            eprintln!("pandas baseline failed ({}): {}", python, String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or_default());
            eprintln!("run it through `make bench`, which installs pandas in .venv-bench");
            None
        };

        // ---- Crosswalk (best of 3, like the pandas figure it is compared with: a warm file cache) --
        let mut best = f64::MAX;
        let mut peak = 0;
        let mut written = 0;
        for round in 0..3 {
            let target = dir.path().join(format!("crosswalk-canvas-{round}.csv"));
            let base = LIVE.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let started = Instant::now();
            let file = grades::inspect(&report).unwrap();
            let req = ReconcileRequest {
                path: report.display().to_string(),
                profile_id: "bench".into(),
                provider_id: P.into(),
                columns: file.columns,
                live: false,
            };
            let r = grades::reconcile(&cw, &req, |_| {}, &CancellationToken::new()).await.unwrap();
            let opts = ExportOptions { template: Template::Canvas, item_name: "Final grade".into(), ..ExportOptions::default() };
            let res = grades::export(&cw, r.id, &opts, &target, None).unwrap();
            best = best.min(started.elapsed().as_secs_f64());
            peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
            written = res.rows_written;
        }

        println!("   Crosswalk (inspect + match + export)   {best:>7.3} s   peak heap {:>6.1} MB   rows written {written}", mb(peak));
        match pandas {
            Some(p) => {
                let secs = p["seconds"].as_f64().unwrap_or(f64::NAN);
                println!(
                    "   pandas (read_csv + merge + to_csv)    {secs:>7.3} s   peak traced {:>6.1} MB (process RSS {:.1} MB)   rows written {}",
                    mb(p["tracemalloc_peak_bytes"].as_u64().unwrap_or(0) as usize),
                    mb(p["max_rss_bytes"].as_u64().unwrap_or(0) as usize),
                    p["rows_written"]
                );
                println!("   → {:.1}× faster than pandas (target ≥ 3×), {:.3} s (target < 1 s)", secs / best, best);
                let ours = std::fs::read_to_string(dir.path().join("crosswalk-canvas-0.csv")).unwrap();
                let theirs = std::fs::read_to_string(dir.path().join("pandas-canvas.csv")).unwrap();
                assert_eq!(ours, theirs, "the two Canvas uploads differ");
                println!("   (the two Canvas uploads are byte-for-byte identical)");
            }
            None => println!("   pandas baseline not available: no ratio"),
        }
        sandbox.shutdown().await;
    });
}
