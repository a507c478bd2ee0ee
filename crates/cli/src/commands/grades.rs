//! `crosswalk grades reconcile`: a grade report in, the receiving system's upload file out.
//! Progress goes to stderr; the summary (or one JSON document) to stdout.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crosswalk_core::grades::{
    self, ColumnMap, ExportOptions, ExportResult, GradeFile, LetterBand, NotAttempted, OutputFormat, ReconcileRequest, Reconciliation,
    ReportKind, Scale, Template,
};
use crosswalk_core::{Crosswalk, Error};
use serde::Serialize;

use crate::args::{FormatArg, GradesCmd, NotAttemptedArg, ReconcileArgs, ScaleArg, TemplateArg};
use crate::commands::cancel_on_ctrl_c;
use crate::output::Output;

/// How many problems the text summary lists (all of them are in the error file).
const PROBLEMS_LISTED: usize = 5;

fn progress_line(text: &str) {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{text}");
    } else {
        eprintln!("{text}");
    }
}

/// The column whose header is `name` (case and surrounding spaces ignored).
fn column(file: &GradeFile, name: &str, flag: &str) -> Result<u32, Error> {
    let wanted = name.trim().to_lowercase();
    file.headers.iter().position(|h| h.trim().to_lowercase() == wanted).map(|i| i as u32).ok_or_else(|| {
        Error::Invalid(format!("{} has no column named \"{name}\" ({flag}). Its columns are: {}.", file.file_name, file.headers.join(", ")))
    })
}

fn columns(file: &GradeFile, a: &ReconcileArgs) -> Result<ColumnMap, Error> {
    let mut map = file.columns.clone();
    if let Some(name) = &a.username_column {
        map.username = Some(column(file, name, "--username-column")?);
    }
    if let Some(name) = &a.grade_column {
        map.grade = Some(column(file, name, "--grade-column")?);
    }
    if let Some(name) = &a.email_column {
        map.email = Some(column(file, name, "--email-column")?);
    }
    if map.username.is_none() {
        return Err(Error::Invalid(format!(
            "Crosswalk did not find a username column in {} (its columns are: {}). Name it with --username-column.",
            file.file_name,
            file.headers.join(", ")
        )));
    }
    Ok(map)
}

fn format_of(out: &Path, asked: Option<FormatArg>) -> Result<OutputFormat, Error> {
    if let Some(f) = asked {
        return Ok(match f {
            FormatArg::Csv => OutputFormat::Csv,
            FormatArg::Xlsx => OutputFormat::Xlsx,
        });
    }
    let ext = out.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "xlsx" => Ok(OutputFormat::Xlsx),
        "csv" | "txt" | "" => Ok(OutputFormat::Csv),
        other => Err(Error::Invalid(format!(
            "Crosswalk writes CSV or XLSX, and cannot tell which from \".{other}\": name the file .csv or .xlsx, or add --format csv|xlsx."
        ))),
    }
}

fn options(a: &ReconcileArgs) -> Result<ExportOptions, Error> {
    let mut o = ExportOptions {
        template: match a.template {
            TemplateArg::Generic => Template::Generic,
            TemplateArg::Canvas => Template::Canvas,
            TemplateArg::Moodle => Template::Moodle,
            TemplateArg::Brightspace => Template::Brightspace,
        },
        format: format_of(&a.out, a.format)?,
        bom: a.bom,
        decimals: a.decimals,
        not_attempted: match a.not_attempted {
            NotAttemptedArg::Blank => NotAttempted::Blank,
            NotAttemptedArg::Zero => NotAttempted::Zero,
            NotAttemptedArg::Skip => NotAttempted::Skip,
        },
        include_unenrolled: a.include_unenrolled,
        ..ExportOptions::default()
    };
    if let Some(name) = a.item_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        o.item_name = name.to_string();
    }
    o.scale = match (a.scale, a.points_max) {
        (ScaleArg::Points, Some(max)) if max.is_finite() && max > 0.0 => Scale::Points { max },
        (ScaleArg::Points, Some(max)) => {
            return Err(Error::Invalid(format!("--points-max must be a number above 0, not {max}.")));
        }
        (ScaleArg::Points, None) => {
            return Err(Error::Invalid("--scale points needs the assignment's maximum: add --points-max X.".into()));
        }
        (_, Some(_)) => return Err(Error::Invalid("--points-max goes with --scale points.".into())),
        (ScaleArg::AsIs, None) => Scale::AsIs,
        (ScaleArg::Percent, None) => Scale::Percent,
    };
    if let Some(mark) = a.pass_mark {
        if !(0.0..=100.0).contains(&mark) {
            return Err(Error::Invalid(format!("--pass-mark is a percentage from 0 to 100, not {mark}.")));
        }
        o.letters = vec![LetterBand { min_percent: mark, label: "Pass".into() }, LetterBand { min_percent: 0.0, label: "Fail".into() }];
    }
    Ok(o)
}

