//! OpenLearning single sign-on: find a managed user, ask OpenLearning for a signed, single-use
//! launch, and hand it to a browser — see `shared/reference/openlearning-sso.md`.
//!
//! A launch is a credential: whoever posts its parameters first is signed in as the learner. So
//! Crosswalk makes one only when asked, hands it straight to its destination (a one-shot loopback
//! page, an HTML file, the clipboard) and never writes it to SQLite, logs or Activity; what the
//! app shows of it has its signature masked.

pub(crate) mod client;
pub mod html;
pub mod oneshot;
pub mod roster;
mod users;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use client::{find_user, is_secret_param, sign_on, SignedLaunch, DEFAULT_USER_LOOKUP};
pub use users::known_users;

use crate::{Crosswalk, Result};

/// This instance's loopback server of one-shot launch pages (see [`Crosswalk::oneshot`]).
#[derive(Default)]
pub struct LaunchPages(tokio::sync::OnceCell<oneshot::OneShot>);

impl std::ops::Deref for LaunchPages {
    type Target = oneshot::OneShot;

    fn deref(&self) -> &oneshot::OneShot {
        self.0.get().expect("handed out only once started")
    }
}

impl Crosswalk {
    /// The loopback server of one-shot launch pages, started on first use.
    pub async fn oneshot(&self) -> Result<std::sync::Arc<LaunchPages>> {
        let pages = self.state::<LaunchPages>();
        pages
            .0
            .get_or_try_init(oneshot::OneShot::start)
            .await
            .map_err(|e| crate::Error::Invalid(format!("Could not start the local launch page server on 127.0.0.1 ({e}).")))?;
        Ok(pages)
    }
}

/// Makes a fresh launch and serves it once from the loopback page server; returns the page's
/// address (for the system browser only) and what the app may show. Stops at once when `cancel`
/// fires.
pub async fn serve_once(
    cw: &Crosswalk,
    req: &LaunchRequest,
    ttl: std::time::Duration,
    cancel: &tokio_util::sync::CancellationToken,
) -> Result<(url::Url, LaunchSummary)> {
    let (launch, mut summary) = sign_on(cw, req, cancel).await?;
    let server = cw.oneshot().await?;
    let url = server.serve(html::page(&launch), html::csp(&launch), ttl);
    let expires = cw.clock.now() + chrono::Duration::from_std(ttl).unwrap_or_default();
    summary.expires_at = Some(expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    Ok((url, summary))
}

/// Who to launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "by", content = "id", rename_all = "snake_case")]
pub enum UserRef {
    /// The OpenLearning user id.
    UserId(String),
    /// The institution's external id (student number, email, …), looked up first.
    ExternalId(String),
}

/// A launch to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LaunchRequest {
    /// An OpenLearning connection.
    pub profile_id: String,
    pub user: UserRef,
    /// Enrol into this class on launch.
    pub class_id: Option<String>,
    /// The external system's id for a class delivery; wins over `class_id`.
    pub context_id: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
}

/// An OpenLearning user found by external id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenLearningUser {
    pub user_id: String,
    pub external_id: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
}

/// A user id remembered from an earlier lookup (never launch parameters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KnownUser {
    pub external_id: String,
    pub user_id: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub found_at: String,
}

/// One launch parameter as the app may show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShownParam {
    pub name: String,
    /// The value, or `••••••` for a signature or nonce.
    pub value: String,
    pub masked: bool,
}

/// What the app shows of a launch it made: never the signature.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LaunchSummary {
    pub user_id: String,
    pub class_id: Option<String>,
    pub context_id: Option<String>,
    /// Where the form posts.
    pub action: String,
    pub method: String,
    pub params: Vec<ShownParam>,
    /// Things worth saying, e.g. that the context id won over the class id.
    pub notes: Vec<String>,
    /// When an "Open in browser" page stops answering (RFC 3339).
    pub expires_at: Option<String>,
}

/// A row of an imported roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RosterRow {
    #[ts(type = "number")]
    pub line: u64,
    pub external_id: String,
    pub class_id: Option<String>,
    pub context_id: Option<String>,
    pub email: Option<String>,
    pub full_name: Option<String>,
}

/// An imported roster: rows to launch on demand, and the lines that could not be read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Roster {
    pub file_name: String,
    pub rows: Vec<RosterRow>,
    pub problems: Vec<crate::grades::RowProblem>,
}
