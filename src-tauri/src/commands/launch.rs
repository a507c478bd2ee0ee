//! The Launch screen: find OpenLearning users and make single-use sign-on launches.
//!
//! A launch is a credential. These commands hand it straight to its destination — the system
//! browser through a one-shot loopback page, the system clipboard, or a file the person picked —
//! and answer the webview only with what may be shown (`LaunchSummary`, signature masked).

use crosswalk_core::openlearning::{self, html, oneshot, KnownUser, LaunchRequest, LaunchSummary, OpenLearningUser, Roster};
use crosswalk_core::Error as CoreError;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use crate::dialogs;
use crate::error::Result;
use crate::state::AppState;

/// `cancel_task(task_id)` stops it.
#[tauri::command]
pub async fn openlearning_find_user(
    state: State<'_, AppState>,
    connection_id: String,
    external_id: String,
    task_id: String,
) -> Result<OpenLearningUser> {
    let task = state.tasks.start(&task_id);
    Ok(openlearning::find_user(&state.cw, &connection_id, &external_id, &task.token).await?)
}

#[tauri::command]
pub fn openlearning_known_users(state: State<'_, AppState>, connection_id: String) -> Result<Vec<KnownUser>> {
    Ok(openlearning::known_users(&state.cw, &connection_id)?)
}

/// End-to-end tests cannot see the system browser: in debug builds this variable names a folder
/// where the one-shot address is written instead of being opened. Release builds ignore it.
const TEST_OPEN_DIR_ENV: &str = "CROSSWALK_TEST_OPEN_URL_DIR";

fn open_in_browser<R: tauri::Runtime>(app: &AppHandle<R>, url: &url::Url) -> Result<()> {
    if cfg!(debug_assertions) {
        if let Some(dir) = std::env::var_os(TEST_OPEN_DIR_ENV) {
            let path = std::path::Path::new(&dir).join("launch-url.txt");
            return std::fs::write(&path, url.as_str())
                .map_err(|e| CoreError::Invalid(format!("test open folder not writable ({e})")).into());
        }
    }
    // The address is the credential's only door: it is never put in an error message.
    app.opener().open_url(url.as_str(), None::<&str>).map_err(|e| {
        CoreError::Invalid(format!(
            "Crosswalk could not open your web browser ({e}). Use \"Copy HTML\" or \"Save HTML…\" instead, or set a default browser."
        ))
        .into()
    })
}

/// Makes a fresh launch and opens it once in the system browser. Every launch command can be
/// stopped with `cancel_task(task_id)` while it waits for OpenLearning.
#[tauri::command]
pub async fn launch_open<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: LaunchRequest,
    task_id: String,
) -> Result<LaunchSummary> {
    let task = state.tasks.start(&task_id);
    let (url, summary) = openlearning::serve_once(&state.cw, &request, oneshot::DEFAULT_TTL, &task.token).await?;
    open_in_browser(&app, &url)?;
    Ok(summary)
}

/// Makes a fresh launch and puts its HTML on the system clipboard (not in the webview).
#[tauri::command]
pub async fn launch_copy_html<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: LaunchRequest,
    task_id: String,
) -> Result<LaunchSummary> {
    let task = state.tasks.start(&task_id);
    let (launch, summary) = openlearning::sign_on(&state.cw, &request, &task.token).await?;
    app.clipboard()
        .write_text(html::snippet(&launch))
        .map_err(|e| CoreError::Invalid(format!("Crosswalk could not write to the clipboard ({e}). Use \"Save HTML…\" instead.")))?;
    Ok(summary)
}

/// Makes a fresh launch and saves it as an HTML page where the person chooses.
#[tauri::command]
pub async fn launch_save_html<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: LaunchRequest,
    task_id: String,
) -> Result<Option<String>> {
    // Registered before the dialog: a Cancel pressed while it is open stops the launch too.
    let task = state.tasks.start(&task_id);
    let Some(path) = dialogs::save(&app, "Save the launch page", "openlearning-launch.html", ("Web page", &["html"])).await else {
        return Ok(None);
    };
    let (launch, _) = openlearning::sign_on(&state.cw, &request, &task.token).await?;
    std::fs::write(&path, html::page(&launch))
        .map_err(|e| CoreError::Invalid(format!("Could not write {}: {e}. Choose another folder.", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Makes a launch only to show its parameters (signature and nonce masked); it is then dropped.
#[tauri::command]
pub async fn launch_show(state: State<'_, AppState>, request: LaunchRequest, task_id: String) -> Result<LaunchSummary> {
    let task = state.tasks.start(&task_id);
    Ok(openlearning::sign_on(&state.cw, &request, &task.token).await?.1)
}

#[tauri::command]
pub async fn launch_import_roster<R: tauri::Runtime>(app: AppHandle<R>) -> Result<Option<Roster>> {
    let Some(path) = dialogs::open(&app, "Import a roster", "roster.csv", ("CSV or Excel", &["csv", "txt", "xlsx", "xls", "ods"])).await
    else {
        return Ok(None);
    };
    Ok(Some(openlearning::roster::read(&path)?))
}
