//! Writing a reconciliation out: the receiving system's template, the grade converted as asked,
//! every cell safe to open in a spreadsheet, the unmatched rows in Open edX's own error shape.
//! Files are written beside their destination and renamed into place only when complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::read::{Fields, ReadAhead, RowStream};
use super::reconcile::{Judged, Matcher, Session};
use super::{
    ColumnSource, CustomColumn, ExportOptions, ExportPreview, ExportResult, NotAttempted, OutputFormat, RowStatus, Scale, Template,
};
use crate::activity::NewActivity;
use crate::spreadsheet::neutralise;
use crate::{Crosswalk, Error, Result};

/// The header of Open edX's own error file, kept so the same tools read ours.
pub const ERROR_HEADER: [&str; 3] = ["Student ID", "Username", "Error"];

/// One output cell's source.
#[derive(Debug, Clone)]
enum Cell {
    RemoteId,
    Username,
    Email,
    StudentId,
    Grade,
    Column(usize),
    Text(String),
}

fn layout(opts: &ExportOptions) -> Result<(Vec<String>, Vec<Cell>)> {
    let item = opts.item_name.trim();
    let item = if item.is_empty() { "Open edX grade" } else { item };
    let letters = !opts.letters.is_empty();
    let (header, cells): (Vec<String>, Vec<Cell>) = match opts.template {
        Template::Generic => {
            (vec!["remote_id".into(), "username".into(), "grade".into()], vec![Cell::RemoteId, Cell::Username, Cell::Grade])
        }
        // Canvas matches rows on SIS User ID when ID (Canvas's own) is empty.
        Template::Canvas => (
            ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", item].map(String::from).to_vec(),
            vec![
                Cell::Username,
                Cell::Text(String::new()),
                Cell::RemoteId,
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Grade,
            ],
        ),
        // Moodle's import maps "ID number" to the user's idnumber field.
        Template::Moodle => {
            (["ID number", "Email address", item].map(String::from).to_vec(), vec![Cell::RemoteId, Cell::Email, Cell::Grade])
        }
        // Brightspace wants the grade item's name with its kind, and the end-of-line marker.
        Template::Brightspace => (
            vec![
                "OrgDefinedId".into(),
                if letters { format!("{item} Grade Symbol") } else { format!("{item} Points Grade") },
                "End-of-Line Indicator".into(),
            ],
            vec![Cell::RemoteId, Cell::Grade, Cell::Text("#".into())],
        ),
        Template::Custom => {
            if opts.columns.is_empty() {
                return Err(Error::Invalid("A custom export needs at least one column: add the columns to write.".into()));
            }
            opts.columns
                .iter()
                .map(|CustomColumn { header, source }| {
                    let cell = match source {
                        ColumnSource::RemoteId => Cell::RemoteId,
                        ColumnSource::Username => Cell::Username,
                        ColumnSource::Email => Cell::Email,
                        ColumnSource::StudentId => Cell::StudentId,
                        ColumnSource::Grade => Cell::Grade,
                        ColumnSource::Column { index } => Cell::Column(*index as usize),
                        ColumnSource::Text { value } => Cell::Text(value.clone()),
                    };
                    (header.clone(), cell)
                })
                .unzip()
        }
    };
    if opts.template == Template::Brightspace && opts.letters.is_empty() && matches!(opts.scale, Scale::AsIs) {
        // Brightspace points are points: a 0–1 fraction would import as 0 or 1 point.
        return Err(Error::Invalid(
            "Brightspace imports points: choose \"Points\" (the item's maximum) or \"Percent\" as the scale.".into(),
        ));
    }
    Ok((header, cells))
}

/// The grade as the receiving side wants it; `Ok(None)`: leave the row out; `Err`: why it cannot be written.
#[cfg(test)]
fn convert(raw: &str, opts: &ExportOptions) -> std::result::Result<Option<String>, String> {
    let mut out = String::new();
    Ok(convert_into(raw, opts, &mut out)?.then_some(out))
}

