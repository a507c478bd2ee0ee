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
