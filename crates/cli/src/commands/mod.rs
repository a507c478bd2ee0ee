//! One module per command group; each is a thin adapter over `crosswalk-core`.

pub mod activity;
pub mod enrollments;
pub mod grades;
pub mod jobs;
pub mod launch;
pub mod learners;
pub mod ooapi;
pub mod profile;
pub mod providers;
pub mod secret;

use crosswalk_core::Crosswalk;
use tokio_util::sync::CancellationToken;

use crate::output::Output;

/// `crosswalk paths`
pub fn paths(cw: &Crosswalk, out: &Output) -> Result<(), crosswalk_core::Error> {
    let doc = serde_json::json!({ "data_dir": cw.dirs.data, "log_dir": cw.dirs.logs, "database": cw.store.path() });
    out.print(&doc, || {
        format!(
            "data folder: {}\nlog folder:  {}\ndatabase:    {}",
            cw.dirs.data.display(),
            cw.dirs.logs.display(),
            cw.store.path().display()
        )
    });
    Ok(())
}

/// `crosswalk diagnostics [--out FILE]`
pub fn diagnostics(cw: &Crosswalk, out: &Output, file: Option<&std::path::Path>) -> Result<(), crosswalk_core::Error> {
    use crosswalk_core::diagnostics;
    match file {
        Some(path) => {
            let summary = diagnostics::bundle(cw, path)?;
            out.print(&summary, || format!("Diagnostics bundle written to {} ({}).", summary.path, summary.files.join(", ")));
        }
        None => {
            let report = diagnostics::problem_report(cw);
            out.print(&serde_json::json!({ "report": report, "about": diagnostics::collect(cw) }), || report.clone());
        }
    }
    Ok(())
}

/// A token that Ctrl-C cancels (long work stops at its next step and says so).
pub fn cancel_on_ctrl_c() -> CancellationToken {
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            c2.cancel();
        }
    });
    cancel
}
