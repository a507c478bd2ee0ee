//! The Connections screen: profiles, their keyring secrets, "Test connection", export and import.

use crosswalk_core::connection::{ProfileDraft, SecretField};
use crosswalk_core::connection_check::{self, ConnectionCheck};
use crosswalk_core::profiles::{self, ImportReport, ProfileView};
use crosswalk_core::secret::SecretString;
use crosswalk_core::Error as CoreError;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::Result;
use crate::state::AppState;

const JSON: (&str, &[&str]) = ("Crosswalk connections", &["json"]);

#[tauri::command]
pub fn list_connections(state: State<'_, AppState>) -> Result<Vec<ProfileView>> {
    Ok(profiles::views(&state.cw)?)
}

#[tauri::command]
pub fn create_connection(state: State<'_, AppState>, draft: ProfileDraft) -> Result<ProfileView> {
    let p = profiles::create(&state.cw, draft)?;
    Ok(profiles::view(&state.cw, p)?)
}

#[tauri::command]
pub fn update_connection(state: State<'_, AppState>, id: String, draft: ProfileDraft) -> Result<ProfileView> {
    let p = profiles::update(&state.cw, &id, draft)?;
    state.cw.forget_profile(&p.id);
    Ok(profiles::view(&state.cw, p)?)
}

#[tauri::command]
pub fn duplicate_connection(state: State<'_, AppState>, id: String) -> Result<ProfileView> {
    let p = profiles::duplicate(&state.cw, &id)?;
    Ok(profiles::view(&state.cw, p)?)
}

#[tauri::command]
pub fn delete_connection(state: State<'_, AppState>, id: String) -> Result<()> {
    profiles::delete(&state.cw, &id)?;
    Ok(())
}

/// The value travels from the UI to the keyring only; nothing sends it back.
#[tauri::command]
pub fn set_secret(state: State<'_, AppState>, id: String, field: SecretField, value: String) -> Result<ProfileView> {
    let (p, _) = profiles::set_secret(&state.cw, &id, Some(field), &SecretString::new(value))?;
    Ok(profiles::view(&state.cw, p)?)
}

#[tauri::command]
pub fn clear_secret(state: State<'_, AppState>, id: String, field: SecretField) -> Result<ProfileView> {
    let (p, _) = profiles::clear_secret(&state.cw, &id, Some(field))?;
    Ok(profiles::view(&state.cw, p)?)
}

#[tauri::command]
pub async fn test_connection(state: State<'_, AppState>, id: String) -> Result<ConnectionCheck> {
    Ok(connection_check::check(&state.cw, &id).await?)
}

/// Writes the chosen profiles (all when `ids` is empty) to a file the person picks. Returns the
/// path, or `None` when they cancel.
#[tauri::command]
pub async fn export_connections<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<Option<String>> {
    let doc = profiles::export(&state.cw, &ids)?;
    let Some(path) = dialogs::save(&app, "Export connections (no secrets)", "crosswalk-connections.json", JSON).await else {
        return Ok(None);
    };
    let text = serde_json::to_string_pretty(&doc).expect("export serialises") + "\n";
    std::fs::write(&path, text)
        .map_err(|e| CoreError::Invalid(format!("Could not write {}: {e}. Choose another folder.", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Reads an export file the person picks. `None` when they cancel.
#[tauri::command]
pub async fn import_connections<R: tauri::Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<ImportReport>> {
    let Some(path) = dialogs::open(&app, "Import connections", "crosswalk-connections.json", JSON).await else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| CoreError::Invalid(format!("Could not read {}: {e}.", path.display())))?;
    Ok(Some(profiles::import(&state.cw, &text)?))
}
