//! The Activity screen.

use crosswalk_core::activity::{ActivityList, ActivityQuery};
use tauri::State;

use crate::error::Result;
use crate::state::AppState;

#[tauri::command]
pub fn list_activity(state: State<'_, AppState>, query: ActivityQuery) -> Result<ActivityList> {
    Ok(state.cw.activity.list(&query)?)
}
