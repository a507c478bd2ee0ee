//! Embeds the commit and the build date for `crosswalk --version`, the About dialog and
//! diagnostics: `CROSSWALK_COMMIT` (short hash of HEAD, `unknown` outside a git checkout; the
//! script reruns when HEAD moves, not on every edit, so builds stay incremental) and `CROSSWALK_BUILD_DATE` (UTC, `YYYY-MM-DD`; `SOURCE_DATE_EPOCH` wins,
//! for reproducible package builds). Both may also be given in the environment by a packager.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()).filter(|s| !s.is_empty())
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // Rerun when HEAD moves: HEAD itself, the branch's loose ref and packed-refs. Only paths that
    // exist: Cargo treats a missing one as changed and would rerun this script (and rebuild this
    // crate and everything above it) on every build. A branch whose ref is packed has no loose
    // file yet: its folder is watched instead, where the next commit writes one.
    let dir = root.display().to_string();
    let git_dir = git(&["-C", &dir, "rev-parse", "--absolute-git-dir"]).map(std::path::PathBuf::from);
    let common = git(&["-C", &dir, "rev-parse", "--path-format=absolute", "--git-common-dir"]).map(std::path::PathBuf::from);
    let branch = git(&["-C", &dir, "symbolic-ref", "-q", "HEAD"]);
    let mut watched = Vec::new();
    if let Some(git_dir) = &git_dir {
        watched.push(git_dir.join("HEAD"));
    }
    if let Some(common) = &common {
        watched.push(common.join("packed-refs"));
        if let Some(branch) = &branch {
            let loose = common.join(branch);
            let folder = loose.parent().map(std::path::Path::to_path_buf);
            watched.extend(if loose.exists() { Some(loose) } else { folder });
        }
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rerun-if-env-changed=CROSSWALK_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let commit = std::env::var("CROSSWALK_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| git(&["-C", &dir, "rev-parse", "--short=10", "HEAD"]).unwrap_or_else(|| "unknown".into()));
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0));
    let (y, m, d) = civil(secs.div_euclid(86_400));
    println!("cargo:rustc-env=CROSSWALK_COMMIT={commit}");
    println!("cargo:rustc-env=CROSSWALK_BUILD_DATE={y:04}-{m:02}-{d:02}");
}
