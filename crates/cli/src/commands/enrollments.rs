//! `crosswalk enrollments …`: the OOAPI enrollment ledger.

use std::io::IsTerminal;
use std::path::Path;

use crosswalk_core::connection::ConnectionKind;
use crosswalk_core::enrollments::results::{self, ResultSettings, ResultSource, ResultsPreview, ResultsRequest, SendOutcome};
use crosswalk_core::enrollments::templates::{self, OfferingTemplate};
use crosswalk_core::enrollments::{self, Association, AssociationQuery, CreateRequest, PollReport};
use crosswalk_core::{Crosswalk, Error};

use super::cancel_on_ctrl_c;
use crate::args::{EnrollmentsCmd, TemplatesCmd};
use crate::output::Output;

fn progress_line(text: &str) {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{text}");
    } else {
        eprintln!("{text}");
    }
}

fn line(a: &Association) -> String {
    let who = a.person_name.clone().or_else(|| a.person_id.clone()).unwrap_or_else(|| "(not read yet)".into());
    let offering = a.offering_code.clone().or_else(|| a.offering_name.clone()).unwrap_or_default();
    let state = a.state.as_deref().unwrap_or("—");
    let flag = match (a.stuck, a.status.as_str()) {
        (true, _) => "  STUCK",
        (_, "unknown" | "sending") => "  UNKNOWN — check",
        (_, "error") => "  ERROR",
        _ => "",
    };
    format!(
        "{:>5}  {:<36}  {:<24}  {:<14}  {:<10}  ours {:<10}{flag}",
        a.id,
        a.association_id.as_deref().unwrap_or("(no id)"),
        who,
        offering,
        state,
        a.remote_state.as_deref().unwrap_or("—")
    )
}

/// Every OOAPI connection, or the one named.
/// The preview in words: the settings per offering, then every row that is not plainly ready.
fn results_preview_text(p: &ResultsPreview) -> String {
    let c = &p.counts;
    let mut t = format!(
        "{}: {} rows — {} ready, {} already sent, {} not associated, {} incomplete, {} unmatched, {} ambiguous; {} selected.\n",
        p.source, c.rows, c.ready, c.already_sent, c.not_associated, c.incomplete, c.unmatched, c.ambiguous, c.selected
    );
    for o in &p.offerings {
        t.push_str(&format!(
            "  {}: {} (from {}); {}\n",
            o.offering,
            o.settings.result_value_type.as_deref().unwrap_or("no result value type"),
            o.value_type_from,
            o.conversion.join("; ")
        ));
    }
    if c.ambiguous > 0 && p.matched_offerings.len() > 1 {
        let list: Vec<String> = p.matched_offerings.iter().map(|m| format!("{} ({} rows)", m.offering, m.rows)).collect();
        t.push_str(&format!("  Students follow several offerings: choose one with --offering: {}\n", list.join(", ")));
    }
    for r in &p.rows {
        let rule = r.rule.as_deref().map(|x| format!(" [by {x}]")).unwrap_or_default();
        let mark = if r.selected { "send" } else { "skip" };
        t.push_str(&format!(
            "  {mark} line {}: {}{rule} → {} {} {}\n",
            r.line,
            r.source,
            r.student.as_deref().unwrap_or("-"),
            r.score.as_deref().unwrap_or(""),
            r.pass.as_deref().unwrap_or("")
        ));
        for w in &r.warnings {
            t.push_str(&format!("      {w}\n"));
        }
        for cand in &r.candidates {
            t.push_str(&format!("      could be: {cand}\n"));
        }
    }
    t
}

fn connections(cw: &Crosswalk, profile: Option<String>) -> Result<Vec<String>, Error> {
    match profile {
        Some(p) => Ok(vec![cw.profile(&p)?.id]),
        None => Ok(cw.profiles()?.into_iter().filter(|p| p.kind() == ConnectionKind::Ooapi).map(|p| p.id).collect()),
    }
}

