//! Reading a report: encoding and delimiter detection, header recognition, and a row stream that
//! reports broken lines by number instead of dropping them.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use sha2::{Digest, Sha256};

use super::{ColumnMap, GradeFile, ReportKind, RowProblem};
use crate::{Error, Result};

/// How the bytes of a CSV are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

impl Encoding {
    fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Looks at the first 64 KiB: a BOM means UTF-8; valid UTF-8 means UTF-8; anything else is taken
/// for Windows-1252 (what Excel on Windows writes). The delimiter is the most frequent of `,`,
/// `;`, tab and `|` on the header line.
fn sniff(path: &Path) -> Result<(Encoding, u8)> {
    let mut head = Vec::with_capacity(64 * 1024);
    File::open(path).map_err(|e| cannot_open(path, e))?.take(64 * 1024).read_to_end(&mut head).map_err(|e| cannot_open(path, e))?;
    let encoding = if head.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else {
        match std::str::from_utf8(&head) {
            Ok(_) => Encoding::Utf8,
            // Cut in the middle of a character at the 64 KiB boundary: still UTF-8.
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Windows1252,
        }
    };
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut best = (0usize, b',');
    for d in [b',', b';', b'\t', b'|'] {
        let n = count_outside_quotes(first_line, d);
        if n > best.0 {
            best = (n, d);
        }
    }
    Ok((encoding, best.1))
}

fn count_outside_quotes(line: &[u8], d: u8) -> usize {
    let mut quoted = false;
    line.iter()
        .filter(|&&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            !quoted && b == d
        })
        .count()
}

fn cannot_open(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("Could not open {}: {e}. Check that the file exists and that you may read it.", path.display()))
}

/// Reads bytes and keeps their SHA-256.
pub struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// One data row: its fields and the line it starts on (1-based, the header is line 1).
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

/// One data row, borrowed from the stream (valid until the next read): no field is copied
/// unless the file is Windows-1252 or a spreadsheet.
#[derive(Clone, Copy)]
pub(crate) struct RowRef<'a> {
    pub line: u64,
    pub fields: Fields<'a>,
}

/// The fields of a [`RowRef`].
#[derive(Clone, Copy)]
pub(crate) enum Fields<'a> {
    /// A UTF-8 CSV row, already validated.
    Text(&'a csv::StringRecord),
    /// A decoded (Windows-1252) CSV row or a spreadsheet row.
    Owned(&'a [String]),
    /// A row read ahead ([`ReadAhead`]): its fields end at `ends` in `text`, from `start`.
    Packed { text: &'a str, start: usize, ends: &'a [usize] },
}

impl<'a> Fields<'a> {
    pub fn get(self, i: usize) -> Option<&'a str> {
        match self {
            Fields::Text(r) => r.get(i),
            Fields::Owned(f) => f.get(i).map(String::as_str),
            Fields::Packed { text, start, ends } => {
                let end = *ends.get(i)?;
                let from = if i == 0 { start } else { ends[i - 1] };
                Some(&text[from..end])
            }
        }
    }

    pub fn len(self) -> usize {
        match self {
            Fields::Text(r) => r.len(),
            Fields::Owned(f) => f.len(),
            Fields::Packed { ends, .. } => ends.len(),
        }
    }

    fn to_vec(self) -> Vec<String> {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default().to_owned()).collect()
    }
}

enum Source {
    Csv {
        rdr: Box<csv::Reader<Hashing<BufReader<File>>>>,
        encoding: Encoding,
        /// Windows-1252 rows are read as bytes, then decoded into `decoded`.
        record: csv::ByteRecord,
        /// UTF-8 rows are read (and validated) straight into this.
        text: csv::StringRecord,
        decoded: Vec<String>,
    },
    Sheet {
        rows: std::vec::IntoIter<Vec<String>>,
        line: u64,
        checksum: String,
        current: Vec<String>,
    },
}

/// A report opened for reading: its header, then its rows one at a time.
pub struct RowStream {
    source: Source,
    pub headers: Vec<String>,
    pub encoding: &'static str,
    pub delimiter: u8,
    pub format: &'static str,
}

