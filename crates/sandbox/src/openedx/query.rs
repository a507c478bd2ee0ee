//! Query strings the way Django reads and DRF rewrites them: form-urlencoded (`+` is a space),
//! repeatable keys, and links re-encoded with Python's `urlencode` (keys sorted, `quote_plus`).

use std::fmt::Write as _;

/// The decoded `key=value` pairs of a query string, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Decodes a raw query string (without `?`); `+` means space, `%2B` means `+`.
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
            .unwrap_or_default();
        Self { pairs }
    }

    /// Every value of `key`, in order (Django's `getlist`).
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The last value of `key` (Django's `QueryDict.get`/`[]`).
    pub fn last(&self, key: &str) -> Option<&str> {
        self.pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Re-encodes the query with `key` set to `value` (DRF's `replace_query_param`) or removed
    /// (`remove_query_param`) when `value` is `None`.
    pub fn with(&self, key: &str, value: Option<&str>) -> String {
        let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
        for (k, v) in &self.pairs {
            match grouped.iter_mut().find(|(g, _)| g == k) {
                Some((_, values)) => values.push(v),
                None => grouped.push((k, vec![v])),
            }
        }
        grouped.retain(|(k, _)| *k != key);
        if let Some(value) = value {
            grouped.push((key, vec![value]));
        }
        grouped.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::new();
        for (k, values) in grouped {
            for v in values {
                if !out.is_empty() {
                    out.push('&');
                }
                quote_plus(&mut out, k);
                out.push('=');
                quote_plus(&mut out, v);
            }
        }
        out
    }
}

/// Python's `urllib.parse.quote_plus`: unreserved bytes stay, space becomes `+`, the rest `%XX`.
pub(crate) fn quote_plus(out: &mut String, value: &str) {
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

/// Python's `urllib.parse.unquote_plus`: `+` is a space, `%XX` a byte; a malformed escape stays
/// as written.
pub(crate) fn unquote_plus(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_is_a_space_and_percent_2b_a_plus() {
        let q = QueryParams::parse(Some("username=ann+mooc&username=ann%2Bmooc"));
        assert_eq!(q.all("username").collect::<Vec<_>>(), ["ann mooc", "ann+mooc"]);
    }

    #[test]
    fn links_sort_keys_and_quote_values() {
        let q = QueryParams::parse(Some("username=b%2Bc,d&page_size=5&username=a&page=1"));
        assert_eq!(q.with("page", Some("2")), "page=2&page_size=5&username=b%2Bc%2Cd&username=a");
        assert_eq!(q.with("page", None), "page_size=5&username=b%2Bc%2Cd&username=a");
    }

    #[test]
    fn unquote_plus_matches_python() {
        assert_eq!(unquote_plus("s3cr%2Bt%3A%25%2F%3D"), "s3cr+t:%/=");
        assert_eq!(unquote_plus("a+b"), "a b");
        assert_eq!(unquote_plus("100%"), "100%");
        assert_eq!(unquote_plus("%zz%4"), "%zz%4");
    }
}