pub async fn run(cw: &Crosswalk, out: &Output, cmd: EnrollmentsCmd) -> Result<(), Error> {
    match cmd {
        EnrollmentsCmd::List { profile, state, csv } => {
            let list = enrollments::list(cw, &AssociationQuery { profile_id: profile.clone(), filter: state.clone(), text: None })?;
            if csv {
                let rows = enrollments::export_rows(cw, &AssociationQuery { profile_id: profile, filter: state, text: None })?;
                let mut w = csv::Writer::from_writer(std::io::stdout());
                w.write_record(enrollments::EXPORT_HEADER).map_err(|e| Error::Invalid(e.to_string()))?;
                for r in rows {
                    let r: Vec<String> = r.iter().map(|c| crosswalk_core::spreadsheet::neutralise(c).into_owned()).collect();
                    w.write_record(&r).map_err(|e| Error::Invalid(e.to_string()))?;
                }
                w.flush().map_err(|e| Error::Invalid(e.to_string()))?;
                return Ok(());
            }
            out.print(&list, || {
                let c = &list.counts;
                let mut t = format!(
                    "{} associations: {} pending, {} queued, {} associated, {} denied, {} canceled, {} stuck, {} with errors\n",
                    c.total, c.pending, c.queued, c.associated, c.denied, c.canceled, c.stuck, c.error
                );
                for a in &list.rows {
                    t.push_str(&line(a));
                    t.push('\n');
                }
                t
            });
            Ok(())
        }
        EnrollmentsCmd::Show { id } => {
            let d = enrollments::detail(cw, &id)?;
            out.print(&d, || {
                let a = &d.association;
                let mut t = format!("{}\n  state (home):        {} — {}\n", line(a), a.state.as_deref().unwrap_or("—"), d.state_explained);
                t.push_str(&format!(
                    "  remoteState (ours):  {}\n  home institution:    {}\n",
                    a.remote_state.as_deref().unwrap_or("—"),
                    a.home
                ));
                if let Some(w) = &a.warning {
                    t.push_str(&format!("  warning:             {w}\n"));
                }
                if let Some(adv) = &d.advice {
                    t.push_str(&format!("  what to do:          {adv}\n"));
                }
                t.push_str("  timeline:\n");
                for e in &d.events {
                    t.push_str(&format!(
                        "    {}  {:<9} {:<12} {} → {}{}\n",
                        e.at,
                        e.who,
                        e.field,
                        e.from_value.as_deref().unwrap_or("—"),
                        e.to_value.as_deref().unwrap_or("—"),
                        e.message.as_deref().map(|m| format!("  \"{m}\"")).unwrap_or_default()
                    ));
                }
                t
            });
            Ok(())
        }
        EnrollmentsCmd::Template { schac_home } => {
            let t = enrollments::body::example_template(&schac_home);
            println!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
            Ok(())
        }
        EnrollmentsCmd::Templates(cmd) => templates(cw, out, cmd),
        EnrollmentsCmd::Create { profile, person_id, offering, offering_id, remote_state } => {
            let offering = match (offering, offering_id) {
                (Some(file), _) => read_offering(&file)?,
                (None, Some(id)) => templates::find(cw, &profile, &id)?.template,
                (None, None) => return Err(Error::Invalid("Give --offering FILE.json or --offering-id ID.".into())),
            };
            let req = CreateRequest {
                profile_id: profile,
                person_id,
                offering,
                remote_state: Some(remote_state),
                person_name: None,
                person_email: None,
            };
            let outcome = enrollments::create(cw, &req, &cancel_on_ctrl_c()).await?;
            out.print(&outcome, || {
                let mut t = format!("Created: {}\n", line(&outcome.association));
                if let Some(m) = &outcome.message {
                    t.push_str(&format!("The home institution says: \"{m}\"\n"));
                }
                if let Some(w) = &outcome.association.warning {
                    t.push_str(&format!("{w}\n"));
                }
                t
            });
            Ok(())
        }
        EnrollmentsCmd::Import { profile, file } => {
            let r = enrollments::import(cw, &profile, &file)?;
            out.print(&r, || {
                format!(
                    "{} added, {} already in the ledger. Run `crosswalk enrollments poll` to read their state.",
                    r.added, r.already_known
                )
            });
            Ok(())
        }
        EnrollmentsCmd::Poll { profile } => {
            let ids = connections(cw, profile)?;
            if ids.is_empty() {
                return Err(Error::Invalid(
                    "There is no OOAPI connection to poll. Add one with `crosswalk profile add --kind ooapi`.".into(),
                ));
            }
            let cancel = cancel_on_ctrl_c();
            let mut all = PollReport::default();
            for id in ids {
                let r = enrollments::poll(
                    cw,
                    &id,
                    |p| progress_line(&format!("{}/{} checked, {} changed, {} failed", p.done, p.total, p.changed, p.failed)),
                    &cancel,
                )
                .await?;
                all.checked += r.checked;
                all.requests += r.requests;
                all.cancelled |= r.cancelled;
                all.changes.extend(r.changes);
                all.failed.extend(r.failed);
            }
            if std::io::stderr().is_terminal() {
                eprintln!();
            }
            out.print(&all, || {
                let mut t = format!("Checked {} associations ({} requests); {} changes.\n", all.checked, all.requests, all.changes.len());
                for c in &all.changes {
                    t.push_str(&format!("  {c}\n"));
                }
                t
            });
            for f in &all.failed {
                eprintln!("not checked: {} ({}): {}", f.association_id, f.id, f.reason.replace('\n', " "));
            }
            if all.cancelled {
                return Err(Error::Cancelled);
            }
            if !all.failed.is_empty() {
                let msg = format!("{} associations could not be checked; they keep what the ledger knew.", all.failed.len());
                return Err(if all.checked == 0 { Error::Invalid(msg) } else { Error::Incomplete(msg) });
            }
            Ok(())
        }
        EnrollmentsCmd::Results {
            from_reconciliation,
            file,
            profile,
            offering,
            result_value_type,
            study_load,
            study_load_unit,
            pass_threshold,
            result_date,
            result_state,
            letters,
            teachers,
            comment,
            resend,
            dry_run,
        } => {
            let source = match (from_reconciliation, file) {
                (Some(id), _) => ResultSource::Reconciliation { id },
                (None, Some(f)) => ResultSource::File { path: f.display().to_string() },
                (None, None) => return Err(Error::Invalid("Give --from-reconciliation ID or --file F.".into())),
            };
            let req = ResultsRequest {
                source,
                profile_id: profile,
                offering,
                settings: ResultSettings {
                    result_value_type,
                    pass_threshold,
                    study_load,
                    study_load_unit,
                    result_date,
                    state: result_state,
                    comment,
                    teachers,
                    letters,
                },
                resend,
            };
            let cancel = cancel_on_ctrl_c();
            let preview = results::preview(cw, &req, &cancel).await?;
            let unresolved = preview.counts.unmatched + preview.counts.ambiguous + preview.counts.incomplete;
            if dry_run {
                out.print(&preview, || {
                    let mut t = results_preview_text(&preview);
                    t.push_str("Would send (dry run, nothing sent):\n");
                    for r in preview.rows.iter().filter(|r| r.selected) {
                        let body = r.body.as_ref().map(|b| b.to_string()).unwrap_or_default();
                        t.push_str(&format!("  PATCH associations/{} {body}\n", r.association_id.as_deref().unwrap_or("?")));
                    }
                    t
                });
                return if preview.counts.selected == 0 {
                    Err(Error::Invalid("Nothing would be sent: see the rows above.".into()))
                } else if unresolved > 0 {
                    Err(Error::Incomplete(format!("{unresolved} rows could not be matched or completed; nothing was sent (dry run).")))
                } else {
                    Ok(())
                };
            }
            eprint!("{}", results_preview_text(&preview));
            let counts = preview.counts.clone();
            let sent =
                results::send_previewed(cw, &req, preview, None, |p| progress_line(&format!("{}/{} sent", p.done, p.total)), &cancel)
                    .await?;
            if std::io::stderr().is_terminal() {
                eprintln!();
            }
            out.print(&sent, || {
                let mut t = format!("{} sent, {} refused, {} failed, {} skipped.\n", sent.sent, sent.refused, sent.failed, sent.skipped);
                for r in sent.rows.iter().filter(|r| r.outcome != SendOutcome::Skipped) {
                    t.push_str(&format!(
                        "  line {}: {} {} — {:?}: {}\n",
                        r.line,
                        r.student.as_deref().unwrap_or("?"),
                        r.score.as_deref().unwrap_or(""),
                        r.outcome,
                        r.message
                    ));
                }
                t
            });
            if sent.cancelled {
                return Err(Error::Cancelled);
            }
            let bad = sent.refused + sent.failed;
            if counts.selected == 0 && unresolved == 0 && counts.not_associated == 0 && counts.already_sent > 0 {
                // Nothing failed: every result is already at home.
                eprintln!("Every result was already sent; nothing to do (--resend sends them again).");
                return Ok(());
            }
            if sent.sent == 0 && (bad > 0 || counts.selected == 0) {
                return Err(Error::Invalid("No result was sent.".into()));
            }
            if bad + unresolved > 0 {
                return Err(Error::Incomplete(format!(
                    "{bad} results were refused or failed and {unresolved} rows could not be matched or completed."
                )));
            }
            Ok(())
        }
        EnrollmentsCmd::Check { id } => {
            let d = enrollments::refresh(cw, &id, &cancel_on_ctrl_c()).await?;
            out.print(&d, || format!("{}\n  {}", line(&d.association), d.state_explained));
            Ok(())
        }
        EnrollmentsCmd::SetState { id, state } => {
            let (d, message) = enrollments::set_remote_state(cw, &id, &state, &cancel_on_ctrl_c()).await?;
            let doc = serde_json::json!({ "association": d.association, "message": message });
            out.print(&doc, || {
                let mut t = format!("Sent: {}\n", line(&d.association));
                if let Some(m) = &message {
                    t.push_str(&format!("The home institution says: \"{m}\"\n"));
                }
                t
            });
            Ok(())
        }
        EnrollmentsCmd::Export { out: path, profile } => {
            let n = enrollments::export(cw, &AssociationQuery { profile_id: profile, filter: None, text: None }, &path)?;
            let doc = serde_json::json!({ "file": path, "rows": n });
            out.print(&doc, || format!("Wrote {n} associations to {}", path.display()));
            Ok(())
        }
    }
}

