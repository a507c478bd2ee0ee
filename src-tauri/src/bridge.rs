//! Test-only: the app's one command list served over HTTP on loopback, so the browser suite
//! (Playwright, `ui/tests/browser/real/`) drives the real core — the same command adapters, the
//! same rules, the same SQLite file — with the built-in sandbox behind it, instead of the
//! hand-written mock. GitButler runs its Playwright suite against `but-server` the same way.
//!
//! The commands run inside Tauri's mock runtime (`tauri::test`), through the same
//! `invoke_handler(with_commands!(handler))` and the same capability file as the window, so a
//! command the window may not call is refused here too. Built only with `--features bridge`
//! (`cargo build --features bridge --bin crosswalk-bridge`); never part of what ships.
//!
//! `POST /invoke/<command>` with the arguments as a JSON object answers `{"ok": value}` or
//! `{"error": value}` (the same value the window's `invoke` rejects with). `GET /health` answers
//! once the sandbox and the core are up.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use clap::Parser;
use crosswalk_core::activity::Face;
use crosswalk_core::paths::DataDirs;
use crosswalk_core::Crosswalk;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::MockRuntime;
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

use crate::commands;

/// Commands that reach the desktop itself (clipboard, file manager, log folder): the mock
/// runtime has no desktop, so these answer a plain refusal and stay with the hand-written mock.
const DESKTOP_ONLY: &[&str] = &["copy_problem_report", "open_logs_folder", "reveal_path", "launch_copy_html"];

/// `crosswalk-bridge --help`.
#[derive(Debug, Parser)]
#[command(name = "crosswalk-bridge", about = "Test-only: Crosswalk's app commands over loopback HTTP, in demo mode")]
struct Args {
    /// An empty (or missing) folder for this run's database, logs and the files dialogs "choose".
    #[arg(long, value_name = "DIR")]
    data_dir: PathBuf,
    /// The loopback port to listen on.
    #[arg(long, default_value_t = 41732)]
    port: u16,
}

macro_rules! handler {
    ($($module:ident :: $name:ident => $doing:literal,)*) => {
        tauri::generate_handler![$(commands::$module::$name),*]
    };
}

/// Runs the bridge until it is killed.
pub fn main() {
    let args = Args::parse();
    if let Err(message) = serve(args) {
        eprintln!("crosswalk-bridge: {message}");
        std::process::exit(1);
    }
}

fn serve(args: Args) -> Result<(), String> {
    std::fs::create_dir_all(&args.data_dir).map_err(|e| format!("{}: {e}", args.data_dir.display()))?;
    if std::fs::read_dir(&args.data_dir).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} is not empty: give the bridge a fresh folder", args.data_dir.display()));
    }
    let root = std::fs::canonicalize(&args.data_dir).map_err(|e| e.to_string())?;
    // What the save and open dialogs "choose", and where a launch "opened in the browser" goes
    // (debug builds honour these, as in the end-to-end tests). Set before any thread starts.
    for (var, sub) in [("CROSSWALK_TEST_DIALOG_DIR", "chosen"), ("CROSSWALK_TEST_OPEN_URL_DIR", "opened")] {
        let dir = root.join(sub);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::env::set_var(var, &dir);
    }
    let dirs = DataDirs::under(root.join("crosswalk"));
    dirs.create().map_err(|e| e.to_string())?;
    let cw = Crosswalk::open(dirs, Face::App).map_err(|e| e.to_string())?;
    let sandbox = tauri::async_runtime::block_on(crosswalk_demo::start(&cw)).map_err(|e| format!("the sandbox did not start: {e}"))?;

    let app = tauri::test::mock_builder()
        .invoke_handler(with_commands!(handler))
        .build(tauri::generate_context!())
        .map_err(|e| format!("the mock app did not build: {e}"))?;
    app.manage(crate::state::AppState { cw, sandbox: Some(sandbox), tasks: crate::tasks::Tasks::default() });
    app.manage(crate::open_file::PendingOpen::default());
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().map_err(|e| e.to_string())?,
    };

    let router = Router::new().route("/health", get(|| async { "ok" })).route("/invoke/{cmd}", post(invoke)).with_state(Arc::new(window));
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    tauri::async_runtime::block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("{addr}: {e}"))?;
        println!("crosswalk-bridge: http://{addr} (data in {})", root.display());
        axum::serve(listener, router).await.map_err(|e| e.to_string())
    })
}

async fn invoke(State(window): State<Arc<WebviewWindow<MockRuntime>>>, Path(cmd): Path<String>, body: String) -> Json<Value> {
    if DESKTOP_ONLY.contains(&cmd.as_str()) {
        return Json(
            json!({ "error": format!("{cmd} reaches the desktop (clipboard or file manager), which the test bridge does not have") }),
        );
    }
    let args: Value = if body.trim().is_empty() {
        json!({})
    } else {
        match serde_json::from_str(&body) {
            Ok(args) => args,
            Err(e) => return Json(json!({ "error": format!("the arguments of {cmd} are not JSON ({e})") })),
        }
    };
    let request = InvokeRequest {
        cmd,
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a valid URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    let answer = tokio::task::spawn_blocking(move || tauri::test::get_ipc_response(window.as_ref(), request)).await;
    Json(match answer {
        Ok(Ok(body)) => json!({ "ok": body.deserialize::<Value>().unwrap_or(Value::Null) }),
        Ok(Err(error)) => json!({ "error": error }),
        Err(e) => json!({ "error": format!("the command stopped without answering ({e})") }),
    })
}