fn is_sheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

impl RowStream {
    pub fn open(path: &Path) -> Result<Self> {
        if is_sheet(path) {
            return Self::open_sheet(path);
        }
        let (encoding, delimiter) = sniff(path)?;
        let file = File::open(path).map_err(|e| cannot_open(path, e))?;
        let reader = Hashing { inner: BufReader::with_capacity(256 * 1024, file), hash: Sha256::new() };
        let mut rdr = Box::new(csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(reader));
        let mut record = csv::ByteRecord::new();
        let has = rdr.read_byte_record(&mut record).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        if !has {
            return Err(Error::Invalid(format!("{} is empty: a report needs a header row and at least one learner.", path.display())));
        }
        let mut headers = decode_record(&record, encoding).map_err(|m| Error::Invalid(format!("{} line 1: {m}", path.display())))?;
        if let Some(first) = headers.first_mut() {
            if let Some(stripped) = first.strip_prefix('\u{feff}') {
                *first = stripped.to_string();
            }
        }
        let headers: Vec<String> = headers.into_iter().map(|h| h.trim().to_string()).collect();
        Ok(Self {
            source: Source::Csv { rdr, encoding, record, text: csv::StringRecord::new(), decoded: Vec::new() },
            headers,
            encoding: encoding.label(),
            delimiter,
            format: "csv",
        })
    }

    fn open_sheet(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| cannot_open(path, e))?;
        let checksum = hex(&Sha256::digest(&bytes));
        let mut rows: Vec<Vec<String>> = crate::spreadsheet::guarded(path, || {
            let mut wb =
                open_workbook_auto(path).map_err(|e| Error::Invalid(format!("Could not read {} as a spreadsheet: {e}", path.display())))?;
            let first = wb.sheet_names().first().cloned().ok_or_else(|| Error::Invalid(format!("{} has no sheets.", path.display())))?;
            let range = wb.worksheet_range(&first).map_err(|e| Error::Invalid(format!("Could not read {}: {e}", path.display())))?;
            Ok(range.rows().map(|r| r.iter().map(cell_text).collect()).collect::<Vec<_>>())
        })?;
        if rows.is_empty() {
            return Err(Error::Invalid(format!("{} is empty: a report needs a header row and at least one learner.", path.display())));
        }
        let headers = rows.remove(0).into_iter().map(|h| h.trim().to_string()).collect();
        Ok(Self {
            source: Source::Sheet { rows: rows.into_iter(), line: 1, checksum, current: Vec::new() },
            headers,
            encoding: "XLSX",
            delimiter: b',',
            format: "xlsx",
        })
    }

    /// The header row, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The next row, or the problem with it. `None` at the end.
    pub fn next_row(&mut self) -> Option<std::result::Result<Row, RowProblem>> {
        self.next_ref().map(|r| r.map(|r| Row { line: r.line, fields: r.fields.to_vec() }))
    }

    /// As [`RowStream::next_row`], borrowing the row instead of copying it out.
    pub(crate) fn next_ref(&mut self) -> Option<std::result::Result<RowRef<'_>, RowProblem>> {
        let width = self.headers.len();
        match &mut self.source {
            Source::Sheet { rows, line, current, .. } => {
                *current = rows.next()?;
                *line += 1;
                Some(Ok(RowRef { line: *line, fields: Fields::Owned(current) }))
            }
            Source::Csv { rdr, encoding, record, text, decoded } => loop {
                let line = rdr.position().line();
                let read = match encoding {
                    Encoding::Utf8 | Encoding::Utf8Bom => rdr.read_record(text),
                    Encoding::Windows1252 => rdr.read_byte_record(record),
                };
                match read {
                    Ok(false) => return None,
                    Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                        return Some(Err(RowProblem { line, message: NOT_UTF8.into() }));
                    }
                    Err(e) => return Some(Err(RowProblem { line, message: format!("could not be read ({e})") })),
                    Ok(true) => {}
                }
                let end = rdr.position().line();
                let fields = match encoding {
                    Encoding::Utf8 | Encoding::Utf8Bom => Fields::Text(text),
                    Encoding::Windows1252 => {
                        decoded.clear();
                        decoded.extend(record.iter().map(|f| encoding_rs::WINDOWS_1252.decode_without_bom_handling(f).0.into_owned()));
                        Fields::Owned(decoded)
                    }
                };
                let n = fields.len();
                if n == width || (n > width && (width..n).all(|i| fields.get(i).unwrap_or_default().trim().is_empty())) {
                    // Reborrowed so the row can outlive this loop iteration.
                    let fields = match encoding {
                        Encoding::Utf8 | Encoding::Utf8Bom => Fields::Text(text),
                        Encoding::Windows1252 => Fields::Owned(decoded),
                    };
                    return Some(Ok(RowRef { line, fields }));
                }
                if n == 1 && fields.get(0).unwrap_or_default().trim().is_empty() {
                    // A blank line: nothing to reconcile, nothing lost.
                    continue;
                }
                let spans = end.saturating_sub(line) > 1;
                let broken_quote = spans
                    && match encoding {
                        Encoding::Utf8 | Encoding::Utf8Bom => text.iter().any(|f| f.contains('\n')),
                        Encoding::Windows1252 => record.iter().any(|f| f.contains(&b'\n')),
                    };
                let message = if broken_quote {
                    format!(
                        "has a quote that is never closed: lines {line}–{} were read as one row. Fix the quoting of line {line} and try again",
                        end - 1
                    )
                } else {
                    format!("has {n} fields but the header has {width}; check its quoting and delimiters")
                };
                return Some(Err(RowProblem { line, message }));
            },
        }
    }

    /// The SHA-256 of everything read so far (all of the file once the rows ran out).
    pub fn checksum(self) -> String {
        match self.source {
            Source::Csv { rdr, .. } => {
                let mut inner = rdr.into_inner();
                // The csv reader stops at the last record; hash whatever trails it too.
                let _ = std::io::copy(&mut inner, &mut std::io::sink());
                hex(&inner.hash.finalize())
            }
            Source::Sheet { checksum, .. } => checksum,
        }
    }
}

