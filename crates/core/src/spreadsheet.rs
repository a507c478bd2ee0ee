//! Cells that a spreadsheet would run as a formula are neutralised before Crosswalk writes them;
//! spreadsheets people give Crosswalk are read behind a guard.

use std::borrow::Cow;
use std::path::Path;

use crate::{Error, Result};

/// Runs a spreadsheet reader (calamine) on a file someone gave Crosswalk, so that a panic inside
/// it, on a damaged or hostile file it does not expect, becomes a clear error instead of ending
/// the app. (Fuzzing found one: a cell reference with a very long column name overflows calamine's
/// column arithmetic.)
pub(crate) fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    struct Inside;
    impl Drop for Inside {
        fn drop(&mut self) {
            GUARDED.with(|g| g.set(g.get() - 1));
        }
    }
    GUARDED.with(|g| g.set(g.get() + 1));
    let inside = Inside;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    drop(inside);
    result.unwrap_or_else(|_| {
        Err(Error::Invalid(format!(
            "{} could not be read: the spreadsheet looks damaged. Open it in Excel or LibreOffice and save it again, or save it as CSV.",
            path.display()
        )))
    })
}

thread_local! {
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Whether this thread is inside [`guarded`], where a panic becomes an error: the fuzz targets'
/// panic hook lets such a panic unwind instead of aborting on it (see `fuzz::install_panic_hook`).
#[doc(hidden)]
pub fn inside_guard() -> bool {
    GUARDED.with(|g| g.get() > 0)
}

/// Prefixes a value that starts with `=`, `+`, `-`, `@`, a tab or a carriage return with a `'`,
/// so Excel, LibreOffice and Google Sheets show it as text instead of evaluating it (OWASP CSV
/// injection). Plain negative numbers are left alone.
pub fn neutralise(value: &str) -> Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && value.parse::<f64>().is_err() {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for v in ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(v).starts_with('\''), "{v}");
        }
        for v in ["-0.5", "+3", "ann", "s123", ""] {
            assert_eq!(neutralise(v), v);
        }
    }
}
