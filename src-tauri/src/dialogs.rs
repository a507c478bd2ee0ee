//! Native file dialogs, asked from the Rust side so the webview needs no file-system permission.
//!
//! WebDriver cannot drive a native dialog, so end-to-end tests set `CROSSWALK_TEST_DIALOG_DIR`:
//! a save dialog then answers `<dir>/<suggested name>` and an open dialog `<dir>/<suggested name>`
//! too, without showing anything. Release builds ignore the variable.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FilePath};

const TEST_DIR_ENV: &str = "CROSSWALK_TEST_DIALOG_DIR";

fn test_answer(name: &str) -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        std::env::var_os(TEST_DIR_ENV).map(|d| PathBuf::from(d).join(name))
    } else {
        None
    }
}

fn into_path(p: Option<FilePath>) -> Option<PathBuf> {
    p.and_then(|f| f.into_path().ok())
}

/// A path the person chose: Crosswalk may later show it in its folder (`reveal_path`).
fn chosen<R: tauri::Runtime>(app: &AppHandle<R>, path: Option<PathBuf>) -> Option<PathBuf> {
    if let (Some(p), Some(state)) = (&path, app.try_state::<crate::state::AppState>()) {
        state.cw.remember_file(p);
    }
    path
}

/// Asks where to save `suggested` (e.g. `connections.json`); `None` when the person cancels.
pub async fn save<R: tauri::Runtime>(app: &AppHandle<R>, title: &str, suggested: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    chosen(app, ask_save(app, title, suggested, filter).await)
}

async fn ask_save<R: tauri::Runtime>(app: &AppHandle<R>, title: &str, suggested: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    if let Some(p) = test_answer(suggested) {
        return Some(p);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).set_file_name(suggested).add_filter(filter.0, filter.1).save_file(move |p| {
        let _ = tx.send(into_path(p));
    });
    rx.await.ok().flatten()
}

/// Asks for a file to open; `None` when the person cancels.
pub async fn open<R: tauri::Runtime>(app: &AppHandle<R>, title: &str, suggested: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    chosen(app, ask_open(app, title, suggested, filter).await)
}

async fn ask_open<R: tauri::Runtime>(app: &AppHandle<R>, title: &str, suggested: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    if let Some(p) = test_answer(suggested) {
        return Some(p);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).add_filter(filter.0, filter.1).pick_file(move |p| {
        let _ = tx.send(into_path(p));
    });
    rx.await.ok().flatten()
}