/// Rows read ahead per batch.
const BATCH_ROWS: usize = 2048;

/// Rows of a batch: each row's line and the end of its last field in `ends` (or its problem).
#[derive(Default)]
struct Batch {
    text: String,
    ends: Vec<usize>,
    rows: Vec<(u64, std::result::Result<usize, RowProblem>)>,
}

/// A [`RowStream`] read on a thread of its own, a batch ahead, so reading, checksumming and
/// parsing the file overlap with what is done with each row (the export). Batches go back to the
/// reader to be refilled, so reading allocates nothing per row.
pub(crate) struct ReadAhead {
    full: std::sync::mpsc::Receiver<Batch>,
    empty: std::sync::mpsc::SyncSender<Batch>,
    current: Batch,
    /// The next row of `current`, and where its fields start in `current.ends`.
    at: usize,
    first_end: usize,
    reader: Option<std::thread::JoinHandle<String>>,
}

impl ReadAhead {
    pub fn new(mut stream: RowStream) -> Self {
        let (full_tx, full) = std::sync::mpsc::sync_channel::<Batch>(2);
        let (empty, empty_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        for _ in 0..3 {
            let _ = empty.send(Batch::default());
        }
        let reader = std::thread::spawn(move || {
            let mut finished = false;
            'batches: while let Ok(mut batch) = empty_rx.recv() {
                batch.text.clear();
                batch.ends.clear();
                batch.rows.clear();
                while batch.rows.len() < BATCH_ROWS {
                    match stream.next_ref() {
                        None => {
                            finished = true;
                            if !batch.rows.is_empty() {
                                let _ = full_tx.send(batch);
                            }
                            break 'batches;
                        }
                        Some(Err(p)) => batch.rows.push((p.line, Err(p))),
                        Some(Ok(r)) => {
                            for i in 0..r.fields.len() {
                                batch.text.push_str(r.fields.get(i).unwrap_or_default());
                                batch.ends.push(batch.text.len());
                            }
                            batch.rows.push((r.line, Ok(batch.ends.len())));
                        }
                    }
                }
                if full_tx.send(batch).is_err() {
                    break;
                }
            }
            // Abandoned half-way (the reader of the rows stopped): no need to read the rest.
            if finished {
                stream.checksum()
            } else {
                String::new()
            }
        });
        Self { full, empty, current: Batch::default(), at: 0, first_end: 0, reader: Some(reader) }
    }

