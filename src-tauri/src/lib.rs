//! The Crosswalk desktop app: a thin Tauri shell over `crosswalk-core`.
//!
//! Each command in `commands/` is a one-line adapter from the UI's typed `invoke` to a core
//! function; no rule lives here.

#[macro_use]
mod command_list;
#[cfg(feature = "bridge")]
pub mod bridge;
mod commands;
mod dialogs;
mod error;
mod open_file;
mod state;
mod tasks;
mod window_state;

use std::path::PathBuf;

use clap::Parser;
use crosswalk_core::activity::Face;
use crosswalk_core::paths::DataDirs;
use crosswalk_core::Crosswalk;
use tauri::Manager;

/// The Tauri handler of the one command list.
macro_rules! handler {
    ($($module:ident :: $name:ident => $doing:literal,)*) => {
        tauri::generate_handler![$(commands::$module::$name),*]
    };
}

/// Command-line options of the desktop app (`crosswalk-desktop --help`).
#[derive(Debug, Parser)]
#[command(
    name = "crosswalk-desktop",
    version,
    about = "Crosswalk: one console over Open edX ID mapping, OpenLearning SSO and OOAPI enrollment"
)]
pub(crate) struct Args {
    /// Keep the database and logs in this folder instead of the OS's app-data folder.
    #[arg(long, env = crosswalk_core::paths::DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Start in demo mode against the built-in sandbox, whatever is configured.
    #[arg(long)]
    demo: bool,
    /// A grade report (opened in Grades) or a list of identifiers (looked up in Learners). When
    /// Crosswalk is already running, that window takes it and comes to the front.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
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
    let data_dir = dirs.data.clone();
    let cw = Crosswalk::open(dirs, Face::App).map_err(|e| e.to_string())?;
    // With no connection configured, start on demo data so a newcomer sees data flowing.
    let want_demo = args.demo || crosswalk_core::profiles::count(&cw).map_err(|e| e.to_string())? == 0;

    // The demo sandbox starts now, beside GTK's and WebKit's set-up, rather than after it in
    // `setup` where the window's first requests would wait for it.
    let demo = want_demo.then(|| {
        let cw = cw.clone();
        tauri::async_runtime::spawn(async move { crosswalk_demo::start(&cw).await })
    });

    let file = args.file.clone();
    let at_exit = cw.clone();
    tauri::Builder::default()
        // First: a second launch only hands its file to this window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            open_file::focus(app);
            if let Some(path) = open_file::file_arg(&argv, &cwd) {
                open_file::route(app, path);
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .on_window_event({
            let data_dir = data_dir.clone();
            move |window, event| window_state::on_event(window, event, &data_dir)
        })
        .setup(move |app| {
            app.manage(window_state::LastSaved::default());
            // The window starts hidden (tauri.conf.json) so it appears once, at its remembered place.
            if let Some(window) = app.get_webview_window("main") {
                window_state::restore(&window, &data_dir);
                drop(window.show());
            }
            let sandbox = demo
                .map(|started| tauri::async_runtime::block_on(started).map_err(std::io::Error::other).and_then(|s| s))
                .transpose()
                .map_err(|e| format!("the built-in sandbox did not start: {e}"))?;
            tauri::async_runtime::spawn(run_jobs(app.handle().clone(), cw.clone()));
            // Pasted student tokens last one session: remove any a crashed one left behind.
            let leftovers = cw.clone();
            std::thread::spawn(move || crosswalk_core::enrollments::student_token::forget_left_behind(&leftovers));
            app.manage(state::AppState { cw, sandbox, tasks: tasks::Tasks::default() });
            app.manage(open_file::PendingOpen::default());
            if let Some(path) = file.clone() {
                let path = if path.is_absolute() { path } else { std::env::current_dir().unwrap_or_default().join(path) };
                open_file::route(app.handle(), path);
            }
            Ok(())
        })
        .invoke_handler(with_commands!(handler))
        .build(tauri::generate_context!())
        .map_err(|e| format!("the window could not be opened: {e}"))?
        .run(move |_, event| {
            if let tauri::RunEvent::Exit = event {
                // Pasted student tokens last one session.
                crosswalk_core::enrollments::student_token::forget_all(&at_exit);
            }
        });
    Ok(())
}

/// How often the app looks for due jobs.
const JOB_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// The first look waits this long, so the window's first paint does not share the machine with
/// a round of jobs (the demo's enrollment check is due at once).
const FIRST_JOB_CHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs the core's due jobs while the app runs (window shown or hidden), telling the UI on the
/// `job` event. Cron runs the same jobs with `crosswalk jobs run-due`; a job claimed by one
/// process is skipped by the other.
async fn run_jobs(app: tauri::AppHandle, cw: Crosswalk) {
    use tauri::Emitter;
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::time::sleep(FIRST_JOB_CHECK).await;
    loop {
        let emit = |e: crosswalk_core::jobs::JobEvent| {
            notify(&app, &e);
            drop(app.emit("job", e));
        };
        if let Err(e) = crosswalk_core::jobs::run_due(&cw, emit, &stop).await {
            tracing::warn!("the scheduled jobs could not run: {e}");
        }
        tokio::time::sleep(JOB_CHECK).await;
    }
}

/// A desktop notification when a scheduled enrollment check saw a change, or a job failed. The
/// text carries names and states only, never a secret. Without a notification service (a bare
/// X server) it is logged and the in-app toast remains.
fn notify(app: &tauri::AppHandle, e: &crosswalk_core::jobs::JobEvent) {
    use crosswalk_core::jobs::JobKind;
    use tauri_plugin_notification::NotificationExt;
    if e.phase != "finished" {
        return;
    }
    let (title, body) = match (e.kind, e.outcome.as_deref()) {
        (JobKind::EnrollmentsPoll, Some("ok" | "partly")) if e.detail.contains('→') => ("Enrollment changes", e.detail.clone()),
        (kind, Some("failed")) => {
            (if kind == JobKind::MirrorSync { "A mirror sync failed" } else { "An enrollment check failed" }, e.detail.clone())
        }
        _ => return,
    };
    if let Err(err) = app.notification().builder().title(title).body(body).show() {
        tracing::info!("no desktop notification ({err}); the app shows the change in its window");
    }
}

/// The one command list against everything that must agree with it.
#[cfg(test)]
mod command_list_tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    macro_rules! entries {
        ($($module:ident :: $name:ident => $doing:literal,)*) => {
            vec![$((stringify!($name), $doing)),*]
        };
    }

