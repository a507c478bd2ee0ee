//! Learners: who an Open edX learner is in the university's identity provider.

use tokio_util::sync::CancellationToken;

use crate::activity::NewActivity;
use crate::crosswalk::Crosswalk;
use crate::openedx::{MappingPage, MappingsClient};
use crate::Result;

/// Reads one page of `provider_id`'s mappings live (token from the cache or the LMS, then the
/// mapping API), and records it in Activity.
pub async fn browse(cw: &Crosswalk, profile_id: &str, provider_id: &str, page: u32, page_size: u32) -> Result<MappingPage> {
    let profile = cw.profile(profile_id)?;
    let target = format!("{} · {provider_id}", profile.name);
    let result = MappingsClient::new(cw, &profile).page(provider_id, page, page_size, &CancellationToken::new()).await;
    match &result {
        Ok(p) => cw.activity.record(NewActivity::ok(
            "openedx.mappings.page",
            &target,
            format!("page {} of {}: {} rows of {}", p.page, p.num_pages, p.results.len(), p.count),
        )),
        Err(e) => cw.activity.record(NewActivity::error("openedx.mappings.page", &target, e.to_string())),
    }
    result
}

/// One provider a learner is linked to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct LearnerLink {
    pub provider_id: String,
    pub remote_id: String,
    /// The provider's display name (live answers only).
    pub name: Option<String>,
    pub source: crate::lookup::Source,
}

/// Every provider one learner is linked to.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct LearnerLinks {
    pub username: String,
    pub links: Vec<LearnerLink>,
    /// Why the live answer is missing, if it is (e.g. the client is not privileged).
    pub live_note: String,
}

#[derive(serde::Deserialize)]
struct ActiveLinks {
    active: Vec<ActiveLink>,
}

#[derive(serde::Deserialize)]
struct ActiveLink {
    provider_id: String,
    name: Option<String>,
    remote_id: String,
}

/// The providers `username` is linked to: from every mirror of the profile, and live from
/// `GET {lms}/api/third_party_auth/v0/users/?username=` (privileged clients only).
pub async fn links(cw: &Crosswalk, profile_id: &str, username: &str) -> Result<LearnerLinks> {
    use crate::lookup::Source;
    let profile = cw.profile(profile_id)?;
    let username = username.trim();
    if username.is_empty() {
        return Err(crate::Error::Invalid("Type a username.".into()));
    }
    let mut links: Vec<LearnerLink> = {
        let conn = cw.store.conn();
        // Each provider's live mirror generation, one indexed lookup each.
        let mut stmt = conn.prepare(
            "SELECT m.provider_id, m.remote_id FROM mirror_current c
             JOIN mirror_mappings m ON m.profile_id = c.profile_id AND m.provider_id = c.provider_id AND m.generation = c.generation
             WHERE c.profile_id = ?1 AND m.username = ?2 ORDER BY m.provider_id, m.remote_id",
        )?;
        let rows = stmt.query_map(rusqlite::params![profile.id, username], |r| {
            Ok(LearnerLink { provider_id: r.get(0)?, remote_id: r.get(1)?, name: None, source: Source::Cache })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut url = crate::connection::join_url("LMS base URL", &profile.openedx()?.base_url, "api/third_party_auth/v0/users/")?;
    url.query_pairs_mut().append_pair("username", username);
    let req = crate::openedx::token_request(&profile)?;
    let request = crate::remote::Request::get("The LMS", url)
        .auth(crate::remote::Auth::Token { request: &req, field: crate::connection::SecretField::ClientSecret });
    let live_note = match cw.send(&profile, request).await.map(|a| (a.status, a.body)) {
        Ok((200, body)) => match serde_json::from_slice::<ActiveLinks>(&body) {
            Ok(a) => {
                for l in a.active {
                    links.retain(|x| !(x.provider_id == l.provider_id && x.remote_id == l.remote_id));
                    links.push(LearnerLink { provider_id: l.provider_id, remote_id: l.remote_id, name: l.name, source: Source::Live });
                }
                String::new()
            }
            Err(e) => format!("The LMS answer could not be read ({e})."),
        },
        Ok((404, _)) => format!("The LMS has no user \"{username}\"."),
        Ok((401 | 403, _)) => "Only a privileged client (a staff application with Bearer tokens, or an API key) may ask the LMS for another user's links; showing the mirrors only.".into(),
        Ok((s, _)) => format!("The LMS answered {s}; showing the mirrors only."),
        Err(e) => format!("{e} Showing the mirrors only."),
    };
    links.sort_by(|a, b| a.provider_id.cmp(&b.provider_id));
    cw.activity.record(NewActivity::ok("openedx.learner.links", &profile.name, format!("{username}: {} links", links.len())));
    Ok(LearnerLinks { username: username.to_string(), links, live_note })
}
