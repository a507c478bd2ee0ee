//! The HTML pages a browser sees at the launch URL.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A page with a heading and paragraphs; every argument is plain text and is escaped here.
pub(crate) fn page(status: StatusCode, heading: &str, paragraphs: &[&str]) -> Response {
    let mut body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{} | OpenLearning</title>\n</head>\n<body>\n  <main>\n    <h1>{}</h1>\n",
        escape(heading),
        escape(heading)
    );
    for paragraph in paragraphs {
        body.push_str("    <p>");
        body.push_str(&escape(paragraph));
        body.push_str("</p>\n");
    }
    body.push_str("  </main>\n</body>\n</html>\n");
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(escape(r#"<b>"O'Brien" & co</b>"#), "&lt;b&gt;&quot;O&#39;Brien&quot; &amp; co&lt;/b&gt;");
        assert_eq!(escape("Zoë — 日本"), "Zoë — 日本");
    }
}