/// As [`convert`], into `out` (cleared first); `Ok(false)`: leave the row out.
fn convert_into(raw: &str, opts: &ExportOptions, out: &mut String) -> std::result::Result<bool, String> {
    out.clear();
    let raw = raw.trim();
    let value = if raw.is_empty() || raw.eq_ignore_ascii_case("not attempted") || raw.eq_ignore_ascii_case("not available") {
        match opts.not_attempted {
            NotAttempted::Skip => return Ok(false),
            NotAttempted::Blank => return Ok(true),
            NotAttempted::Zero => 0.0,
        }
    } else {
        let cleaned = raw.strip_suffix('%').unwrap_or(raw);
        match cleaned.parse::<f64>() {
            Ok(v) if v.is_finite() => {
                if raw.ends_with('%') {
                    v / 100.0
                } else {
                    v
                }
            }
            _ => return Err(format!("grade \"{raw}\" is not a number")),
        }
    };
    if !opts.letters.is_empty() {
        let percent = value * 100.0;
        let mut bands: Vec<_> = opts.letters.iter().collect();
        bands.sort_by(|a, b| b.min_percent.total_cmp(&a.min_percent));
        // Compare at the export's rounding so 89.995 % is not an A on screen and a B in the file.
        let rounded = round(percent, opts.decimals);
        return match bands.iter().find(|b| rounded >= b.min_percent) {
            Some(b) => {
                out.push_str(&b.label);
                Ok(true)
            }
            None => Err(format!("grade {rounded}% is below every band of the letter table")),
        };
    }
    let scaled = match opts.scale {
        Scale::AsIs => value,
        Scale::Percent => value * 100.0,
        Scale::Points { max } => value * max,
    };
    push_fixed(out, scaled, opts.decimals);
    Ok(true)
}

/// Writes `round(v, decimals)` with `decimals` (at most 4) decimal places: what
/// `format!("{:.*}", decimals, round(v, decimals))` writes, without the general float formatter
/// when the rounded value is a whole number of hundredths (or whatever the unit) below 10^15.
/// Such a value is the double nearest `k / 10^d` for an integer `k`, so its exact decimal
/// expansion rounds to `k / 10^d` again: its digits are those of `k`.
fn push_fixed(out: &mut String, v: f64, decimals: u8) {
    use std::fmt::Write as _;
    let d = u32::from(decimals.min(4));
    let f = 10f64.powi(d as i32);
    let k = (v * f).round();
    let rounded = k / f;
    if k.abs() < 1e15 {
        let k = k.abs() as u64;
        let unit = 10u64.pow(d);
        if rounded.is_sign_negative() {
            out.push('-');
        }
        let _ = write!(out, "{}", k / unit);
        if d > 0 {
            let _ = write!(out, ".{:0width$}", k % unit, width = d as usize);
        }
    } else {
        let _ = write!(out, "{:.*}", d as usize, rounded);
    }
}

fn round(v: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals.min(4)));
    (v * f).round() / f
}

/// The cells of a row to write, borrowed.
struct RowCells<'a> {
    cells: &'a [Cell],
    row: &'a Judged<'a>,
    fields: Fields<'a>,
    grade: &'a str,
}

impl<'a> RowCells<'a> {
    fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        let remote = self.row.remote_id().unwrap_or_default();
        self.cells.iter().map(move |c| match c {
            Cell::RemoteId => remote,
            Cell::Username => self.row.username,
            Cell::Email => self.row.email,
            Cell::StudentId => self.row.student_id,
            Cell::Grade => self.grade,
            Cell::Column(i) => self.fields.get(*i).unwrap_or_default(),
            Cell::Text(t) => t.as_str(),
        })
    }
}

