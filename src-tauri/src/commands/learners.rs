//! The Learners screen.

use crosswalk_core::openedx::MappingPage;
use tauri::State;

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