    fn list() -> Vec<(&'static str, &'static str)> {
        with_commands!(entries)
    }

    fn names() -> BTreeSet<String> {
        list().into_iter().map(|(n, _)| n.to_string()).collect()
    }

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The TypeScript command map the UI imports.
    fn typescript() -> String {
        let mut out = String::from(
            "// Generated from src-tauri/src/command_list.rs by `UPDATE_BINDINGS=1 cargo test -p crosswalk command_list`.\n\
             // Do not edit: add or change a command in that list.\n\n\
             /** Every command the UI may call, with the words used for it in error messages. */\n\
             export const commandDescriptions = {\n",
        );
        for (name, doing) in list() {
            out.push_str(&format!("  {name}: {},\n", serde_json::to_string(doing).unwrap()));
        }
        out.push_str("} as const;\n\nexport type Command = keyof typeof commandDescriptions;\n");
        out
    }

    #[test]
    fn the_typescript_command_map_is_generated_from_the_list() {
        let path = root().join("ui/src/lib/commands.gen.ts");
        let want = typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        assert_eq!(read(&path), want, "ui/src/lib/commands.gen.ts is stale: run UPDATE_BINDINGS=1 cargo test -p crosswalk command_list");
    }

    #[test]
    fn the_capability_file_allows_exactly_the_listed_commands() {
        let caps: serde_json::Value = serde_json::from_str(&read(&root().join("src-tauri/capabilities/main.json"))).unwrap();
        let allowed: BTreeSet<String> = caps["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|c| c.replace('-', "_")))
            .collect();
        assert_eq!(allowed, names(), "src-tauri/capabilities/main.json must allow exactly the commands of command_list.rs");
    }

    /// Every command the UI calls is in the list, and every listed command is called.
    #[test]
    fn the_ui_calls_exactly_the_listed_commands() {
        let backend = read(&root().join("ui/src/lib/backend.ts"));
        let called: BTreeSet<String> = backend
            .split("call<")
            .skip(1)
            .filter_map(|rest| {
                // `call<Type>('name', ...)` on one line; the generic definition of `call` is not a call.
                let line = rest.lines().next()?;
                let start = line.find(">('")? + 3;
                let end = line[start..].find('\'')? + start;
                Some(line[start..end].to_string())
            })
            .collect();
        assert_eq!(called, names(), "ui/src/lib/backend.ts must call exactly the commands of command_list.rs");
    }

    /// The browser mock answers only commands that exist (it may leave some out): the `case`s of
    /// its `switch (cmd)` blocks.
    #[test]
    fn the_browser_mock_knows_only_listed_commands() {
        let mock = read(&root().join("ui/tests/browser/mockBackend.ts"));
        let names = names();
        let mut answered = Vec::new();
        for (start, _) in mock.match_indices("switch (cmd) {") {
            let body = &mock[start + "switch (cmd) {".len()..];
            let mut depth = 1;
            let end = body
                .char_indices()
                .find_map(|(i, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    (depth == 0).then_some(i)
                })
                .unwrap_or(body.len());
            answered.extend(body[..end].split("case '").skip(1).filter_map(|rest| rest.split_once("':").map(|(n, _)| n.to_string())));
        }
        assert!(!answered.is_empty(), "no `switch (cmd)` found in the browser mock");
        let unknown: Vec<String> = answered.into_iter().filter(|n| !names.contains(n)).collect();
        assert!(unknown.is_empty(), "the browser mock answers commands that do not exist: {unknown:?}");
    }
}
