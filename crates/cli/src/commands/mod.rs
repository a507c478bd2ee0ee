//! One module per command group; each is a thin adapter over `crosswalk-core`.

pub mod activity;
pub mod learners;
pub mod profile;
pub mod providers;
pub mod secret;

use crosswalk_core::Crosswalk;

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
