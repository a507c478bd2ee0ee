//! The Grades screen: open a report (dialog, drop, or the demo one), match it, page its rows,
//! preview and export, and reopen saved reconciliations.

use std::path::{Path, PathBuf};

use crosswalk_core::grades::{
    self, ExportOptions, ExportPreview, ExportResult, GradeFile, GradeRowPage, OutputFormat, ReconcileProgress, ReconcileRequest,
    Reconciliation, ReconciliationRecord, RowStatus,
};
use crosswalk_core::Error as CoreError;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::Result;
use crate::state::AppState;

const REPORTS: (&str, &[&str]) = ("Grade reports (CSV or Excel)", &["csv", "txt", "tsv", "xlsx", "xls", "ods"]);

#[tauri::command]
pub async fn grades_open_report<R: tauri::Runtime>(app: AppHandle<R>) -> Result<Option<GradeFile>> {
    let Some(path) = dialogs::open(&app, "Open a grade report", "grade_report.csv", REPORTS).await else { return Ok(None) };
    Ok(Some(inspect(path).await?))
}

async fn inspect(path: PathBuf) -> Result<GradeFile> {
    Ok(tokio::task::spawn_blocking(move || grades::inspect(&path))
        .await
        .map_err(|e| CoreError::Invalid(format!("The report could not be read ({e}).")))??)
}

/// A file dropped on the window.
#[tauri::command]
pub async fn grades_inspect(path: String) -> Result<GradeFile> {
    inspect(PathBuf::from(path)).await
}

/// Demo mode: a course grade report of demo learners, written to the data folder.
#[tauri::command]
pub async fn grades_demo_report(state: State<'_, AppState>) -> Result<GradeFile> {
    let Some(sandbox) = &state.sandbox else {
        return Err(
            CoreError::Invalid("The demo grade report exists only in demo mode. Open one of your own reports instead.".into()).into()
        );
    };
    let path = state.cw.dirs.data.join("demo").join("demo_course_grade_report.csv");
    crosswalk_demo::write_grade_report(sandbox, &path)?;
    inspect(path).await
}

#[tauri::command]
pub async fn grades_reconcile(
    state: State<'_, AppState>,
    request: ReconcileRequest,
    task_id: String,
    on_progress: Channel<ReconcileProgress>,
) -> Result<Reconciliation> {
    let task = state.tasks.start(&task_id);
    Ok(grades::reconcile(&state.cw, &request, crate::tasks::progress_to(on_progress), &task.token).await?)
}

#[tauri::command]
pub async fn grades_reopen(
    state: State<'_, AppState>,
    id: i64,
    task_id: String,
    on_progress: Channel<ReconcileProgress>,
) -> Result<Reconciliation> {
    let task = state.tasks.start(&task_id);
    Ok(grades::reopen(&state.cw, id, crate::tasks::progress_to(on_progress), &task.token).await?)
}

#[tauri::command]
pub async fn grades_rows(state: State<'_, AppState>, id: i64, status: Option<RowStatus>, offset: u64, limit: u32) -> Result<GradeRowPage> {
    let cw = state.cw.clone();
    Ok(tokio::task::spawn_blocking(move || grades::rows(&cw, id, status, offset, limit.min(1_000)))
        .await
        .map_err(|e| CoreError::Invalid(format!("The rows could not be read ({e}).")))??)
}

#[tauri::command]
pub async fn grades_preview(state: State<'_, AppState>, id: i64, options: ExportOptions) -> Result<ExportPreview> {
    let cw = state.cw.clone();
    Ok(tokio::task::spawn_blocking(move || grades::preview(&cw, id, &options, 20))
        .await
        .map_err(|e| CoreError::Invalid(format!("The preview could not be made ({e}).")))??)
}

/// Asks where to save the export; the error file (if any row cannot be exported) goes beside it.
#[tauri::command]
pub async fn grades_export<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    options: ExportOptions,
) -> Result<Option<ExportResult>> {
    let record = grades::record(&state.cw, id)?;
    let stem = Path::new(&record.file_name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "grades".into());
    let (ext, filter): (&str, (&str, &[&str])) = match options.format {
        OutputFormat::Csv => ("csv", ("CSV", &["csv"])),
        OutputFormat::Xlsx => ("xlsx", ("Excel", &["xlsx"])),
    };
    let suggested = format!("{stem}-{}.{ext}", options.template.as_str());
    let Some(out) = dialogs::save(&app, "Export grades", &suggested, filter).await else { return Ok(None) };
    let cw = state.cw.clone();
    Ok(Some(
        tokio::task::spawn_blocking(move || grades::export(&cw, id, &options, &out, None))
            .await
            .map_err(|e| CoreError::Invalid(format!("The export could not be written ({e}).")))??,
    ))
}

#[tauri::command]
pub fn grades_history(state: State<'_, AppState>, limit: u32) -> Result<Vec<ReconciliationRecord>> {
    Ok(grades::history(&state.cw, limit.min(500))?)
}

#[tauri::command]
pub fn grades_last_options(state: State<'_, AppState>, id: i64) -> Result<Option<ExportOptions>> {
    Ok(grades::last_options(&state.cw, id)?)
}
