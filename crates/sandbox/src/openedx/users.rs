//! `GET {lms}/api/third_party_auth/v0/users/?username=<u>` or `?email=<e>` (and the deprecated
//! `.../v0/users/<username-or-email>`): the providers one user is linked to.

use std::sync::Arc;

use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::caller::{self, Authenticators, Caller};
use super::permissions;
use super::query::QueryParams;
use super::responses;
use super::OpenEdx;

/// Whom the request asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Identifier {
    Email(String),
    Username(String),
}

/// `GET .../v0/users/?email=` or `?username=` (email wins when both are given).
pub(crate) async fn user_by_query(
    State(service): State<Arc<OpenEdx>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let identifier = query
        .last("email")
        .map(|e| Identifier::Email(e.to_owned()))
        .or_else(|| query.last("username").map(|u| Identifier::Username(u.to_owned())));
    answer(&service, &method, &headers, identifier)
}

/// Deprecated `GET .../v0/users/<value>`: an `@` makes the value an e-mail address.
pub(crate) async fn user_by_path(
    State(service): State<Arc<OpenEdx>>,
    method: Method,
    Path(value): Path<String>,
    headers: HeaderMap,
) -> Response {
    let valid = !value.is_empty() && value.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '@' | '+' | '-'));
    if !valid {
        return responses::page_not_found_html();
    }
    let identifier = if value.contains('@') { Identifier::Email(value) } else { Identifier::Username(value) };
    answer(&service, &method, &headers, Some(identifier))
}

/// Django's `APPEND_SLASH`: `.../v0/users` redirects to `.../v0/users/`.
pub(crate) async fn append_slash(OriginalUri(uri): OriginalUri) -> Response {
    let target = match uri.query() {
        Some(q) => format!("{}/?{q}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(location) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn answer(service: &OpenEdx, method: &Method, headers: &HeaderMap, identifier: Option<Identifier>) -> Response {
    let caller = match caller::authenticate(service, headers, Authenticators::BearerOnly, service.clock.now()) {
        Ok(caller) => caller,
        Err(failure) => return failure.into_response(Authenticators::BearerOnly),
    };
    let Some(identifier) = identifier else {
        return responses::json(StatusCode::BAD_REQUEST, &json!(["Must provide one of ['email', 'username']"]));
    };
    if method != Method::GET && method != Method::HEAD {
        return responses::method_not_allowed(method, "GET, HEAD, OPTIONS");
    }
    let privileged =
        is_self(caller.as_ref(), &identifier) || permissions::may_read_other_users(caller.as_ref(), caller::has_api_key(headers));
    if !privileged {
        return responses::empty(StatusCode::FORBIDDEN);
    }

    let view = service.data.view();
    let learner = match &identifier {
        Identifier::Email(email) => view.learner_index_by_email(email),
        Identifier::Username(username) => view.learner_index(username),
    };
    let Some(learner) = learner else {
        // The owners of the demo applications exist too, linked to nothing.
        let is_owner = service.registrations.iter().any(|r| match &identifier {
            Identifier::Email(e) => r.owner.email == e,
            Identifier::Username(u) => r.owner.username == u,
        });
        return if is_owner { responses::json(StatusCode::OK, &json!({"active": []})) } else { responses::empty(StatusCode::NOT_FOUND) };
    };

    let mut providers: Vec<_> = view.providers().filter(|p| p.config().enabled).collect();
    providers.sort_by_key(|p| p.config().kind.listing_rank());
    let active: Vec<Value> = providers
        .into_iter()
        .filter_map(|provider| {
            provider.row_of_learner(learner).map(|row| {
                json!({
                    "provider_id": provider.config().id,
                    "name": provider.config().name,
                    "remote_id": provider.remote_id(row),
                })
            })
        })
        .collect();
    drop(view);
    responses::json(StatusCode::OK, &json!({ "active": active }))
}

fn is_self(caller: Option<&Caller>, identifier: &Identifier) -> bool {
    caller.is_some_and(|c| match identifier {
        Identifier::Username(u) => &c.username == u,
        Identifier::Email(e) => &c.email == e,
    })
}
