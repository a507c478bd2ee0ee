//! What support needs when something goes wrong, never a secret: a short **problem report**
//! (versions, OS, the last log lines) to paste into a ticket, and a **diagnostics bundle** (a zip of
//! the logs, versions, schema version and the connections' kinds and hosts) for the IT team.
//!
//! Secrets never reach the logs in the first place (tests prove it); every log line copied here is
//! still passed through [`redact`], which blanks anything that looks like a credential, as a second
//! line of defence against a library that logs more than it should.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::app_info;
use crate::crosswalk::Crosswalk;
use crate::{Error, Result};

/// Log lines in a problem report.
const REPORT_LINES: usize = 40;
/// Bytes kept from the end of each log file in a bundle.
const BUNDLE_LOG_BYTES: u64 = 2 * 1024 * 1024;
/// Log files in a bundle (newest first).
const BUNDLE_LOG_FILES: usize = 7;

/// One connection as support sees it: what kind, which host, whether its secrets are set.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionSummary {
    pub name: String,
    pub kind: String,
    pub host: String,
    pub demo: bool,
    /// `field: source` for each secret (`client_secret: set (OS keyring)`), never a value.
    pub secrets: Vec<String>,
}

/// Versions, system and set-up, without a secret.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Diagnostics {
    pub version: String,
    pub commit: String,
    pub build_date: String,
    pub os: String,
    pub face: String,
    pub schema_version: Option<i64>,
    pub journal_mode: Option<String>,
    pub data_dir: String,
    pub log_dir: String,
    pub connections: Vec<ConnectionSummary>,
}

/// The operating system in words: `linux x86_64 (Debian GNU/Linux 12 (bookworm))`.
pub fn os() -> String {
    let mut os = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    if let Ok(release) = std::fs::read_to_string("/etc/os-release") {
        if let Some(name) = release.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")) {
            os.push_str(&format!(" ({})", name.trim_matches('"')));
        }
    }
    os
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| "(not a URL)".into())
}

/// Collects what support needs to know. Never fails: what cannot be read is left out.
pub fn collect(cw: &Crosswalk) -> Diagnostics {
    let connections = crate::profiles::views(cw)
        .unwrap_or_default()
        .into_iter()
        .map(|v| ConnectionSummary {
            name: v.profile.name.clone(),
            kind: v.profile.kind().as_str().to_string(),
            host: host_of(v.profile.settings.base_url()),
            demo: v.profile.demo,
            secrets: v.secrets.iter().map(|s| format!("{}: {:?}", s.field.as_str(), s.source)).collect(),
        })
        .collect();
    Diagnostics {
        version: app_info::VERSION.into(),
        commit: app_info::COMMIT.into(),
        build_date: app_info::BUILD_DATE.into(),
        os: os(),
        face: format!("{:?}", cw.face),
        schema_version: cw.store.schema_version().ok(),
        journal_mode: cw.store.journal_mode().ok(),
        data_dir: cw.dirs.data.display().to_string(),
        log_dir: cw.dirs.logs.display().to_string(),
        connections,
    }
}

/// Blanks what looks like a credential in a log line: `Bearer …`, `Basic …`, and the values of
/// `token`, `secret`, `password`, `api_key`, `access_token`, `client_secret`, `assertion` and
/// `oauth_signature` parameters or fields.
pub fn redact(line: &str) -> String {
    static PATTERNS: std::sync::OnceLock<Vec<regex::Regex>> = std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            r"(?i)\b(bearer|basic|jwt)\s+[A-Za-z0-9._~+/=\-]{6,}",
            // `key=value`, `key = "value"`, or a quoted JSON key `"key": "value"` (not `module::token:`).
            r#"(?i)\b((?:access_|refresh_|id_)?token|[a-z_]*secret|password|passwd|api[_-]?key|assertion|oauth_signature)\b(["']?\s*=\s*["']?|["']\s*:\s*["']?)[^\s"'&,;}]+"#,
        ]
        .iter()
        .map(|p| regex::Regex::new(p).expect("a valid pattern"))
        .collect()
    });
    let once = patterns[0].replace_all(line, "$1 [redacted]");
    patterns[1].replace_all(&once, "$1$2[redacted]").into_owned()
}

/// The log files, newest first.
fn log_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains(".log")))
                .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files.into_iter().map(|(_, p)| p).collect()
}

