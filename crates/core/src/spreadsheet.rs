//! Cells that a spreadsheet would run as a formula are neutralised before Crosswalk writes them.

use std::borrow::Cow;

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
