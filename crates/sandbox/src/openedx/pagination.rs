//! Page selection and the two envelopes, following DRF's `PageNumberPagination` as configured
//! by edx-drf-extensions (`page_size` 10 by default, at most 100, `page=last`) and Django's
//! `Paginator` (1-based pages, out-of-range pages refused).

use serde_json::{json, Value};

use super::query::QueryParams;
use crate::config::Envelope;

/// `page_size` when absent or invalid.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 10;
/// Largest honoured `page_size`; larger requests are capped silently.
pub(crate) const MAX_PAGE_SIZE: usize = 100;

/// What the request asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PageRequest {
    number: PageNumber,
    size: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PageNumber {
    Number(i128),
    Last,
    NotANumber,
}

/// One page of `count` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    pub number: usize,
    pub num_pages: usize,
    pub size: usize,
    /// Items `start..end` are on this page.
    pub start: usize,
    pub end: usize,
    pub count: usize,
}

impl PageRequest {
    /// Reads `page` and `page_size` (the last value of each wins, as with Django's `get`).
    pub fn from_query(query: &QueryParams) -> Self {
        let number = match query.last("page") {
            None => PageNumber::Number(1),
            Some("last") => PageNumber::Last,
            Some(raw) => python_int(raw).map_or(PageNumber::NotANumber, PageNumber::Number),
        };
        // DRF `_positive_int(strict=True, cutoff=max_page_size)`; any failure means the default.
        let size = query
            .last("page_size")
            .and_then(python_int)
            .filter(|&n| n > 0)
            .map_or(DEFAULT_PAGE_SIZE, |n| n.min(MAX_PAGE_SIZE as i128) as usize);
        Self { number, size }
    }

    /// The page of `count` items, or `None` for "Invalid page.".
    pub fn locate(&self, count: usize) -> Option<Page> {
        // Django: an empty list still has one (empty) first page.
        let num_pages = count.max(1).div_ceil(self.size);
        let number = match self.number {
            PageNumber::Last => num_pages,
            PageNumber::Number(n) if n >= 1 && n <= num_pages as i128 => n as usize,
            PageNumber::Number(_) | PageNumber::NotANumber => return None,
        };
        let start = (number - 1) * self.size;
        Some(Page { number, num_pages, size: self.size, start, end: (start + self.size).min(count), count })
    }
}

/// Python's `int(str)` for what a query can hold: surrounding whitespace, a sign, digits with
/// single underscores between them. Saturates instead of growing without bound.
fn python_int(raw: &str) -> Option<i128> {
    let s = raw.trim();
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        match c {
            '_' => {}
            '0'..='9' => value = value.saturating_mul(10).saturating_add(i128::from(c as u8 - b'0')),
            _ => return None,
        }
    }
    Some(if negative { -value } else { value })
}

/// Where the request was sent, to build absolute `next`/`previous` links.
#[derive(Clone, Debug)]
pub(crate) struct RequestUrl<'a> {
    /// `http://host:port`
    pub origin: &'a str,
    /// The path as received, e.g. `/openedx/api/third_party_auth/v0/providers/x/users`.
    pub path: &'a str,
    pub query: &'a QueryParams,
}

impl RequestUrl<'_> {
    fn with_page(&self, page: Option<usize>) -> String {
        let number = page.map(|p| p.to_string());
        let query = self.query.with("page", number.as_deref());
        if query.is_empty() {
            format!("{}{}", self.origin, self.path)
        } else {
            format!("{}{}?{query}", self.origin, self.path)
        }
    }
}

/// The answer body for one page in the chosen envelope.
pub(crate) fn envelope(envelope: Envelope, page: &Page, url: &RequestUrl<'_>, results: Vec<Value>) -> Value {
    match envelope {
        Envelope::Current => {
            let next = (page.number < page.num_pages).then(|| url.with_page(Some(page.number + 1)));
            // DRF drops `page` altogether from the link to page 1.
            let previous = (page.number > 1).then(|| url.with_page((page.number > 2).then_some(page.number - 1)));
            json!({
                "next": next,
                "previous": previous,
                "count": page.count,
                "num_pages": page.num_pages,
                "current_page": page.number,
                "start": page.start,
                "results": results,
            })
        }
        Envelope::Legacy => json!({
            "page": page.number,
            "page_size": page.size,
            "count": page.count,
            "results": results,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(q: &str) -> PageRequest {
        PageRequest::from_query(&QueryParams::parse(Some(q)))
    }

    #[test]
    fn page_size_defaults_caps_and_falls_back() {
        assert_eq!(request("").size, 10);
        assert_eq!(request("page_size=25").size, 25);
        assert_eq!(request("page_size=1000").size, 100);
        assert_eq!(request("page_size=99999999999999999999999999999999999999999").size, 100);
        for bad in ["0", "-5", "abc", "", "2.5"] {
            assert_eq!(request(&format!("page_size={bad}")).size, 10, "{bad}");
        }
        assert_eq!(request("page_size=+7").size, 7);
        assert_eq!(request("page_size=1_0").size, 10);
    }

    #[test]
    fn pages_are_located_like_django() {
        assert_eq!(request("page=2&page_size=10").locate(25).map(|p| (p.start, p.end)), Some((10, 20)));
        assert_eq!(request("page=last").locate(25).map(|p| p.number), Some(3));
        assert_eq!(request("page=4").locate(25), None);
        assert_eq!(request("page=0").locate(25), None);
        assert_eq!(request("page=x").locate(25), None);
        assert_eq!(request("page=").locate(25), None);
        assert_eq!(request("page=1").locate(0).map(|p| (p.num_pages, p.end)), Some((1, 0)));
        assert_eq!(request("page=2").locate(0), None);
    }
}
