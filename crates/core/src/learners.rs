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
    let mut links: Vec<LearnerLink> = crate::mirror::links_of_username(cw, &profile.id, username)?
        .into_iter()
        .map(|(provider_id, remote_id)| LearnerLink { provider_id, remote_id, name: None, source: Source::Cache })
        .collect();
    let live_note = match crate::openedx::user_links(cw, &profile, username).await.map(|a| (a.status, a.body)) {
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
