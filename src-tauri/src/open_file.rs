//! Files handed to the app from outside: on its command line (`crosswalk-desktop report.csv`), or
//! to a second launch, which the single-instance plugin turns into a message to the running
//! window (focused, and brought to the screen that takes the file: see
//! `crosswalk_core::opened`). The UI is told by the `open-file` event and takes the file with
//! `take_opened_file`, so a file given at start-up waits until the window is ready.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crosswalk_core::opened::{self, OpenedFile};
use tauri::{AppHandle, Emitter, Manager};

/// The file the UI has not taken yet.
#[derive(Default)]
pub struct PendingOpen(pub Mutex<Option<OpenedFile>>);

/// The file among a launch's arguments, resolved against the launch's working folder.
pub fn file_arg(argv: &[String], cwd: &str) -> Option<PathBuf> {
    use clap::Parser;
    let args = crate::Args::try_parse_from(argv).ok()?;
    let file = args.file?;
    Some(if file.is_absolute() { file } else { Path::new(cwd).join(file) })
}

/// Brings the main window to the front.
pub fn focus(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Reads `path` off the UI thread, keeps it for the UI and tells the UI.
pub fn route(app: &AppHandle, path: PathBuf) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let read = path.clone();
        let opened = tokio::task::spawn_blocking(move || opened::route(&read)).await.unwrap_or_else(|e| OpenedFile::Unreadable {
            path: path.display().to_string(),
            reason: format!("the file could not be read ({e})"),
        });
        tracing::info!(file = %path.display(), "a file was handed to the app");
        if let Some(state) = app.try_state::<crate::state::AppState>() {
            state.cw.remember_file(&path);
        }
        *app.state::<PendingOpen>().0.lock().unwrap_or_else(|p| p.into_inner()) = Some(opened);
        let _ = app.emit("open-file", ());
    });
}