    pub fn next_ref(&mut self) -> Option<std::result::Result<RowRef<'_>, RowProblem>> {
        if self.at == self.current.rows.len() {
            let next = self.full.recv().ok()?;
            let done = std::mem::replace(&mut self.current, next);
            let _ = self.empty.send(done);
            self.at = 0;
            self.first_end = 0;
        }
        let (line, row) = &mut self.current.rows[self.at];
        self.at += 1;
        match row {
            Err(p) => Some(Err(RowProblem { line: p.line, message: std::mem::take(&mut p.message) })),
            Ok(end) => {
                let (start_index, end_index) = (self.first_end, *end);
                self.first_end = end_index;
                let start = if start_index == 0 { 0 } else { self.current.ends[start_index - 1] };
                let fields = Fields::Packed { text: &self.current.text, start, ends: &self.current.ends[start_index..end_index] };
                Some(Ok(RowRef { line: *line, fields }))
            }
        }
    }

    /// The SHA-256 of the whole file, once every row was read.
    pub fn checksum(mut self) -> Result<String> {
        // Let the reader finish: take what is left, handing the batches back to it.
        while let Ok(batch) = self.full.recv() {
            let _ = self.empty.send(batch);
        }
        self.reader.take().expect("joined once").join().map_err(|_| Error::Invalid("The report could not be read to its end.".into()))
    }
}

const NOT_UTF8: &str = "is not valid UTF-8 (the file looks like UTF-8 elsewhere); save the file as UTF-8 and try again";

fn decode_record(record: &csv::ByteRecord, encoding: Encoding) -> std::result::Result<Vec<String>, String> {
    record
        .iter()
        .map(|f| match encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => std::str::from_utf8(f).map(str::to_owned).map_err(|_| NOT_UTF8.to_string()),
            Encoding::Windows1252 => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(f).0.into_owned()),
        })
        .collect()
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Columns that are never grades in an Open edX report.
const NOT_GRADES: &[&str] = &[
    "student id",
    "email",
    "username",
    "enrollment status",
    "enrollment track",
    "verification status",
    "certificate eligible",
    "certificate delivered",
    "certificate type",
    "cohort name",
    "team name",
];

/// Recognises the two Open edX reports by their leading columns; anything else is a custom file
/// whose columns are guessed from common header names.
pub(crate) fn classify(headers: &[String]) -> (ReportKind, ColumnMap, Vec<u32>) {
    let norm: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let find = |names: &[&str]| norm.iter().position(|h| names.contains(&h.as_str())).map(|i| i as u32);
    let starts = |cols: &[&str]| norm.len() >= cols.len() && norm.iter().zip(cols).all(|(h, c)| h == c);
    let kind = if starts(&["student id", "email", "username", "grade"]) && norm.iter().any(|h| h == "enrollment status") {
        ReportKind::CourseGrades
    } else if starts(&["student id", "email", "username", "enrollment status", "grade"]) {
        ReportKind::ProblemGrades
    } else {
        ReportKind::Custom
    };
    let columns = ColumnMap {
        username: find(&["username", "user name", "open edx username", "edx username", "user", "login"]),
        student_id: find(&["student id", "user id", "user_id"]),
        email: find(&["email", "email address", "e-mail"]),
        grade: find(&["grade", "final grade", "score", "total"]),
        enrollment_status: find(&["enrollment status", "enrolment status"]),
    };
    let grade_columns = norm
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            !NOT_GRADES.contains(&h.as_str()) && !h.starts_with("experiment group") && !h.ends_with("(possible)") && !h.is_empty()
        })
        .filter(|(i, _)| kind != ReportKind::Custom || Some(*i as u32) != columns.username)
        .map(|(i, _)| i as u32)
        .collect();
    (kind, columns, grade_columns)
}

