//! A file handed to the app from outside — on its command line, or to a second launch (which
//! passes it on to the running window) — and the screen that takes it: an Open edX grade report,
//! or any table with a username column and a grade column, goes to Grades; anything else with
//! identifiers (one column of usernames or remote ids) to a Learners lookup.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::grades::{self, GradeFile, ReportKind};
use crate::id_file::{self, IdFile};

impl crate::Crosswalk {
    /// Whether `path` is a file Crosswalk opened or wrote: chosen or written in this process, or
    /// a file of a kept grade reconciliation. Only those may be shown in the file manager.
    pub fn knows_file(&self, path: &Path) -> crate::Result<bool> {
        if self.remembers_file(path) {
            return Ok(true);
        }
        grades::knows_file(self, &path.display().to_string())
    }
}

/// What a file is, for the screen that takes it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "screen", rename_all = "snake_case")]
pub enum OpenedFile {
    /// An Open edX course or problem grade report: the Grades screen checks it.
    Grades { file: GradeFile },
    /// A list of identifiers: the Learners screen looks them up.
    Learners { ids: IdFile },
    /// Neither: why, in words.
    Unreadable { path: String, reason: String },
}

/// Reads `path` and says which screen takes it.
pub fn route(path: &Path) -> OpenedFile {
    let shown = path.display().to_string();
    if let Ok(file) = grades::inspect(path) {
        let graded_table = file.columns.username.is_some() && !file.grade_columns.is_empty();
        if file.kind != ReportKind::Custom || graded_table {
            return OpenedFile::Grades { file };
        }
    }
    match id_file::read(path) {
        Ok((ids, mode)) if !ids.is_empty() => OpenedFile::Learners { ids: IdFile { file: shown, ids, mode } },
        Ok(_) => OpenedFile::Unreadable {
            path: shown,
            reason: "The file holds no identifiers and is no Open edX grade report. Open a grade report in Grades, or a list of usernames or remote ids in Learners.".into(),
        },
        Err(e) => OpenedFile::Unreadable { path: shown, reason: e.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grade_report_goes_to_grades_and_an_id_list_to_learners() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("grade_report.csv");
        std::fs::write(&report, "Student ID,Email,Username,Grade,Enrollment Status\n1,a@x.org,ann,0.9,enrolled\n").unwrap();
        assert!(matches!(route(&report), OpenedFile::Grades { file } if file.kind == ReportKind::CourseGrades));
        let custom = dir.path().join("marks.csv");
        std::fs::write(&custom, "username,final grade\nann,0.9\n").unwrap();
        assert!(matches!(route(&custom), OpenedFile::Grades { file } if file.kind == ReportKind::Custom));
        let ids = dir.path().join("ids.csv");
        std::fs::write(&ids, "username\nann\nbob\n").unwrap();
        match route(&ids) {
            OpenedFile::Learners { ids } => assert_eq!(ids.ids, vec!["ann", "bob"]),
            other => panic!("{other:?}"),
        }
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        assert!(matches!(route(&empty), OpenedFile::Unreadable { .. }));
        assert!(matches!(route(&dir.path().join("missing.csv")), OpenedFile::Unreadable { reason, .. } if !reason.is_empty()));
    }
}
