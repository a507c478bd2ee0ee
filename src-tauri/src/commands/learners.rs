//! The Learners screen: browse, look up (cache then live), bulk lookups with progress and cancel,
//! provider mirrors and their history, one learner's links, and provider permissions.

use crosswalk_core::id_file::IdFile;
use crosswalk_core::learners::LearnerLinks;
use crosswalk_core::lookup::{self, LookupProgress, LookupRequest, LookupResult};
use crosswalk_core::mirror::{self, MirrorChange, MirrorStatus, SyncOptions, SyncProgress, SyncRecord};
use crosswalk_core::openedx::{Mapping, MappingPage};
use crosswalk_core::permissions::{self, PermissionRow};
use crosswalk_core::profiles::{self, ProfileView};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::Result;
use crate::state::AppState;

#[tauri::command]
pub async fn browse_mappings(
    state: State<'_, AppState>,
    connection_id: String,
    provider_id: String,
    page: u32,
    page_size: u32,
) -> Result<MappingPage> {
    Ok(crosswalk_core::learners::browse(&state.cw, &connection_id, &provider_id, page, page_size).await?)
}

/// Answers from the mirrors at once (works offline).
#[tauri::command]
pub fn lookup_cached(state: State<'_, AppState>, request: LookupRequest) -> Result<LookupResult> {
    Ok(lookup::cached(&state.cw, &request)?)
}

/// Asks the LMS, reporting progress on `on_progress`; `cancel_task(task_id)` stops it and keeps
/// what arrived.
#[tauri::command]
pub async fn lookup_live(
    state: State<'_, AppState>,
    request: LookupRequest,
    task_id: String,
    on_progress: Channel<LookupProgress>,
) -> Result<LookupResult> {
    let task = state.tasks.start(&task_id);
    Ok(lookup::live(&state.cw, &request, crate::tasks::progress_to(on_progress), &task.token).await?)
}

#[tauri::command]
pub fn cancel_task(state: State<'_, AppState>, task_id: String) -> bool {
    state.tasks.cancel(&task_id)
}

/// Copies all of a provider's mappings into the mirror.
#[tauri::command]
pub async fn sync_provider(
    state: State<'_, AppState>,
    connection_id: String,
    provider_id: String,
    task_id: String,
    on_progress: Channel<SyncProgress>,
) -> Result<SyncRecord> {
    let task = state.tasks.start(&task_id);
    Ok(mirror::sync(&state.cw, &connection_id, &provider_id, SyncOptions::default(), crate::tasks::progress_to(on_progress), &task.token)
        .await?)
}

#[tauri::command]
pub fn mirror_status(state: State<'_, AppState>, connection_id: String) -> Result<Vec<MirrorStatus>> {
    let p = state.cw.profile(&connection_id)?;
    let providers = p.openedx()?.providers.clone();
    providers
        .into_iter()
        .map(|provider_id| {
            Ok(MirrorStatus {
                size: mirror::size(&state.cw, &p.id, &provider_id)?,
                last_sync: mirror::last_sync(&state.cw, &p.id, &provider_id)?,
                provider_id,
            })
        })
        .collect()
}

#[tauri::command]
pub fn mirror_history(state: State<'_, AppState>, connection_id: String, provider_id: String) -> Result<Vec<SyncRecord>> {
    let p = state.cw.profile(&connection_id)?;
    Ok(mirror::history(&state.cw, &p.id, &provider_id, 50)?)
}

#[tauri::command]
pub fn mirror_changes(state: State<'_, AppState>, sync_id: i64) -> Result<Vec<MirrorChange>> {
    Ok(mirror::changes(&state.cw, sync_id, 5_000)?)
}

#[tauri::command]
pub fn search_mirror(state: State<'_, AppState>, connection_id: String, provider_id: String, text: String) -> Result<Vec<Mapping>> {
    let p = state.cw.profile(&connection_id)?;
    Ok(mirror::search(&state.cw, &p.id, &provider_id, &text, 500)?)
}

#[tauri::command]
pub async fn learner_links(state: State<'_, AppState>, connection_id: String, username: String) -> Result<LearnerLinks> {
    Ok(crosswalk_core::learners::links(&state.cw, &connection_id, &username).await?)
}

#[tauri::command]
pub async fn check_permissions(state: State<'_, AppState>, connection_ids: Vec<String>) -> Result<Vec<PermissionRow>> {
    Ok(permissions::matrix(&state.cw, &connection_ids, &[]).await?)
}

/// Replaces the provider ids a saved Open edX connection watches.
#[tauri::command]
pub fn set_watched_providers(state: State<'_, AppState>, connection_id: String, providers: Vec<String>) -> Result<ProfileView> {
    let updated = profiles::set_watched_providers(&state.cw, &connection_id, providers)?;
    Ok(profiles::view(&state.cw, updated)?)
}

#[tauri::command]
pub async fn import_ids<R: tauri::Runtime>(app: AppHandle<R>) -> Result<Option<IdFile>> {
    let Some(path) = dialogs::open(&app, "Import identifiers", "ids.csv", ("CSV or Excel", &["csv", "txt", "xlsx", "xls", "ods"])).await
    else {
        return Ok(None);
    };
    let (ids, mode) = crosswalk_core::id_file::read(&path)?;
    Ok(Some(IdFile { file: path.display().to_string(), ids, mode }))
}

/// Writes lookup rows as CSV or XLSX to a file the person picks. Returns the path, or `None`.
#[tauri::command]
pub async fn export_lookup<R: tauri::Runtime>(
    app: AppHandle<R>,
    rows: Vec<lookup::LookupRowInput>,
    not_found: Vec<String>,
    not_checked: Vec<lookup::NotChecked>,
    format: String,
) -> Result<Option<String>> {
    let xlsx = format == "xlsx";
    let name = if xlsx { "crosswalk-learners.xlsx" } else { "crosswalk-learners.csv" };
    let filter: (&str, &[&str]) = if xlsx { ("Excel", &["xlsx"]) } else { ("CSV", &["csv"]) };
    let Some(path) = dialogs::save(&app, "Export learners", name, filter).await else {
        return Ok(None);
    };
    // The same layout as `crosswalk learners lookup --csv`.
    let table = lookup::export_lines(&rows, &not_found, &not_checked);
    if xlsx {
        crosswalk_core::id_file::write_xlsx(&path, &lookup::EXPORT_HEADER, &table)?;
    } else {
        crosswalk_core::id_file::write_csv(&path, &lookup::EXPORT_HEADER, &table, true)?;
    }
    Ok(Some(path.display().to_string()))
}