/// `a` and `b` name the same file (both may not exist yet).
fn same_file(a: &Path, b: &Path) -> bool {
    let full = |p: &Path| -> PathBuf {
        if let Ok(c) = p.canonicalize() {
            return c;
        }
        // Not there yet: its folder, resolved, plus its name.
        match (p.parent().filter(|d| !d.as_os_str().is_empty()), p.file_name()) {
            (Some(dir), Some(name)) => dir.canonicalize().map(|d| d.join(name)).unwrap_or_else(|_| p.to_path_buf()),
            (None, Some(name)) => std::env::current_dir().map(|d| d.join(name)).unwrap_or_else(|_| p.to_path_buf()),
            _ => p.to_path_buf(),
        }
    };
    full(a) == full(b)
}

#[derive(Serialize)]
struct Doc<'a> {
    reconciliation: &'a Reconciliation,
    export: &'a ExportResult,
}

fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::CourseGrades => "course grade report",
        ReportKind::ProblemGrades => "problem grade report",
        ReportKind::Custom => "custom file",
    }
}

fn rows(n: u64) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

fn summary(r: &Reconciliation, e: &ExportResult, opts: &ExportOptions, live: bool) -> String {
    let c = r.counts;
    let mut t = format!(
        "Reconciled {} ({}, {} rows) against {}:\n  {} matched, {} not linked, {}{} ambiguous, {} unenrolled, {} problems\n",
        r.file.file_name,
        kind_name(r.file.kind),
        c.rows,
        r.request.provider_id,
        c.matched,
        c.not_linked,
        // Rows the live lookup could not check are named only when there are some.
        if c.not_checked > 0 { format!("{} not checked (live lookup failed), ", c.not_checked) } else { String::new() },
        c.ambiguous,
        c.unenrolled,
        c.problems
    );
    if r.live_looked_up > 0 {
        let n = r.live_looked_up;
        t.push_str(&format!("  {n} {} not in the mirror and looked up live\n", if n == 1 { "username was" } else { "usernames were" }));
    }
    if !live && r.mirror_synced_at.is_none() {
        t.push_str(&format!(
            "  The {} mirror has never been synced and live lookup was off: run `crosswalk learners sync --profile … --provider {}` or drop --no-live.\n",
            r.request.provider_id, r.request.provider_id
        ));
    }
    let format = match opts.format {
        OutputFormat::Csv => "CSV",
        OutputFormat::Xlsx => "XLSX",
    };
    t.push_str(&format!("Wrote {} to {} ({} template, {format})", rows(e.rows_written), e.out_path, opts.template.as_str()));
    if e.skipped > 0 {
        t.push_str(&format!("; {} left out (unenrolled or not attempted)", rows(e.skipped)));
    }
    t.push_str(".\n");
    match &e.errors_path {
        Some(path) => t.push_str(&format!(
            "{} could not be exported: {} in {path} (Student ID, Username, Error).\n",
            rows(e.errors_written),
            if e.errors_written == 1 { "it is" } else { "they are" }
        )),
        None => t.push_str("Every row was exported or left out on purpose; no error file was written.\n"),
    }
    if !r.problems.is_empty() {
        t.push_str("Problems in the report:\n");
        for p in r.problems.iter().take(PROBLEMS_LISTED) {
            t.push_str(&format!("  line {}: {}\n", p.line, p.message));
        }
        if c.problems as usize > PROBLEMS_LISTED {
            t.push_str(&format!("  … and {} more in the error file\n", c.problems as usize - PROBLEMS_LISTED));
        }
    }
    t
}