/// Streams the report once, calling `write` and `error` for each row; checks that the file is
/// still the one reconciled. Returns (written, skipped, errors).
fn walk(
    session: &Session,
    opts: &ExportOptions,
    cells: &[Cell],
    mut write: impl FnMut(&mut dyn Iterator<Item = &str>) -> Result<bool>,
    mut error: impl FnMut([String; 3]) -> Result<()>,
) -> Result<(u64, u64, u64)> {
    let path = Path::new(&session.summary.file.path);
    let stream = RowStream::open(path)?;
    let grade_col = opts.grade_column.map(|c| c as usize);
    if let Some(c) = grade_col {
        if c >= stream.headers.len() {
            return Err(Error::Invalid(format!("The grade column ({}) is not in the file.", c + 1)));
        }
    }
    let mut stream = ReadAhead::new(stream);
    let matcher = &session.matcher;
    let (mut written, mut skipped, mut errors) = (0, 0, 0);
    let mut keep_going = true;
    let mut grade = String::new();
    let mut ordinal = 0;
    while let Some(next) = stream.next_ref() {
        ordinal += 1;
        let r = match next {
            Ok(r) => r,
            Err(p) => {
                let row = Matcher::problem(p);
                errors += 1;
                error([row.student_id, row.username, row.message])?;
                continue;
            }
        };
        matcher.prefetch(ordinal - 1);
        let row = matcher.judge(ordinal - 1, r);
        let fail = |msg: String| [row.student_id.to_owned(), row.username.to_owned(), msg];
        let failed = match row.status {
            RowStatus::Matched => None,
            RowStatus::Unenrolled if !opts.include_unenrolled => {
                skipped += 1;
                continue;
            }
            RowStatus::Unenrolled if row.remote_id().is_none() => Some(fail(if row.candidates().is_none() {
                "Unenrolled, and not linked to the provider".into()
            } else {
                "Unenrolled, and linked more than once on the provider".into()
            })),
            RowStatus::Unenrolled => None,
            RowStatus::NotLinked | RowStatus::NotChecked | RowStatus::Ambiguous | RowStatus::Problem => Some(fail(matcher.message(&row))),
        };
        if let Some(e) = failed {
            errors += 1;
            error(e)?;
            continue;
        }
        let raw = match grade_col {
            Some(i) => r.fields.get(i).unwrap_or_default(),
            None => row.grade,
        };
        match convert_into(raw, opts, &mut grade) {
            Ok(true) => {}
            Ok(false) => {
                skipped += 1;
                continue;
            }
            Err(m) => {
                errors += 1;
                error(fail(format!("Line {}: {m}", row.line)))?;
                continue;
            }
        }
        written += 1;
        if keep_going {
            let cells = RowCells { cells, row: &row, fields: r.fields, grade: &grade };
            keep_going = write(&mut cells.iter())?;
        }
    }
    if stream.checksum()? != session.summary.checksum {
        return Err(Error::Invalid(format!(
            "{} changed since it was reconciled. Reconcile it again before exporting.",
            session.summary.file.file_name
        )));
    }
    Ok((written, skipped, errors))
}

/// The header and first rows an export would write, and its counts (reads the report once).
pub fn preview(cw: &Crosswalk, id: i64, opts: &ExportOptions, rows: usize) -> Result<ExportPreview> {
    let session = cw.state::<super::Sessions>().get(id)?;
    let (header, cells) = layout(opts)?;
    let mut first = Vec::new();
    let (rows_to_write, skipped, errors) = walk(
        &session,
        opts,
        &cells,
        |r| {
            first.push(r.map(|v| neutralise(v).into_owned()).collect());
            Ok(first.len() < rows)
        },
        |_| Ok(()),
    )?;
    Ok(ExportPreview { header, rows: first, rows_to_write, skipped, errors })
}

enum Sink {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Xlsx { book: Box<rust_xlsxwriter::Workbook>, row: u32 },
}

impl Sink {
    fn create(path: &Path, format: OutputFormat, bom: bool) -> Result<Self> {
        let bad = |e: std::io::Error| Error::Invalid(format!("Could not write {}: {e}", path.display()));
        Ok(match format {
            OutputFormat::Csv => {
                let mut f = BufWriter::with_capacity(256 * 1024, File::create(path).map_err(bad)?);
                if bom {
                    f.write_all(b"\xEF\xBB\xBF").map_err(bad)?;
                }
                Sink::Csv(Box::new(csv::WriterBuilder::new().from_writer(f)))
            }
            OutputFormat::Xlsx => {
                let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                book.add_worksheet_with_constant_memory().map_err(|e| xlsx_error(path, e))?;
                Sink::Xlsx { book, row: 0 }
            }
        })
    }

