//! `crosswalk launch` and `crosswalk launch find`: OpenLearning single sign-on from the command line.
//!
//! A launch is a credential. It goes only where the person asked: stdout with `--json`, a file
//! with `--html`, or the system browser through the core's one-shot loopback page with `--open`.
//! It is never printed to stderr, logged, or put in an error message; what is said about it
//! (user, class) carries no parameter.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crosswalk_core::openlearning::{self, html, oneshot, LaunchRequest, LaunchSummary, UserRef};
use crosswalk_core::{Crosswalk, Error};
use serde::Serialize;

use super::cancel_on_ctrl_c;
use crate::args::{LaunchArgs, LaunchCmd, LaunchSub};
use crate::output::Output;

/// Debug builds only: a folder where `--open` writes the one-shot address (`launch-url.txt`)
/// instead of starting a browser, for tests. Release builds ignore it (as the app does).
const TEST_OPEN_DIR_ENV: &str = "CROSSWALK_TEST_OPEN_URL_DIR";

/// `--json`: the whole signed launch, for middleware that posts it itself.
#[derive(Serialize)]
struct SignedJson<'a> {
    url: &'a str,
    method: &'a str,
    params: BTreeMap<&'a str, &'a str>,
}

/// Where a launch goes.
enum Destination<'a> {
    Json,
    Html { path: &'a Path, force: bool },
    Open,
}

fn request(a: &LaunchArgs, profile: &str) -> LaunchRequest {
    LaunchRequest {
        profile_id: profile.to_string(),
        user: match (&a.user_id, &a.external_id) {
            (Some(id), _) => UserRef::UserId(id.clone()),
            (None, x) => UserRef::ExternalId(x.clone().unwrap_or_default()),
        },
        class_id: a.class.clone(),
        context_id: a.context.clone(),
        email: a.email.clone(),
        full_name: a.full_name.clone(),
    }
}

/// "ol-u-000001 into class class-intro-data": who and where, never how.
fn described(s: &LaunchSummary) -> String {
    match (&s.context_id, &s.class_id) {
        (Some(c), _) => format!("{} into context {c}", s.user_id),
        (None, Some(c)) => format!("{} into class {c}", s.user_id),
        _ => format!("{} (no class)", s.user_id),
    }
}

/// Writes `text` to a new file readable only by its owner; an existing file is replaced only with `force`.
fn write_private(path: &Path, text: &str, force: bool) -> Result<(), Error> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if force {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => already_there(path),
        _ => Error::Invalid(format!("Could not write {}: {e}", path.display())),
    })?;
    f.write_all(text.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| Error::Invalid(format!("Could not write {}: {e}", path.display())))
}

fn already_there(path: &Path) -> Error {
    Error::Invalid(format!("{} exists already. Choose another file, or add --force to replace it.", path.display()))
}

/// Gives the one-shot address to the system browser (or, in a debug build under test, to a file).
fn hand_to_browser(url: &str) -> Result<Option<std::path::PathBuf>, Error> {
    if cfg!(debug_assertions) {
        if let Some(dir) = std::env::var_os(TEST_OPEN_DIR_ENV) {
            let dir = Path::new(&dir);
            let path = dir.join("launch-url.txt");
            // Written whole, then renamed, so a test polling for it never reads half an address.
            let tmp = dir.join(".launch-url.txt.partial");
            write_private(&tmp, url, true)?;
            std::fs::rename(&tmp, &path).map_err(|e| Error::Invalid(format!("Could not write {}: {e}", path.display())))?;
            return Ok(Some(path));
        }
    }
    // The address is the credential's only door: the launcher's error text (which may quote the
    // command line, address included) is never shown, only its kind.
    open::that_detached(url).map_err(|e| {
        Error::Invalid(format!(
            "Crosswalk could not start your web browser ({}). Use --html FILE and open the file yourself, or set a default browser.",
            e.kind()
        ))
    })?;
    Ok(None)
}

async fn launch(cw: &Crosswalk, out: &Output, a: LaunchArgs) -> Result<(), Error> {
    let profile = a.profile.clone().unwrap_or_default();
    if out.json && (a.html.is_some() || a.open) {
        return Err(Error::Invalid(
            "--json prints the launch itself, so it goes without --html or --open: choose one of the three.".into(),
        ));
    }
    let to = match (&a.html, a.open, out.json) {
        (Some(path), _, _) => Destination::Html { path, force: a.force },
        (None, true, _) => Destination::Open,
        (None, false, true) => Destination::Json,
        (None, false, false) => {
            return Err(Error::Invalid(
                "Say where the launch goes: --open (your browser), --html FILE (a page to open once) or --json (for middleware).".into(),
            ))
        }
    };
    if let Destination::Html { path, force: false } = to {
        if path.exists() {
            return Err(already_there(path));
        }
    }
    let req = request(&a, &profile);
    match to {
        Destination::Json => {
            let (signed, summary) = openlearning::sign_on(cw, &req, &cancel_on_ctrl_c()).await?;
            let doc = SignedJson {
                url: signed.action.as_str(),
                method: &signed.method,
                params: signed.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            };
            println!("{}", serde_json::to_string(&doc).expect("a launch serialises"));
            for n in &summary.notes {
                eprintln!("{n}");
            }
        }
        Destination::Html { path, force } => {
            let (signed, summary) = openlearning::sign_on(cw, &req, &cancel_on_ctrl_c()).await?;
            write_private(path, &html::page(&signed), force)?;
            let mut t = format!(
                "Wrote the launch page of {} to {}. It signs the learner in once: open it soon, then delete it.",
                described(&summary),
                path.display()
            );
            for n in &summary.notes {
                t.push_str(&format!("\n{n}"));
            }
            out.print(&summary, || t);
        }
        Destination::Open => {
            let ttl = oneshot::DEFAULT_TTL;
            let (url, summary) = openlearning::serve_once(cw, &req, ttl, &cancel_on_ctrl_c()).await?;
            let written = hand_to_browser(url.as_str())?;
            let secs = ttl.as_secs();
            let mut t = match written {
                Some(file) => format!("Launch of {}: the one-shot address is in {} (test mode).", described(&summary), file.display()),
                None => format!("Launch of {} opened in your browser; the link works once and expires in {secs} s.", described(&summary)),
            };
            for n in &summary.notes {
                t.push_str(&format!("\n{n}"));
            }
            out.print(&summary, || t);
            eprintln!("Serving the link for {secs} s; press Ctrl-C to stop sooner.");
            wait(ttl).await;
        }
    }
    Ok(())
}

/// Keeps the one-shot page served until its time is up or Ctrl-C. (The core's page server does
/// not say when its page was fetched, so the command waits out the time.)
async fn wait(ttl: Duration) {
    tokio::select! {
        _ = tokio::time::sleep(ttl) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

pub async fn run(cw: &Crosswalk, out: &Output, cmd: LaunchCmd) -> Result<(), Error> {
    match cmd.find {
        Some(LaunchSub::Find { profile, external_id }) => {
            let user = openlearning::find_user(cw, &profile, &external_id, &cancel_on_ctrl_c()).await?;
            if out.json {
                out.print(&user, String::new);
            } else {
                println!("{}", user.user_id);
                let who = [user.full_name.as_deref(), user.email.as_deref().map(|e| format!("<{e}>")).as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                eprintln!(
                    "Found {}{}; remembered for launches with --external-id {}.",
                    user.user_id,
                    if who.is_empty() { String::new() } else { format!(" ({who})") },
                    external_id.trim()
                );
            }
            Ok(())
        }
        None => launch(cw, out, cmd.launch).await,
    }
}
