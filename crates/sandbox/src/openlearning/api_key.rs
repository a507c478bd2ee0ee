//! Who is calling: the institution an administrator API key acts for, from
//! `Authorization: Bearer <key>` or `?api_key=<key>`.

use axum::http::{header, HeaderMap};

use super::directory::{Directory, Institution};
use super::responses::{self, ApiError};

/// The decoded query string of a request.
pub(crate) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// The first value of a query parameter.
pub(crate) fn query_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The key of a request: the bearer header wins over the query parameter.
fn presented_key<'a>(headers: &'a HeaderMap, query: &'a [(String, String)]) -> Option<&'a str> {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
        let (scheme, key) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
    });
    bearer.or_else(|| query_value(query, "api_key")).filter(|k| !k.is_empty())
}

/// The institution the presented key acts for; 401 for a missing or unknown key.
pub(crate) fn caller<'a>(directory: &'a Directory, headers: &HeaderMap, query: &[(String, String)]) -> Result<&'a Institution, ApiError> {
    presented_key(headers, query).and_then(|key| directory.institution_of_key(key)).ok_or_else(responses::invalid_api_key)
}

/// Institution `institution_id`, when the presented key may act for it: 401 for a missing or
/// unknown key, then 404 for an unknown institution, then 403 for another institution's key.
pub(crate) fn acting_for<'a>(
    directory: &'a Directory,
    headers: &HeaderMap,
    query: &[(String, String)],
    institution_id: &str,
) -> Result<&'a Institution, ApiError> {
    let caller = caller(directory, headers, query)?;
    let institution = directory.institution(institution_id).ok_or_else(responses::institution_not_found)?;
    if caller.id != institution.id {
        return Err(responses::not_your_institution());
    }
    Ok(institution)
}