    fn row<'a>(&mut self, path: &Path, cells: impl IntoIterator<Item = &'a str>) -> Result<()> {
        match self {
            Sink::Csv(w) => {
                let bad = |e: csv::Error| Error::Invalid(format!("Could not write {}: {e}", path.display()));
                for c in cells {
                    w.write_field(neutralise(c).as_bytes()).map_err(bad)?;
                }
                // Ends the record, as `write_record` does after its fields.
                w.write_record(std::iter::empty::<&[u8]>()).map_err(bad)
            }
            Sink::Xlsx { book, row } => {
                let ws = book.worksheet_from_index(0).map_err(|e| xlsx_error(path, e))?;
                for (c, v) in cells.into_iter().enumerate() {
                    // Numbers stay numbers (gradebooks sum them); text is written as text, never a formula.
                    match v.parse::<f64>() {
                        Ok(n) if !v.is_empty() && n.is_finite() && !v.starts_with('+') => ws.write_number(*row, c as u16, n),
                        _ => ws.write_string(*row, c as u16, neutralise(v)),
                    }
                    .map_err(|e| xlsx_error(path, e))?;
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Completes the file at `tmp` (`path` is what messages name).
    fn finish(self, tmp: &Path, path: &Path) -> Result<()> {
        match self {
            Sink::Csv(w) => {
                let f = (*w).into_inner().map_err(|e| Error::Invalid(format!("Could not write {}: {e}", path.display())))?;
                let f = f.into_inner().map_err(|e| Error::Invalid(format!("Could not write {}: {e}", path.display())))?;
                f.sync_all().map_err(|e| Error::Invalid(format!("Could not write {}: {e}", path.display())))
            }
            Sink::Xlsx { mut book, .. } => book.save(tmp).map_err(|e| xlsx_error(path, e)),
        }
    }
}

fn xlsx_error(path: &Path, e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Invalid(format!("Could not write {}: {e}", path.display()))
}

/// A file written under a temporary name beside its destination, renamed into place by `commit`.
struct Partial {
    tmp: PathBuf,
    dest: PathBuf,
}

impl Partial {
    fn new(dest: &Path) -> Self {
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
        Self { tmp: dest.with_file_name(format!(".{name}.crosswalk-partial")), dest: dest.to_path_buf() }
    }

    fn commit(self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.dest)
            .map_err(|e| Error::Invalid(format!("Could not move the export into place at {}: {e}", self.dest.display())))?;
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Where the error file goes when none was chosen: beside the export, `<name>.errors.csv`.
pub fn default_errors_path(out: &Path) -> PathBuf {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    out.with_file_name(format!("{stem}.errors.csv"))
}

/// Writes the export (and, when some rows cannot be exported, the error file) and records it in
/// History and Activity. The report must be unchanged since it was reconciled.
pub fn export(cw: &Crosswalk, id: i64, opts: &ExportOptions, out: &Path, errors: Option<&Path>) -> Result<ExportResult> {
    let session = cw.state::<super::Sessions>().get(id)?;
    let (header, cells) = layout(opts)?;
    let errors_path = errors.map(Path::to_path_buf).unwrap_or_else(|| default_errors_path(out));
    if errors_path == out {
        return Err(Error::Invalid("The error file must not be the export file: choose another name.".into()));
    }
    let out_partial = Partial::new(out);
    let err_partial = Partial::new(&errors_path);
    let mut sink = Sink::create(&out_partial.tmp, opts.format, opts.bom)?;
    sink.row(out, header.iter().map(String::as_str))?;
    let mut err_sink: Option<Sink> = None;
    let (written, skipped, error_count) = walk(
        &session,
        opts,
        &cells,
        |r| {
            sink.row(out, r)?;
            Ok(true)
        },
        |e| {
            if err_sink.is_none() {
                let mut s = Sink::create(&err_partial.tmp, OutputFormat::Csv, opts.bom)?;
                s.row(&errors_path, ERROR_HEADER)?;
                err_sink = Some(s);
            }
            err_sink.as_mut().expect("created above").row(&errors_path, e.iter().map(String::as_str))
        },
    )?;
    sink.finish(&out_partial.tmp, out)?;
    out_partial.commit()?;
    let errors_written = match err_sink {
        Some(s) => {
            s.finish(&err_partial.tmp, &errors_path)?;
            err_partial.commit()?;
            true
        }
        None => false,
    };
    let result = ExportResult {
        out_path: out.display().to_string(),
        errors_path: errors_written.then(|| errors_path.display().to_string()),
        rows_written: written,
        errors_written: error_count,
        skipped,
    };
    super::history::exported(cw, id, opts, &result)?;
    cw.activity.record(NewActivity::ok(
        "Exported grades",
        &session.summary.file.file_name,
        format!(
            "{} template, {written} rows to {}{}",
            opts.template.as_str(),
            out.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            if errors_written { format!(", {error_count} rows to the error file") } else { String::new() }
        ),
    ));
    Ok(result)
}

/// Writes only the error file (`Student ID, Username, Error`) of a reconciliation.
pub fn write_errors(cw: &Crosswalk, id: i64, opts: &ExportOptions, path: &Path) -> Result<u64> {
    let session = cw.state::<super::Sessions>().get(id)?;
    let (_, cells) = layout(opts)?;
    let partial = Partial::new(path);
    let mut sink = Sink::create(&partial.tmp, OutputFormat::Csv, opts.bom)?;
    sink.row(path, ERROR_HEADER)?;
    let (_, _, n) = walk(&session, opts, &cells, |_| Ok(true), |e| sink.row(path, e.iter().map(String::as_str)))?;
    sink.finish(&partial.tmp, path)?;
    partial.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grades::LetterBand;

    fn opts() -> ExportOptions {
        ExportOptions::default()
    }

    #[test]
    fn grades_scale_round_and_handle_not_attempted() {
        let mut o = opts();
        assert_eq!(convert("0.8567", &o).unwrap().unwrap(), "85.67");
        o.scale = Scale::Points { max: 20.0 };
        o.decimals = 1;
        assert_eq!(convert("0.8567", &o).unwrap().unwrap(), "17.1");
        o.scale = Scale::AsIs;
        o.decimals = 2;
        assert_eq!(convert("0.5", &o).unwrap().unwrap(), "0.50");
        assert_eq!(convert("Not Attempted", &o).unwrap().unwrap(), "");
        o.not_attempted = NotAttempted::Zero;
        assert_eq!(convert("Not Attempted", &o).unwrap().unwrap(), "0.00");
        o.not_attempted = NotAttempted::Skip;
        assert_eq!(convert("not attempted", &o).unwrap(), None);
        assert!(convert("abc", &o).unwrap_err().contains("not a number"));
        assert!(convert("NaN", &o).is_err());
    }

    #[test]
    fn fixed_point_grades_are_written_as_the_float_formatter_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            0.125,
            0.005,
            -0.005,
            0.015,
            2.675,
            1.005,
            0.045,
            -1.5,
            99.995,
            123456.789,
            1e14,
            999999999999999.4,
            1e15,
            1e16,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -1e-10,
            4503599627370495.5,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..30_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(match i % 4 {
                // What grade reports hold: fractions with a few digits, scaled to percent.
                0 => (x % 100_001) as f64 / 100_000.0 * 100.0,
                1 => (x % 10_000) as f64 / 10_000.0 * 100.0,
                2 => f64::from_bits(x),
                _ => (x as i64) as f64 / 1e6,
            });
        }
        for d in 0..=5u8 {
            for &v in &values {
                let mut s = String::new();
                push_fixed(&mut s, v, d);
                assert_eq!(s, format!("{:.*}", usize::from(d.min(4)), round(v, d)), "{v:e} to {d} decimals");
            }
        }
    }

    #[test]
    fn letter_bands_pick_the_highest_band_reached_at_the_export_rounding() {
        let mut o = opts();
        o.letters = vec![LetterBand { min_percent: 50.0, label: "Pass".into() }, LetterBand { min_percent: 0.0, label: "Fail".into() }];
        assert_eq!(convert("0.5", &o).unwrap().unwrap(), "Pass");
        assert_eq!(convert("0.49999", &o).unwrap().unwrap(), "Pass", "49.999% rounds to 50.00%");
        assert_eq!(convert("0.49", &o).unwrap().unwrap(), "Fail");
        o.letters.pop();
        assert!(convert("0.1", &o).unwrap_err().contains("below every band"));
    }

    #[test]
    fn brightspace_refuses_fractions_and_custom_needs_columns() {
        let mut o = opts();
        o.template = Template::Brightspace;
        o.scale = Scale::AsIs;
        assert!(layout(&o).is_err());
        o.scale = Scale::Points { max: 10.0 };
        assert_eq!(layout(&o).unwrap().0, vec!["OrgDefinedId", "Open edX grade Points Grade", "End-of-Line Indicator"]);
        o.template = Template::Custom;
        assert!(layout(&o).is_err());
    }
}
