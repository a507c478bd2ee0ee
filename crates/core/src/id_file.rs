//! Reading a column of identifiers from a CSV or XLSX file (bulk lookups).

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use crate::openedx::LookupMode;
use crate::{Error, Result};

/// Ids read from a file, and the mode its column's header suggests.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct IdFile {
    pub file: String,
    pub ids: Vec<String>,
    pub mode: Option<LookupMode>,
}

/// The ids of a file: the column named `username` or `remote_id` (which also tells the mode),
/// else the first column; a first row that looks like a header is skipped. Empty cells are
/// skipped; a malformed CSV line is reported with its line number.
pub fn read(path: &Path) -> Result<(Vec<String>, Option<LookupMode>)> {
    let rows = rows(path)?;
    let Some(first) = rows.first() else { return Ok((Vec::new(), None)) };
    let header: Vec<String> = first.iter().map(|h| h.trim().to_lowercase()).collect();
    let (column, mode, skip_first) = match header.iter().position(|h| h == "username") {
        Some(i) => (i, Some(LookupMode::Username), true),
        None => match header.iter().position(|h| h == "remote_id" || h == "remote id") {
            Some(i) => (i, Some(LookupMode::RemoteId), true),
            None => (0, None, header.first().is_some_and(|h| h == "id" || h == "ids" || h == "identifier")),
        },
    };
    let ids = rows
        .iter()
        .skip(usize::from(skip_first))
        .filter_map(|r| r.get(column))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Ok((ids, mode))
}

/// Every row of a CSV or spreadsheet (its first sheet) as text cells.
pub fn rows(path: &Path) -> Result<Vec<Vec<String>>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_sheet(path),
        _ => read_csv(path),
    }
}

fn read_csv(path: &Path) -> Result<Vec<Vec<String>>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| Error::Invalid(format!("Could not read {}: {e}", path.display())))?;
    let mut rows = Vec::new();
    for (n, r) in rdr.byte_records().enumerate() {
        let r = r.map_err(|e| Error::Invalid(format!("{} line {}: {e}. Fix the line and try again.", path.display(), n + 1)))?;
        rows.push(r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect());
    }
    Ok(rows)
}

fn read_sheet(path: &Path) -> Result<Vec<Vec<String>>> {
    crate::spreadsheet::guarded(path, || read_sheet_unguarded(path))
}

fn read_sheet_unguarded(path: &Path) -> Result<Vec<Vec<String>>> {
    let mut wb = open_workbook_auto(path).map_err(|e| Error::Invalid(format!("Could not open the spreadsheet {}: {e}", path.display())))?;
    let sheet = wb
        .worksheet_range_at(0)
        .ok_or_else(|| Error::Invalid(format!("The spreadsheet {} has no sheet.", path.display())))?
        .map_err(|e| Error::Invalid(format!("Could not read the first sheet of {}: {e}", path.display())))?;
    Ok(sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// Writes rows as an XLSX file (cells written as text, never formulas).
pub fn write_xlsx(path: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let bad = |e: rust_xlsxwriter::XlsxError| Error::Invalid(format!("Could not write {}: {e}", path.display()));
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(bad)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).map_err(bad)?;
        }
    }
    wb.save(path).map_err(bad)
}

/// Writes rows as CSV, cells that a spreadsheet would run as formulas neutralised; optionally
/// with a BOM so Excel reads UTF-8.
pub fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>], bom: bool) -> Result<()> {
    let bad = |e: std::io::Error| Error::Invalid(format!("Could not write {}: {e}", path.display()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(bad)?);
    if bom {
        std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF").map_err(bad)?;
    }
    let mut w = csv::Writer::from_writer(file);
    let csv_bad = |e: csv::Error| Error::Invalid(format!("Could not write {}: {e}", path.display()));
    w.write_record(header).map_err(csv_bad)?;
    for row in rows {
        w.write_record(row.iter().map(|v| crate::spreadsheet::neutralise(v).into_owned())).map_err(csv_bad)?;
    }
    w.flush().map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_column_is_found_by_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ids.csv");
        std::fs::write(&p, "name,remote_id\nAnn,s1\nBob,\nCarl,s3\n").unwrap();
        let (ids, mode) = read(&p).unwrap();
        assert_eq!(ids, vec!["s1", "s3"]);
        assert_eq!(mode, Some(LookupMode::RemoteId));
        std::fs::write(&p, "ann\nbob\n").unwrap();
        assert_eq!(read(&p).unwrap(), (vec!["ann".to_string(), "bob".to_string()], None));
    }

    #[test]
    fn xlsx_round_trip_and_formulas_stay_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ids.xlsx");
        write_xlsx(&p, &["username"], &[vec!["ann".into()], vec!["=cmd()".into()], vec!["12345".into()]]).unwrap();
        let (ids, mode) = read(&p).unwrap();
        assert_eq!(ids, vec!["ann", "=cmd()", "12345"]);
        assert_eq!(mode, Some(LookupMode::Username));
    }
}
