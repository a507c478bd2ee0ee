//! Schedules of the core's periodic work (mirror syncs, enrollment polling).

use crosswalk_core::jobs::{self, Job, JobKind};
use tauri::State;

use crate::error::Result;
use crate::state::AppState;

#[tauri::command]
pub fn jobs_list(state: State<'_, AppState>) -> Result<Vec<Job>> {
    Ok(jobs::list(&state.cw)?)
}

#[tauri::command]
pub fn jobs_set(state: State<'_, AppState>, kind: JobKind, connection_id: String, every_minutes: u32, enabled: bool) -> Result<Job> {
    Ok(jobs::set(&state.cw, kind, &connection_id, every_minutes, enabled)?)
}
