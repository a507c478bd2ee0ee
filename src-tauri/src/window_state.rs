//! The main window's size, position and maximised state, remembered across launches in
//! `window.json` in the data folder (so `--data-dir` keeps it apart, like everything else).
//!
//! Saved half a second after the window stops moving or resizing (a drag fires many events; the
//! file is written once, off the UI thread) and at once when it closes; restored before the
//! window is shown.
//! A position that would put the window off every monitor (a screen unplugged since) is not
//! restored: the window then opens where the OS puts it, at the remembered size.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, WindowEvent};

const FILE: &str = "window.json";

/// The smallest size restored (the window's own minimum is 900 × 600 logical pixels).
const MIN: (u32, u32) = (640, 480);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowState {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub maximized: bool,
}

/// A monitor's area in physical pixels: x, y, width, height.
pub type Area = (i32, i32, u32, u32);

impl WindowState {
    /// Whether at least a 100 × 50 corner of the title bar area lands on one of `monitors`, so the
    /// user can grab the window. Without monitor information the position is trusted.
    pub fn reachable(&self, monitors: &[Area]) -> bool {
        monitors.is_empty()
            || monitors.iter().any(|&(mx, my, mw, mh)| {
                let (right, bottom) = (i64::from(mx) + i64::from(mw), i64::from(my) + i64::from(mh));
                i64::from(self.x) + 100 <= right
                    && i64::from(self.x) + i64::from(self.width) >= i64::from(mx) + 100
                    && i64::from(self.y) >= i64::from(my) - 10
                    && i64::from(self.y) + 50 <= bottom
            })
    }
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// The remembered state, if any and readable (a broken file is ignored, and replaced at the next save).
pub fn load(data_dir: &Path) -> Option<WindowState> {
    let text = std::fs::read_to_string(path(data_dir)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the state through a temporary file, so a crash mid-write never leaves half a file.
pub fn save(data_dir: &Path, state: &WindowState) -> std::io::Result<()> {
    let tmp = data_dir.join(format!("{FILE}.tmp"));
    std::fs::write(&tmp, serde_json::to_vec_pretty(state)?)?;
    std::fs::rename(tmp, path(data_dir))
}

/// How long after the last move or resize the state is written.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(500);

/// What was last written, and the newest state not written yet (a write is then scheduled).
#[derive(Default)]
pub struct LastSaved(Mutex<Slots>);

#[derive(Default)]
pub struct Slots {
    saved: Option<WindowState>,
    pending: Option<WindowState>,
}

fn lock(last: &LastSaved) -> std::sync::MutexGuard<'_, Slots> {
    last.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes the pending state, if it differs from the one written.
fn flush(last: &LastSaved, data_dir: &Path) {
    let mut slots = lock(last);
    let Some(state) = slots.pending.take() else { return };
    if slots.saved == Some(state) {
        return;
    }
    match save(data_dir, &state) {
        Ok(()) => slots.saved = Some(state),
        Err(e) => tracing::warn!("could not remember the window's size and place ({e})"),
    }
}

/// Applies the remembered state to `window` (before it is shown).
pub fn restore<R: Runtime>(window: &WebviewWindow<R>, data_dir: &Path) {
    let Some(state) = load(data_dir) else { return };
    let width = state.width.max(MIN.0);
    let height = state.height.max(MIN.1);
    drop(window.set_size(PhysicalSize::new(width, height)));
    let monitors: Vec<Area> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|m| (m.position().x, m.position().y, m.size().width, m.size().height))
        .collect();
    if state.reachable(&monitors) {
        drop(window.set_position(PhysicalPosition::new(state.x, state.y)));
    } else {
        tracing::info!("the remembered window position is off every screen; the window opens where the system puts it");
    }
    if state.maximized {
        drop(window.maximize());
    }
    if let Some(last) = window.try_state::<LastSaved>() {
        lock(&last).saved = Some(state);
    }
}

/// Notes the window's state after it was moved or resized (written once it settles), and writes
/// it when the window closes.
pub fn on_event<R: Runtime>(window: &tauri::Window<R>, event: &WindowEvent, data_dir: &Path) {
    let closing = matches!(event, WindowEvent::CloseRequested { .. });
    if !(closing || matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_))) || window.label() != "main" {
        return;
    }
    let Some(last) = window.try_state::<LastSaved>() else { return };
    if !window.is_minimized().unwrap_or(false) {
        let maximized = window.is_maximized().unwrap_or(false);
        let mut slots = lock(&last);
        // A maximised window keeps the size and place it had before, to return to when un-maximised.
        let before = slots.pending.or(slots.saved);
        let state = match (maximized, before) {
            (true, Some(before)) => Some(WindowState { maximized: true, ..before }),
            _ => match (window.outer_position(), window.inner_size()) {
                (Ok(pos), Ok(size)) => Some(WindowState { x: pos.x, y: pos.y, width: size.width, height: size.height, maximized }),
                _ => None,
            },
        };
        if let Some(state) = state.filter(|s| slots.saved != Some(*s)) {
            let scheduled = slots.pending.replace(state).is_some();
            if !scheduled && !closing {
                let (app, data_dir) = (window.app_handle().clone(), data_dir.to_path_buf());
                std::thread::spawn(move || {
                    std::thread::sleep(SETTLE);
                    if let Some(last) = app.try_state::<LastSaved>() {
                        flush(&last, &data_dir);
                    }
                });
            }
        }
    }
    if closing {
        flush(&last, data_dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: Area = (0, 0, 1920, 1080);

    #[test]
    fn a_window_on_screen_is_reachable_and_one_off_every_screen_is_not() {
        let on = WindowState { x: 100, y: 80, width: 1200, height: 800, maximized: false };
        assert!(on.reachable(&[SCREEN]));
        assert!(!WindowState { x: 2500, ..on }.reachable(&[SCREEN]), "right of the only screen");
        assert!(!WindowState { y: -900, ..on }.reachable(&[SCREEN]), "title bar above the screen");
        assert!(WindowState { x: 2500, ..on }.reachable(&[SCREEN, (1920, 0, 1920, 1080)]), "on the second screen");
        assert!(on.reachable(&[]), "no monitor information: trusted");
    }

    #[test]
    fn state_round_trips_and_a_broken_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
        let s = WindowState { x: -10, y: 20, width: 1000, height: 700, maximized: true };
        save(dir.path(), &s).unwrap();
        assert_eq!(load(dir.path()), Some(s));
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        assert_eq!(load(dir.path()), None);
    }
}
