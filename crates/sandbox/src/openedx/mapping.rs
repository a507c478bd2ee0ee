//! `GET {lms}/api/third_party_auth/v0/providers/{provider_id}/users`: the ID mapping API.

use std::sync::Arc;

use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::caller::{self, Authenticators};
use super::live::{ProviderView, View};
use super::pagination::{self, PageRequest, RequestUrl};
use super::permissions;
use super::query::QueryParams;
use super::responses;
use super::OpenEdx;

const ALLOW: &str = "GET, HEAD, OPTIONS";

/// The handler for every method on the route.
pub(crate) async fn provider_users(
    State(service): State<Arc<OpenEdx>>,
    method: Method,
    Path(segment): Path<String>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    // The LMS's URL pattern: `(?P<provider_id>[\w.+-]+)(?:\:(?P<idp_slug>[\w.+-]+))?`.
    let Some(provider_id) = provider_id_of(&segment) else {
        return responses::page_not_found_html();
    };

    let authenticators = Authenticators::JwtThenBearer;
    let caller = match caller::authenticate(&service, &headers, authenticators, service.clock.now()) {
        Ok(caller) => caller,
        Err(failure) => return failure.into_response(authenticators),
    };
    // Permissions come before the provider lookup: an unknown provider is no shortcut.
    if !permissions::may_read_provider(caller.as_ref(), caller::has_api_key(&headers), provider_id) {
        return match caller {
            None => responses::not_authenticated(authenticators.challenge()),
            Some(_) => responses::permission_denied(),
        };
    }
    if method == Method::OPTIONS {
        return responses::json(
            StatusCode::OK,
            &json!({
                "name": "User Mapping",
                "description": "Map between the third party auth account IDs (remote_id) and edX username.",
                "renders": ["application/json"],
                "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
            }),
        );
    }
    if method != Method::GET && method != Method::HEAD {
        return responses::method_not_allowed(&method, ALLOW);
    }

    // One consistent reading of the data for count, filters and page; no `.await` while held.
    let view = service.data.view();
    let Some(provider) = view.enabled_provider(provider_id) else {
        return responses::not_found();
    };
    let query = QueryParams::parse(uri.query());
    let selection = select(&view, &provider, &query);
    let Some(page) = PageRequest::from_query(&query).locate(selection.len()) else {
        return responses::invalid_page();
    };
    let results: Vec<Value> = (page.start..page.end)
        .map(|i| {
            let row = provider.at(selection.position(i));
            json!({
                "username": view.username(provider.learner(row)),
                "remote_id": provider.remote_id(row),
            })
        })
        .collect();
    drop(view);
    let origin = origin(&headers, &service);
    let url = RequestUrl { origin: &origin, path: uri.path(), query: &query };
    let body = pagination::envelope(service.controls.envelope(), &page, &url, results);
    let mut response = responses::json(StatusCode::OK, &body);
    response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static(ALLOW));
    response
}

/// The provider id of a path segment, without its optional `:<idp_slug>`; `None` when the
/// segment does not match the LMS's pattern.
pub(crate) fn provider_id_of(segment: &str) -> Option<&str> {
    fn valid(part: &str) -> bool {
        !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '+' | '-'))
    }
    let (id, slug) = match segment.split_once(':') {
        Some((id, slug)) => (id, Some(slug)),
        None => (segment, None),
    };
    (valid(id) && slug.is_none_or(valid)).then_some(id)
}

/// `http://<Host header>`, as Django's `build_absolute_uri` does, or the bound address.
fn origin(headers: &HeaderMap, service: &OpenEdx) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned).unwrap_or_else(|| service.local_addr.to_string());
    format!("http://{host}")
}

/// The list positions a request selects, in list order.
enum Selection {
    /// No filter: every position.
    All(usize),
    /// Filtered positions, ascending.
    Positions(Vec<usize>),
}

impl Selection {
    fn len(&self) -> usize {
        match self {
            Selection::All(n) => *n,
            Selection::Positions(positions) => positions.len(),
        }
    }

    /// The list position of the `i`-th selected row.
    fn position(&self, i: usize) -> usize {
        match self {
            Selection::All(_) => i,
            Selection::Positions(positions) => positions[i],
        }
    }
}

/// The filter values of `key`: all occurrences joined with `,` and split again, as a set.
/// `None` (no filter) when the key is absent or every occurrence is empty.
fn filter_values<'a>(query: &'a QueryParams, key: &'a str) -> Option<Vec<String>> {
    let joined = query.all(key).collect::<Vec<_>>().join(",");
    if joined.is_empty() {
        return None;
    }
    let mut values: Vec<String> = joined.split(',').map(str::to_owned).collect();
    values.sort_unstable();
    values.dedup();
    Some(values)
}

/// The union of rows matching any `username` or any `remote_id`; everything without filters.
fn select(view: &View<'_>, provider: &ProviderView<'_>, query: &QueryParams) -> Selection {
    let usernames = filter_values(query, "username");
    let remote_ids = filter_values(query, "remote_id");
    if usernames.is_none() && remote_ids.is_none() {
        return Selection::All(provider.len());
    }
    let mut selected: Vec<usize> = Vec::new();
    for username in usernames.iter().flatten() {
        if let Some(row) = view.learner_index(username).and_then(|learner| provider.row_of_learner(learner)) {
            selected.push(provider.position(row));
        }
    }
    for remote_id in remote_ids.iter().flatten() {
        if let Some(row) = provider.row_of_remote_id(remote_id) {
            selected.push(provider.position(row));
        }
    }
    selected.sort_unstable();
    selected.dedup();
    Selection::Positions(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_segment_follows_the_lms_pattern() {
        assert_eq!(provider_id_of("saml-demo-univ"), Some("saml-demo-univ"));
        assert_eq!(provider_id_of("saml-demo-univ:demo-univ"), Some("saml-demo-univ"));
        assert_eq!(provider_id_of("oa2-google_oauth2.v+2"), Some("oa2-google_oauth2.v+2"));
        assert_eq!(provider_id_of("a:b:c"), None);
        assert_eq!(provider_id_of("a:"), None);
        assert_eq!(provider_id_of(""), None);
        assert_eq!(provider_id_of("saml demo"), None);
        assert_eq!(provider_id_of("saml/x"), None);
    }

    #[test]
    fn empty_filter_values_mean_no_filter() {
        let q = QueryParams::parse(Some("username=&remote_id="));
        assert_eq!(filter_values(&q, "username"), None);
        let q = QueryParams::parse(Some("username=&username=b,a&username=a"));
        assert_eq!(filter_values(&q, "username"), Some(vec!["".to_owned(), "a".to_owned(), "b".to_owned()]));
    }
}