/// Reads a report's header and first rows: what it is, how it is encoded, what its columns hold.
pub fn inspect(path: &Path) -> Result<GradeFile> {
    let size_bytes = std::fs::metadata(path).map_err(|e| cannot_open(path, e))?.len();
    let mut stream = RowStream::open(path)?;
    let (kind, columns, grade_columns) = classify(&stream.headers);
    let mut sample = Vec::new();
    while sample.len() < 8 {
        match stream.next_row() {
            None => break,
            Some(Ok(r)) => sample.push(r.fields),
            Some(Err(_)) => continue,
        }
    }
    Ok(GradeFile {
        path: path.display().to_string(),
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        kind,
        format: stream.format.into(),
        encoding: stream.encoding.into(),
        delimiter: match stream.delimiter {
            b'\t' => "tab".into(),
            d => (d as char).to_string(),
        },
        headers: stream.headers.clone(),
        columns,
        grade_columns,
        sample,
        size_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row as `line: fields` or `line! problem`, and the checksum.
    fn plain(path: &Path) -> (Vec<String>, String) {
        let mut s = RowStream::open(path).unwrap();
        let mut out = Vec::new();
        while let Some(r) = s.next_ref() {
            out.push(match r {
                Ok(r) => format!("{}: {}", r.line, r.fields.to_vec().join("|")),
                Err(p) => format!("{}! {}", p.line, p.message),
            });
        }
        (out, s.checksum())
    }

    fn ahead(path: &Path) -> (Vec<String>, String) {
        let mut s = ReadAhead::new(RowStream::open(path).unwrap());
        let mut out = Vec::new();
        while let Some(r) = s.next_ref() {
            out.push(match r {
                Ok(r) => format!("{}: {}", r.line, (0..r.fields.len()).map(|i| r.fields.get(i).unwrap()).collect::<Vec<_>>().join("|")),
                Err(p) => format!("{}! {}", p.line, p.message),
            });
        }
        (out, s.checksum().unwrap())
    }

    #[test]
    fn read_ahead_yields_what_the_stream_yields_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        // UTF-8 with problems (a short row, a blank line, an empty field) spread over several batches.
        let mut text = String::from("Student ID,Username,Grade\n");
        for i in 0..(BATCH_ROWS * 2 + 17) {
            match i % 997 {
                5 => text.push_str("only,two\n"),
                6 => text.push('\n'),
                7 => text.push_str(&format!("{i},,0.5\n")),
                _ => text.push_str(&format!("{i},\"user, {i}\",0.{}\n", i % 10)),
            }
        }
        let utf8 = dir.path().join("r.csv");
        std::fs::write(&utf8, &text).unwrap();
        // Windows-1252: decoded fields.
        let cp1252 = dir.path().join("w.csv");
        std::fs::write(&cp1252, b"Student ID,Username,Grade\n1,Ren\xe9,0.5\n2,Zo\xeb,0.7\n").unwrap();
        for path in [&utf8, &cp1252] {
            let (rows, sum) = plain(path);
            assert!(rows.len() >= 2);
            assert_eq!(ahead(path), (rows, sum));
        }
    }

    #[test]
    fn read_ahead_dropped_half_way_stops_its_reader() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        let mut text = String::from("a,b\n");
        for i in 0..(BATCH_ROWS * 8) {
            text.push_str(&format!("{i},x\n"));
        }
        std::fs::write(&path, text).unwrap();
        let mut s = ReadAhead::new(RowStream::open(&path).unwrap());
        assert!(s.next_ref().is_some());
        let reader = s.reader.take().unwrap();
        drop(s);
        // The reader sees its batches are no longer wanted and ends without reading the rest.
        assert_eq!(reader.join().unwrap(), "");
    }
}