fn read_offering(file: &Path) -> Result<serde_json::Value, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::Invalid(format!("Could not read {}: {e}", file.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Invalid(format!("{} is not JSON ({e}). `crosswalk enrollments template` writes an example.", file.display())))
}

fn template_line(t: &OfferingTemplate) -> String {
    let dates = match (&t.start_date, &t.end_date) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        (Some(s), None) => format!("from {s}"),
        _ => String::new(),
    };
    format!(
        "{:<38} {:<16} {:<40} {:<26} {}",
        t.offering_id,
        t.code.as_deref().unwrap_or("—"),
        t.name.as_deref().unwrap_or("—"),
        dates,
        t.last_used.as_deref().map(|u| format!("used {u}")).unwrap_or_else(|| format!("saved {}", t.saved_at))
    )
}

fn templates(cw: &Crosswalk, out: &Output, cmd: TemplatesCmd) -> Result<(), Error> {
    match cmd {
        TemplatesCmd::List { profile } => {
            let list = templates::list(cw, &profile)?;
            out.print(&list, || {
                if list.is_empty() {
                    return "No offering template is saved for this connection yet. A create the home side accepts saves its offering; `crosswalk enrollments templates save` saves one by hand.".into();
                }
                list.iter().map(template_line).collect::<Vec<_>>().join("\n")
            });
        }
        TemplatesCmd::Show { profile, offering_id } => {
            let t = templates::find(cw, &profile, &offering_id)?;
            out.print(&t, || serde_json::to_string_pretty(&t.template).unwrap_or_default());
        }
        TemplatesCmd::Save { profile, file } => {
            let t = templates::save(cw, &profile, &read_offering(&file)?)?;
            out.print(&t, || format!("Saved the template of {} (nothing was sent).", template_line(&t).trim_end()));
        }
        TemplatesCmd::Delete { profile, offering_id } => {
            templates::delete(cw, &profile, &offering_id)?;
            out.print(&serde_json::json!({"deleted": offering_id.trim()}), || {
                format!("Deleted the template of offering {}.", offering_id.trim())
            });
        }
    }
    Ok(())
}
