//! The shell: what the app is and where its files are.

use crosswalk_core::app_info::AppInfo;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::error::{Error, Result};
use crate::state::AppState;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let dirs = &state.cw.dirs;
    AppInfo {
        version: crosswalk_core::app_info::VERSION.into(),
        commit: crosswalk_core::app_info::COMMIT.into(),
        build_date: crosswalk_core::app_info::BUILD_DATE.into(),
        demo: state.sandbox.is_some(),
        data_dir: dirs.data.display().to_string(),
        log_dir: dirs.logs.display().to_string(),
        database: state.cw.store.path().display().to_string(),
        sandbox_url: state.sandbox.as_ref().map(|s| s.base_url()),
    }
}

#[tauri::command]
pub fn open_logs_folder<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>) -> Result<()> {
    let logs = state.cw.dirs.logs.display().to_string();
    app.opener().open_path(&logs, None::<&str>).map_err(|e| Error::Open { what: logs, reason: e.to_string() })
}

/// Shows a file Crosswalk opened or wrote (a report, an export, a saved launch page) in the
/// system's file manager. Any other path from the webview is refused.
#[tauri::command]
pub fn reveal_path<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>, path: String) -> Result<()> {
    if !state.cw.knows_file(std::path::Path::new(&path))? {
        return Err(Error::Core(crosswalk_core::Error::Invalid(format!(
            "Crosswalk only shows files it opened or wrote for you, and {path} is not one of them. Open its folder yourself."
        ))));
    }
    app.opener().reveal_item_in_dir(&path).map_err(|e| Error::Open { what: path, reason: e.to_string() })
}

/// "Report a problem": puts a short report for a support ticket (versions, OS, the last log
/// lines, redacted) on the system clipboard, and returns it so the person sees what was copied.
#[tauri::command]
pub fn copy_problem_report<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>) -> Result<String> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let report = crosswalk_core::diagnostics::problem_report(&state.cw);
    app.clipboard().write_text(report.clone()).map_err(|e| {
        Error::Core(crosswalk_core::Error::Invalid(format!(
            "Crosswalk could not write to the clipboard ({e}). Save the diagnostics bundle instead."
        )))
    })?;
    Ok(report)
}

/// Saves the diagnostics bundle (a zip for the IT team); `None` when the person closed the dialog.
#[tauri::command]
pub async fn save_diagnostics<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<crosswalk_core::diagnostics::BundleSummary>> {
    let name = format!("crosswalk-diagnostics-{}.zip", state.cw.clock.now().format("%Y%m%d-%H%M"));
    let Some(path) = crate::dialogs::save(&app, "Save the diagnostics bundle", &name, ("Zip archive", &["zip"])).await else {
        return Ok(None);
    };
    Ok(Some(crosswalk_core::diagnostics::bundle(&state.cw, &path)?))
}

/// The file handed to the app (command line or a second launch) that the UI has not taken yet.
#[tauri::command]
pub fn take_opened_file(pending: State<'_, crate::open_file::PendingOpen>) -> Option<crosswalk_core::opened::OpenedFile> {
    pending.0.lock().unwrap_or_else(|p| p.into_inner()).take()
}
