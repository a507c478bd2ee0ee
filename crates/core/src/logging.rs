//! `tracing` to a rotating log file in the OS log folder (or `<data-dir>/logs`).
//!
//! Log lines name connections, providers, counts and outcomes — never a secret, a token or launch
//! parameters: those are [`crate::secret::SecretString`]s, which print as `[redacted]`.

use std::path::Path;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::{Error, Result};

/// Keep two weeks of daily files.
const KEEP_FILES: usize = 14;

/// Lines waiting for the background writer at most. The writer's queue is allocated (and touched)
/// in full when logging starts: tracing-appender's default of 128,000 lines cost 4 MiB of resident
/// memory from the first second, for a queue the app never comes near filling (it logs a few lines
/// per action; a 100,000-row sync logs a handful). A line that finds the queue full is dropped,
/// never waited for, so a stalled disk cannot stall the app.
const QUEUED_LINES: usize = 4_096;

/// Keeps the background log writer alive; logs are flushed when it is dropped.
#[must_use = "dropping the guard stops file logging"]
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

/// Starts logging to `<logs>/<prefix>.YYYY-MM-DD.log`, rotated daily. `RUST_LOG` overrides the
/// default level (`info`). With `echo_stderr`, lines are also written to stderr.
pub fn init(logs: &Path, prefix: &str, echo_stderr: bool) -> Result<LogGuard> {
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(prefix)
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(logs)
        .map_err(|e| Error::DataDir { path: logs.display().to_string(), reason: format!("cannot write log files: {e}") })?;
    let (writer, guard) = NonBlockingBuilder::default().buffered_lines_limit(QUEUED_LINES).lossy(true).finish(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().with_writer(writer).with_ansi(false);
    let stderr_layer = echo_stderr.then(|| fmt::layer().with_writer(std::io::stderr));
    // A second init (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(filter).with(file_layer).with(stderr_layer).try_init();
    Ok(LogGuard(guard))
}
