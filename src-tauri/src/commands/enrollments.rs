//! The Enrollments screen: one-line adapters to `crosswalk_core::enrollments`.

use crosswalk_core::enrollments::results::{self, ResultsPreview, ResultsProgress, ResultsRequest, ResultsSent};
use crosswalk_core::enrollments::student_token::{self, StudentToken};
use crosswalk_core::enrollments::templates::{self, OfferingTemplate};
use crosswalk_core::enrollments::{
    self, AssociationDetail, AssociationImport, AssociationList, AssociationQuery, CreateOutcome, CreateRequest, PollProgress, PollReport,
};
use crosswalk_core::ooapi::check::{self, CheckInput, CheckReport, CheckToken};
use crosswalk_core::secret::SecretString;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::dialogs;
use crate::error::Result;
use crate::state::AppState;

#[tauri::command]
pub fn enrollments_list(state: State<'_, AppState>, query: AssociationQuery) -> Result<AssociationList> {
    Ok(enrollments::list(&state.cw, &query)?)
}

#[tauri::command]
pub fn enrollments_detail(state: State<'_, AppState>, id: i64) -> Result<AssociationDetail> {
    Ok(enrollments::detail(&state.cw, &id.to_string())?)
}

/// Asks the home side about one association now.
#[tauri::command]
pub async fn enrollments_check(state: State<'_, AppState>, id: i64) -> Result<AssociationDetail> {
    Ok(enrollments::refresh(&state.cw, &id.to_string(), &Default::default()).await?)
}

/// Polls every pending association of a connection; `cancel_task(task_id)` stops it and keeps
/// what was read.
#[tauri::command]
pub async fn enrollments_poll(
    state: State<'_, AppState>,
    connection_id: String,
    task_id: String,
    on_progress: Channel<PollProgress>,
) -> Result<PollReport> {
    let task = state.tasks.start(&task_id);
    Ok(enrollments::poll(&state.cw, &connection_id, crate::tasks::progress_to(on_progress), &task.token).await?)
}

/// Changes our side's state; returns the association and the home side's message.
#[tauri::command]
pub async fn enrollments_set_state(
    state: State<'_, AppState>,
    id: i64,
    remote_state: String,
) -> Result<(AssociationDetail, Option<String>)> {
    Ok(enrollments::set_remote_state(&state.cw, &id.to_string(), &remote_state, &Default::default()).await?)
}

#[tauri::command]
pub async fn enrollments_create(state: State<'_, AppState>, request: CreateRequest) -> Result<CreateOutcome> {
    Ok(enrollments::create(&state.cw, &request, &Default::default()).await?)
}

/// An example offering for the create form.
#[tauri::command]
pub fn enrollments_template(state: State<'_, AppState>, connection_id: String) -> Result<serde_json::Value> {
    let p = state.cw.profile(&connection_id)?;
    let host = enrollments::home::settings(&p).map(|_| "host.example.edu").unwrap_or("host.example.edu");
    Ok(enrollments::body::example_template(host))
}

/// The connection's saved offering templates, the most recently used first.
#[tauri::command]
pub fn enrollments_templates(state: State<'_, AppState>, connection_id: String) -> Result<Vec<OfferingTemplate>> {
    Ok(templates::list(&state.cw, &connection_id)?)
}

/// Saves an offering template (checked as a create would be; nothing is sent).
#[tauri::command]
pub fn enrollments_save_template(
    state: State<'_, AppState>,
    connection_id: String,
    template: serde_json::Value,
) -> Result<OfferingTemplate> {
    Ok(templates::save(&state.cw, &connection_id, &template)?)
}

#[tauri::command]
pub fn enrollments_delete_template(state: State<'_, AppState>, connection_id: String, offering_id: String) -> Result<()> {
    Ok(templates::delete(&state.cw, &connection_id, &offering_id)?)
}

/// Whose student token is pasted for the connection in this session, if any (never the token).
#[tauri::command]
pub fn enrollments_student_token(state: State<'_, AppState>, connection_id: String) -> Result<Option<StudentToken>> {
    Ok(student_token::current(&state.cw, &connection_id))
}

/// Checks a pasted student token with the home institution and keeps it in the keyring for the
/// session.
#[tauri::command]
pub async fn enrollments_paste_student_token(state: State<'_, AppState>, connection_id: String, token: String) -> Result<StudentToken> {
    Ok(student_token::paste(&state.cw, &connection_id, &SecretString::new(token), &Default::default()).await?)
}

#[tauri::command]
pub fn enrollments_forget_student_token(state: State<'_, AppState>, connection_id: String) -> Result<()> {
    Ok(student_token::forget(&state.cw, &connection_id)?)
}

