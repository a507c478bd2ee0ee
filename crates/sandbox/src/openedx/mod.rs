//! The simulated Open edX LMS: the OAuth2 token endpoint and the third-party-auth API, mounted
//! under `/openedx` (so the LMS base URL is `http://127.0.0.1:PORT/openedx`).

mod caller;
pub mod clients;
pub mod data;
pub(crate) mod drift;
pub(crate) mod live;
mod mapping;
pub(crate) mod names;
mod pagination;
mod permissions;
pub mod providers;
mod query;
mod responses;
mod seed;
mod token_endpoint;
mod tokens;
mod users;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{any, post};
use axum::Router;

use crate::clock::Clock;
use crate::controls::Controls;
use crate::faults::Route;
use caller::Caller;
use clients::Registration;
use live::LiveData;
use tokens::{JwtClaims, Tokens};

/// Path prefix of the Open edX service in the sandbox.
pub const PATH_PREFIX: &str = "/openedx";
/// Token endpoint path below the LMS base URL.
pub const TOKEN_PATH: &str = "/oauth2/access_token";
/// Path of the ID mapping API below the LMS base URL; `{provider_id}` is a placeholder.
pub const MAPPING_PATH: &str = "/api/third_party_auth/v0/providers/{provider_id}/users";

/// Shared state of the Open edX routes.
pub(crate) struct OpenEdx {
    /// The current data (seeded plus run-time changes).
    pub data: Arc<LiveData>,
    pub registrations: Vec<Registration>,
    pub tokens: Tokens,
    pub controls: Arc<Controls>,
    pub clock: Arc<dyn Clock>,
    pub local_addr: SocketAddr,
}

impl OpenEdx {
    pub fn new(data: Arc<LiveData>, controls: Arc<Controls>, clock: Arc<dyn Clock>, local_addr: SocketAddr) -> Self {
        let issuer = format!("http://{local_addr}{PATH_PREFIX}/oauth2");
        Self {
            tokens: Tokens::new(issuer, data.seeded().seed()),
            data,
            registrations: clients::registrations(),
            controls,
            clock,
            local_addr,
        }
    }

    fn caller_from_registration(&self, index: usize) -> Caller {
        let owner = &self.registrations[index].owner;
        Caller {
            username: owner.username.to_owned(),
            email: owner.email.to_owned(),
            is_staff: owner.is_staff,
            is_superuser: owner.is_superuser,
            jwt: None,
        }
    }

    /// The JWT's user: an application owner when the name matches one; staff per the
    /// `administrator` claim.
    fn caller_from_jwt(&self, claims: JwtClaims) -> Caller {
        let owner = self.registrations.iter().map(|r| &r.owner).find(|o| o.username == claims.preferred_username);
        Caller {
            username: claims.preferred_username.clone(),
            email: claims.email.clone(),
            is_staff: claims.administrator || owner.is_some_and(|o| o.is_staff),
            is_superuser: owner.is_some_and(|o| o.is_superuser),
            jwt: Some(claims),
        }
    }
}

/// The routes, relative to [`PATH_PREFIX`].
pub(crate) fn router(service: Arc<OpenEdx>) -> Router {
    Router::new()
        .route(TOKEN_PATH, post(token_endpoint::access_token))
        .route(&format!("{TOKEN_PATH}/"), post(token_endpoint::access_token))
        .route(MAPPING_PATH, any(mapping::provider_users))
        .route("/api/third_party_auth/v0/users/", any(users::user_by_query))
        .route("/api/third_party_auth/v0/users", any(users::append_slash))
        .route("/api/third_party_auth/v0/users/{username}", any(users::user_by_path))
        .fallback(|| async { responses::page_not_found_html() })
        .with_state(service)
}

/// Which kind of request a path (relative to [`PATH_PREFIX`]) is, for knobs and counters.
pub(crate) fn route_of(path: &str) -> Route {
    let path = path.strip_prefix(PATH_PREFIX).unwrap_or(path);
    if path == TOKEN_PATH || path == "/oauth2/access_token/" {
        Route::Token
    } else if let Some(rest) = path.strip_prefix("/api/third_party_auth/v0/") {
        if rest.starts_with("providers/") {
            Route::Mapping
        } else if rest.starts_with("users") {
            Route::Users
        } else {
            Route::OtherApi
        }
    } else if path.starts_with("/api/") {
        Route::OtherApi
    } else {
        Route::Other
    }
}