/// The last `max` bytes of a file, from a line start, redacted line by line.
fn tail(path: &Path, max: u64) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else { return String::new() };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(max);
    if f.seek(SeekFrom::Start(start)).is_err() {
        return String::new();
    }
    let mut bytes = Vec::new();
    let _ = f.take(max).read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let text = if start > 0 { text.split_once('\n').map_or("", |(_, rest)| rest).to_string() } else { text.into_owned() };
    text.lines().map(redact).collect::<Vec<_>>().join("\n")
}

/// A short report to paste into a support ticket: versions, OS, data folder, and the last log
/// lines of this face's newest log file.
pub fn problem_report(cw: &Crosswalk) -> String {
    let d = collect(cw);
    let mut t = format!(
        "Crosswalk {} (commit {}, built {})\nOS: {}\nFace: {}\nDatabase schema: {}\nConnections: {}\n",
        d.version,
        d.commit,
        d.build_date,
        d.os,
        d.face,
        d.schema_version.map_or("unknown".into(), |v| v.to_string()),
        if d.connections.is_empty() {
            "none".to_string()
        } else {
            d.connections.iter().map(|c| format!("{} ({})", c.kind, c.host)).collect::<Vec<_>>().join(", ")
        }
    );
    if let Some(newest) = log_files(&cw.dirs.logs).first() {
        let text = tail(newest, 64 * 1024);
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(REPORT_LINES);
        t.push_str(&format!("\nLast log lines ({}):\n", newest.file_name().and_then(|n| n.to_str()).unwrap_or_default()));
        t.push_str(&lines[from..].join("\n"));
        t.push('\n');
    } else {
        t.push_str("\nNo log file yet.\n");
    }
    t
}

/// What a bundle holds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BundleSummary {
    pub path: String,
    pub files: Vec<String>,
}

/// Writes the diagnostics bundle: `about.json` (see [`collect`]), `problem-report.txt`, and the
/// newest log files (their last 2 MiB each, redacted). Written to a temporary file first, so a
/// failure never leaves half a zip.
pub fn bundle(cw: &Crosswalk, path: &Path) -> Result<BundleSummary> {
    let failed = |e: &dyn std::fmt::Display| {
        Error::Invalid(format!("The diagnostics bundle could not be written to {}: {e}. Choose another folder.", path.display()))
    };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed(&e))?;
    let mut zip = zip::ZipWriter::new(tmp.as_file());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    let mut add = |zip: &mut zip::ZipWriter<&std::fs::File>, name: String, body: &[u8]| -> Result<()> {
        zip.start_file(name.as_str(), options).map_err(|e| failed(&e))?;
        zip.write_all(body).map_err(|e| failed(&e))?;
        files.push(name);
        Ok(())
    };
    let about = serde_json::to_vec_pretty(&collect(cw)).map_err(|e| failed(&e))?;
    add(&mut zip, "about.json".into(), &about)?;
    add(&mut zip, "problem-report.txt".into(), problem_report(cw).as_bytes())?;
    for log in log_files(&cw.dirs.logs).into_iter().take(BUNDLE_LOG_FILES) {
        let name = log.file_name().and_then(|n| n.to_str()).unwrap_or("log").to_string();
        add(&mut zip, format!("logs/{name}"), tail(&log, BUNDLE_LOG_BYTES).as_bytes())?;
    }
    zip.finish().map_err(|e| failed(&e))?;
    tmp.as_file().sync_all().map_err(|e| failed(&e))?;
    tmp.persist(path).map_err(|e| failed(&e.error))?;
    Ok(BundleSummary { path: path.display().to_string(), files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_log_line_are_blanked() {
        let line = r#"GET /x Authorization: Bearer eyJhbGciOi.abc.def client_secret=s3cr3t&x=1 {"access_token": "tok-123", "password":"pw"} api_key=k9"#;
        let r = redact(line);
        for s in ["eyJhbGciOi", "s3cr3t", "tok-123", "\"pw\"", "k9"] {
            assert!(!r.contains(s), "{s} left in {r}");
        }
        assert!(r.contains("Bearer [redacted]") && r.contains("client_secret=[redacted]") && r.contains("&x=1"), "{r}");
        // Ordinary lines are left alone.
        let plain = "2026-12-06T00:00:00Z INFO crosswalk_core::token: token issued service=LMS expires_at=2026-12-06T01:00:00Z";
        assert_eq!(redact(plain), plain);
    }

    #[test]
    fn hosts_only_never_a_whole_url() {
        assert_eq!(host_of("https://lms.example.edu/api?key=1"), "lms.example.edu");
        assert_eq!(host_of("http://127.0.0.1:8000/x"), "127.0.0.1:8000");
    }
}
