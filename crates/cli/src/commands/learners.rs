//! `crosswalk learners lookup|sync|export`. Progress goes to stderr, data to stdout.

use std::io::IsTerminal;

use crosswalk_core::lookup::{self, Completeness, LookupMode, LookupRequest, LookupResult, LookupRow, LookupRowInput};
use crosswalk_core::mirror::{self, SyncOptions};
use crosswalk_core::{Crosswalk, Error};
use tokio_util::sync::CancellationToken;

use crate::args::{LearnersCmd, LookupArgs};
use crate::output::Output;

fn progress_line(text: &str) {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{text}");
    } else {
        eprintln!("{text}");
    }
}

fn print_rows(out: &Output, csv_out: bool, result: &LookupResult) -> Result<(), Error> {
    if out.json {
        out.print(result, String::new);
        return Ok(());
    }
    if csv_out {
        // The same layout as the app's export: rows, then inputs not found, then not checked.
        let rows: Vec<LookupRowInput> = result.rows.iter().map(LookupRowInput::from).collect();
        let mut w = csv::Writer::from_writer(std::io::stdout());
        let bad = |e: csv::Error| Error::Invalid(format!("Could not write CSV: {e}"));
        w.write_record(lookup::EXPORT_HEADER).map_err(bad)?;
        for line in lookup::export_lines(&rows, &result.not_found, &result.not_checked) {
            w.write_record(line.iter().map(|c| crosswalk_core::spreadsheet::neutralise(c).into_owned())).map_err(bad)?;
        }
        w.flush().map_err(|e| Error::Invalid(e.to_string()))?;
    } else {
        let table = |rows: &[LookupRow]| {
            rows.iter().map(|r| format!("{:<28} {:<36} {}", r.username, r.remote_id, r.provider_id)).collect::<Vec<_>>().join("\n")
        };
        out.print(result, || table(&result.rows));
    }
    if !result.not_found.is_empty() {
        eprintln!("Not found ({}): {}", result.not_found.len(), result.not_found.join(", "));
    }
    for n in &result.not_checked {
        eprintln!("Not checked on {} ({}): {}\n  because {}", n.provider_id, n.ids.len(), n.ids.join(", "), n.reason);
    }
    Ok(())
}

/// Exit codes: 0 every input answered; 2 partly answered (what was answered is printed, the rest
/// is listed as not checked); 1 nothing answered, cancelled, or a usage error.
fn verdict(result: &LookupResult) -> Result<(), Error> {
    let unchecked = result.not_checked_ids().len();
    match result.completeness() {
        _ if result.cancelled => Err(Error::Cancelled),
        Completeness::All => Ok(()),
        Completeness::Partly => Err(Error::Incomplete(format!(
            "{unchecked} identifier{} could not be checked (listed above as \"Not checked\"); the rest were answered.",
            if unchecked == 1 { "" } else { "s" }
        ))),
        Completeness::Nothing => Err(Error::Invalid(format!(
            "No identifier could be checked: {}",
            result.not_checked.first().map(|n| format!("{}: {}", n.provider_id, n.reason)).unwrap_or_default()
        ))),
    }
}

async fn lookup_cmd(cw: &Crosswalk, out: &Output, a: LookupArgs) -> Result<(), Error> {
    let mut usernames = a.usernames;
    let mut remote_ids = a.remote_ids;
    if let Some(path) = &a.file {
        let (ids, mode) = crosswalk_core::id_file::read(path)?;
        match mode {
            Some(LookupMode::RemoteId) => remote_ids.extend(ids),
            _ => usernames.extend(ids),
        }
    }
    if usernames.is_empty() && remote_ids.is_empty() {
        return Err(Error::Invalid("Nothing to look up: give --username, --remote-id or --file.".into()));
    }
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            c2.cancel();
        }
    });
    let mut merged = LookupResult::empty();
    for (ids, mode) in [(usernames, LookupMode::Username), (remote_ids, LookupMode::RemoteId)] {
        if ids.is_empty() {
            continue;
        }
        let req = LookupRequest {
            profile_id: a.profile.clone(),
            providers: a.providers.clone(),
            ids,
            mode,
            chunk_size: None,
            concurrency: Some(a.concurrency),
        };
        let r = if a.cached {
            lookup::cached(cw, &req)?
        } else {
            lookup::live(
                cw,
                &req,
                |p| progress_line(&format!("{}/{} ids, {} requests, {} found", p.done_ids, p.total_ids, p.requests, p.rows)),
                &cancel,
            )
            .await?
        };
        merged.merge(r);
    }
    if !a.cached && std::io::stderr().is_terminal() {
        eprintln!();
    }
    print_rows(out, a.csv, &merged)?;
    verdict(&merged)
}

pub async fn run(cw: &Crosswalk, out: &Output, cmd: LearnersCmd) -> Result<(), Error> {
    match cmd {
        LearnersCmd::Lookup(a) => lookup_cmd(cw, out, a).await,
        LearnersCmd::Sync { profile, provider, concurrency } => {
            let cancel = CancellationToken::new();
            let c2 = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    c2.cancel();
                }
            });
            let opts = SyncOptions { concurrency, ..SyncOptions::default() };
            let result = mirror::sync(
                cw,
                &profile,
                &provider,
                opts,
                |p| progress_line(&format!("page {}/{}: {} of {} mappings", p.pages_done, p.pages_total, p.rows, p.count)),
                &cancel,
            )
            .await;
            if let Ok(record) = &result {
                if std::io::stderr().is_terminal() {
                    eprintln!();
                }
                out.print(record, || {
                    let mut t = format!(
                        "{}: {} mappings mirrored ({} added, {} removed, {} remote ids changed).",
                        record.provider_id, record.count, record.added, record.removed, record.changed
                    );
                    if !record.note.is_empty() {
                        t.push_str(&format!("\n{}", record.note));
                    }
                    t
                });
            }
            // The mirror a sync replaced (or the rows a failed one wrote) is deleted in the
            // background: let that finish before the process exits (unless Ctrl-C), else the
            // next sync does it.
            tokio::select! {
                _ = mirror::cleanup_finished() => {}
                _ = cancel.cancelled() => {}
            }
            result.map(|_| ())
        }
        LearnersCmd::Export { profile, provider, out: path } => {
            let p = cw.profile(&profile)?;
            if mirror::last_sync(cw, &p.id, &provider)?.is_none() {
                return Err(Error::Invalid(format!(
                    "\"{provider}\" has not been mirrored yet. Run: crosswalk learners sync --profile \"{}\" --provider {provider}",
                    p.name
                )));
            }
            let file = std::fs::File::create(&path).map_err(|e| Error::Invalid(format!("Could not create {}: {e}", path.display())))?;
            let n = mirror::export_csv(cw, &p.id, &provider, std::io::BufWriter::new(file))?;
            out.print(&serde_json::json!({ "rows": n, "file": path }), || format!("Wrote {n} mappings to {}.", path.display()));
            Ok(())
        }
    }
}
