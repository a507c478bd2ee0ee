//! The Crosswalk desktop app: a thin Tauri shell over `crosswalk-core`.
//!
//! Each command in `commands/` is a one-line adapter from the UI's typed `invoke` to a core
//! function; no rule lives here.

mod commands;
mod demo;
mod dialogs;
mod error;
mod state;
mod tasks;

use std::path::PathBuf;

use clap::Parser;
use crosswalk_core::activity::Face;
use crosswalk_core::paths::DataDirs;
use crosswalk_core::Crosswalk;
use tauri::Manager;

/// Command-line options of the desktop app (`crosswalk-desktop --help`).
#[derive(Debug, Parser)]
#[command(
    name = "crosswalk-desktop",
    version,
    about = "Crosswalk: one console over Open edX ID mapping, OpenLearning SSO and OOAPI enrollment"
)]
struct Args {
    /// Keep the database and logs in this folder instead of the OS's app-data folder.
    #[arg(long, env = crosswalk_core::paths::DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Start in demo mode against the built-in sandbox, whatever is configured.
    #[arg(long)]
    demo: bool,
}

/// Starts the app. Exits with a message on stderr when the data folder cannot be used.
pub fn run() {
    let args = Args::parse();
    if let Err(message) = start(args) {
        eprintln!("Crosswalk could not start: {message}");
        std::process::exit(1);
    }
}

fn start(args: Args) -> Result<(), String> {
    let dirs = DataDirs::resolve(args.data_dir.as_deref()).map_err(|e| e.to_string())?;
    dirs.create().map_err(|e| e.to_string())?;
    let _log_guard = crosswalk_core::logging::init(&dirs.logs, "crosswalk-desktop", cfg!(debug_assertions)).map_err(|e| e.to_string())?;
    tracing::info!(data = %dirs.data.display(), logs = %dirs.logs.display(), "starting Crosswalk {}", env!("CARGO_PKG_VERSION"));
    let cw = Crosswalk::open(dirs, Face::App).map_err(|e| e.to_string())?;
    // With no connection configured, start on demo data so a newcomer sees data flowing.
    let want_demo = args.demo || crosswalk_core::profiles::count(&cw).map_err(|e| e.to_string())? == 0;

    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(move |app| {
            let sandbox = if want_demo {
                Some(tauri::async_runtime::block_on(demo::start(&cw)).map_err(|e| format!("the built-in sandbox did not start: {e}"))?)
            } else {
                None
            };
            app.manage(state::AppState { cw, sandbox, tasks: tasks::Tasks::default() });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::open_logs_folder,
            commands::connections::list_connections,
            commands::connections::create_connection,
            commands::connections::update_connection,
            commands::connections::duplicate_connection,
            commands::connections::delete_connection,
            commands::connections::set_secret,
            commands::connections::clear_secret,
            commands::connections::test_connection,
            commands::connections::export_connections,
            commands::connections::import_connections,
            commands::learners::browse_mappings,
            commands::learners::lookup_cached,
            commands::learners::lookup_live,
            commands::learners::cancel_task,
            commands::learners::sync_provider,
            commands::learners::mirror_status,
            commands::learners::mirror_history,
            commands::learners::mirror_changes,
            commands::learners::search_mirror,
            commands::learners::learner_links,
            commands::learners::check_permissions,
            commands::learners::set_watched_providers,
            commands::learners::import_ids,
            commands::learners::export_lookup,
            commands::activity::list_activity,
            commands::app::reveal_path,
            commands::grades::grades_open_report,
            commands::grades::grades_inspect,
            commands::grades::grades_demo_report,
            commands::grades::grades_reconcile,
            commands::grades::grades_reopen,
            commands::grades::grades_rows,
            commands::grades::grades_preview,
            commands::grades::grades_export,
            commands::grades::grades_history,
            commands::grades::grades_last_options,
            commands::launch::openlearning_find_user,
            commands::launch::openlearning_known_users,
            commands::launch::launch_open,
            commands::launch::launch_copy_html,
            commands::launch::launch_save_html,
            commands::launch::launch_show,
            commands::launch::launch_import_roster,
        ])
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not be opened: {e}"))?;
    Ok(())
}