/// Native open dialog; `None` when the person closed it.
#[tauri::command]
pub async fn enrollments_import<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    connection_id: String,
) -> Result<Option<AssociationImport>> {
    let Some(path) = dialogs::open(&app, "Import association ids", "associations.csv", ("CSV or Excel", &["csv", "xlsx"])).await else {
        return Ok(None);
    };
    Ok(Some(enrollments::import(&state.cw, &connection_id, &path)?))
}

/// Native save dialog; the path written, or `None`.
#[tauri::command]
pub async fn enrollments_export<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    query: AssociationQuery,
    format: String,
) -> Result<Option<String>> {
    let xlsx = format == "xlsx";
    let name = if xlsx { "crosswalk-enrollments.xlsx" } else { "crosswalk-enrollments.csv" };
    let filter: (&str, &[&str]) = if xlsx { ("Excel", &["xlsx"]) } else { ("CSV", &["csv"]) };
    let Some(path) = dialogs::save(&app, "Export enrollments", name, filter).await else {
        return Ok(None);
    };
    enrollments::export(&state.cw, &query, &path)?;
    Ok(Some(path.display().to_string()))
}

/// What a grade return would send (matches, bodies, warnings); sends nothing. `cancel_task(task_id)`
/// stops a reconciliation being read again.
#[tauri::command]
pub async fn enrollments_results_preview(state: State<'_, AppState>, request: ResultsRequest, task_id: String) -> Result<ResultsPreview> {
    let task = state.tasks.start(&task_id);
    Ok(results::preview(&state.cw, &request, &task.token).await?)
}

/// Sends the chosen rows' results (by source line); `cancel_task(task_id)` stops before the next
/// row and keeps what was sent.
#[tauri::command]
pub async fn enrollments_results_send(
    state: State<'_, AppState>,
    request: ResultsRequest,
    lines: Vec<u64>,
    task_id: String,
    on_progress: Channel<ResultsProgress>,
) -> Result<ResultsSent> {
    let task = state.tasks.start(&task_id);
    Ok(results::send(&state.cw, &request, Some(&lines), crate::tasks::progress_to(on_progress), &task.token).await?)
}

/// Native open dialog for a results file; `None` when the person closed it.
#[tauri::command]
pub async fn enrollments_results_file<R: tauri::Runtime>(app: AppHandle<R>) -> Result<Option<String>> {
    let path = dialogs::open(&app, "Choose a results file", "results.csv", ("CSV or Excel", &["csv", "xlsx"])).await;
    Ok(path.map(|p| p.display().to_string()))
}

/// Runs the endpoint check of our own home endpoints; `cancel_task(task_id)` stops it (test
/// associations already created are still canceled). In demo mode a demo test student's token
/// (and a scope-less one for the 403 checks) comes from the built-in sandbox.
#[tauri::command]
pub async fn endpoint_check_run(state: State<'_, AppState>, input: CheckInput, task_id: String) -> Result<CheckReport> {
    let task = state.tasks.start(&task_id);
    let demo = match (&input.token, state.sandbox.as_ref()) {
        (CheckToken::DemoStudent, Some(sandbox)) => Some(crosswalk_demo::check_tokens(sandbox)?),
        _ => None,
    };
    let request = input.into_request(demo)?;
    Ok(check::run(&state.cw, &request, &task.token).await?)
}

/// The last endpoint check of a connection, when there was one.
#[tauri::command]
pub fn endpoint_check_last(state: State<'_, AppState>, profile_id: String) -> Result<Option<CheckReport>> {
    Ok(check::runs::last(&state.cw, &profile_id)?)
}

/// Saves the last endpoint check of a connection as `html`, `json` or `junit` (native save
/// dialog); `None` when the person closed it.
#[tauri::command]
pub async fn endpoint_check_save<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    profile_id: String,
    format: String,
) -> Result<Option<String>> {
    let report = check::runs::last(&state.cw, &profile_id)?
        .ok_or_else(|| crosswalk_core::Error::NotFound("This connection has no endpoint check yet: run one first.".into()))?;
    let (name, filter): (&str, (&str, &[&str])) = match format.as_str() {
        "html" => ("endpoint-check.html", ("Web page", &["html"])),
        "json" => ("endpoint-check.json", ("JSON", &["json"])),
        "junit" => ("endpoint-check-junit.xml", ("JUnit XML", &["xml"])),
        other => return Err(crosswalk_core::Error::Invalid(format!("Unknown report format \"{other}\": html, json or junit.")).into()),
    };
    let Some(path) = dialogs::save(&app, "Save the endpoint check report", name, filter).await else { return Ok(None) };
    // The format is the one asked for, whatever the file is called.
    let body = match format.as_str() {
        "html" => check::report::html(&report),
        "json" => check::report::json(&report),
        _ => check::report::junit(&report),
    };
    std::fs::write(&path, body).map_err(|e| {
        crosswalk_core::Error::Invalid(format!("The report could not be saved to {}: {e}. Choose another folder.", path.display()))
    })?;
    Ok(Some(path.display().to_string()))
}