async fn reconcile(cw: &Crosswalk, out: &Output, a: ReconcileArgs) -> Result<(), Error> {
    let opts = options(&a)?;
    // The mirror is kept by the profile's id: resolve the name first.
    let profile = cw.profile(&a.profile)?;
    if same_file(&a.input, &a.out) {
        return Err(Error::Invalid("--out is the grade report itself: choose another file so the report stays as it is.".into()));
    }
    let errors_path = a.errors.clone().unwrap_or_else(|| grades::default_errors_path(&a.out));
    if same_file(&a.input, &errors_path) {
        return Err(Error::Invalid("The error file would replace the grade report: choose another --errors file.".into()));
    }
    if same_file(&a.out, &errors_path) {
        return Err(Error::Invalid("--errors is the same file as --out: choose another name for one of them.".into()));
    }
    let file = grades::inspect(&a.input)?;
    let columns = columns(&file, &a)?;
    let request = ReconcileRequest {
        path: a.input.display().to_string(),
        profile_id: profile.id.clone(),
        provider_id: a.provider.clone(),
        columns,
        live: !a.no_live,
    };
    let cancel = cancel_on_ctrl_c();
    progress_line(&format!("Reading {}…", file.file_name));
    let result = grades::reconcile(
        cw,
        &request,
        |p| match p.phase.as_str() {
            "looking_up" => progress_line(&format!("looking up {} of {} usernames", p.ids_done, p.ids_total)),
            _ => progress_line(&format!("reading: {} rows", p.rows_read)),
        },
        &cancel,
    )
    .await;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    let reconciliation = result?;
    if reconciliation.cancelled {
        return Err(cancelled());
    }
    let export = grades::export(cw, reconciliation.id, &opts, &a.out, Some(&errors_path))?;
    out.print(&Doc { reconciliation: &reconciliation, export: &export }, || summary(&reconciliation, &export, &opts, request.live));
    if !reconciliation.live_errors.is_empty() || reconciliation.counts.not_checked > 0 {
        // The files are written (matched rows are good), but some rows could not be checked.
        return Err(Error::Incomplete(format!(
            "{} could not be checked because live lookups failed ({}); they are in the error file as \"not checked\". Fix the connection and run again.",
            rows(reconciliation.counts.not_checked),
            reconciliation.live_errors.join("; ")
        )));
    }
    Ok(())
}

fn cancelled() -> Error {
    Error::Invalid("Cancelled during the live lookups: nothing was written. Run again to reconcile the whole report.".into())
}

pub async fn run(cw: &Crosswalk, out: &Output, cmd: GradesCmd) -> Result<(), Error> {
    match cmd {
        GradesCmd::Reconcile(a) => reconcile(cw, out, *a).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_extension_unless_asked() {
        assert_eq!(format_of(Path::new("up.xlsx"), None).unwrap(), OutputFormat::Xlsx);
        assert_eq!(format_of(Path::new("up.CSV"), None).unwrap(), OutputFormat::Csv);
        assert_eq!(format_of(Path::new("up"), None).unwrap(), OutputFormat::Csv);
        assert!(format_of(Path::new("up.xls"), None).unwrap_err().to_string().contains("--format"));
        assert_eq!(format_of(Path::new("up.xls"), Some(FormatArg::Xlsx)).unwrap(), OutputFormat::Xlsx);
    }

    #[test]
    fn a_file_not_yet_written_is_recognised_as_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.csv");
        std::fs::write(&report, "x").unwrap();
        assert!(same_file(&report, &dir.path().join(".").join("report.csv")));
        assert!(same_file(&dir.path().join("new.csv"), &dir.path().join(".").join("new.csv")));
        assert!(!same_file(&report, &dir.path().join("upload.csv")));
    }
}
