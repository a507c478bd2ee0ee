//! The Connections screen.

use crosswalk_core::profiles::{self, ProfileView};
use tauri::State;

use crate::error::Result;
use crate::state::AppState;

#[tauri::command]
pub fn list_connections(state: State<'_, AppState>) -> Result<Vec<ProfileView>> {
    Ok(profiles::views(&state.cw)?)
}
