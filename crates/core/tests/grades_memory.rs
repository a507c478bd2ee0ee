//! A 200,000-row grade report is reconciled and exported as a stream: the memory Crosswalk holds
//! at its peak stays a small fraction of the file, and does not grow with it.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{env_with, openedx_profile, register};
use crosswalk_core::connection::{ClientAuth, TokenType};
use crosswalk_core::grades::{self, ExportOptions, ReconcileRequest, Template};
use crosswalk_core::mirror::{self, SyncOptions};
use crosswalk_sandbox::{SandboxConfig, STAFF_CLIENT_ID, STAFF_CLIENT_SECRET};
use tokio_util::sync::CancellationToken;

/// Counts live heap bytes and remembers the peak since the last reset.
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

fn report(path: &std::path::Path, usernames: &[String], rows: usize) -> u64 {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "Student ID,Email,Username,Grade,Homework (Avg),Final Exam,Enrollment Track,Verification Status,Certificate Eligible,Certificate Delivered,Certificate Type,Enrollment Status").unwrap();
    for i in 0..rows {
        let u = &usernames[i % usernames.len()];
        writeln!(f, "{i},{u}@example.edu,{u},0.{:02},0.5,0.75,verified,verified,Y,N,verified,enrolled", i % 100).unwrap();
    }
    f.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Peak heap above the baseline while reconciling and exporting `rows` rows.
async fn peak_for(e: &common::Env, usernames: &[String], rows: usize) -> (usize, u64) {
    let path = e.dir.path().join(format!("report-{rows}.csv"));
    let size = report(&path, usernames, rows);
    let file = grades::inspect(&path).unwrap();
    let req = ReconcileRequest {
        path: path.display().to_string(),
        profile_id: "lms".into(),
        provider_id: P.into(),
        columns: file.columns,
        live: false,
    };
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = grades::reconcile(&e.cw, &req, |_| {}, &CancellationToken::new()).await.unwrap();
    assert_eq!(r.counts.matched, rows as u64);
    let out = e.dir.path().join(format!("out-{rows}.csv"));
    let opts = ExportOptions { template: Template::Canvas, ..ExportOptions::default() };
    let res = grades::export(&e.cw, r.id, &opts, &out, None).unwrap();
    assert_eq!(res.rows_written, rows as u64);
    (PEAK.load(Ordering::Relaxed) - base, size)
}

#[tokio::test(flavor = "current_thread")]
async fn a_200k_row_report_streams_in_bounded_memory() {
    let e = env_with(SandboxConfig { learners: 3_000, ..SandboxConfig::default() }).await;
    register(
        &e.cw,
        openedx_profile("lms", &e.sandbox.openedx_url(), STAFF_CLIENT_ID, TokenType::Jwt, ClientAuth::Basic, &[P]),
        STAFF_CLIENT_SECRET,
    );
    mirror::sync(&e.cw, "lms", P, SyncOptions::default(), |_| {}, &CancellationToken::new()).await.unwrap();
    let usernames: Vec<String> = e.sandbox.mappings(P).into_iter().map(|m| m.username).collect();
    let (small_peak, small_size) = peak_for(&e, &usernames, 20_000).await;
    let (big_peak, big_size) = peak_for(&e, &usernames, 200_000).await;
    println!("20k rows ({small_size} bytes): peak {small_peak} bytes; 200k rows ({big_size} bytes): peak {big_peak} bytes");
    assert!(big_size > 15_000_000, "the big report is {big_size} bytes");
    assert!(big_peak < (big_size / 4) as usize, "peak {big_peak} bytes for a {big_size}-byte report: rows are being held in memory");
    assert!(big_peak < small_peak * 2 + 1_000_000, "peak grew with the file: {small_peak} → {big_peak} bytes");
}
