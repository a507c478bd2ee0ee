//! `GET {lms}/api/third_party_auth/v0/providers/{provider_id}/users`: username ↔ remote id.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::{diagnosis, lms_url, token_request, SERVICE};
use crate::connection::{Profile, SecretField};
use crate::crosswalk::Crosswalk;
use crate::remote::{Auth, Request};
use crate::{Error, Result};

/// The largest page the LMS serves (it silently caps `page_size` at 100).
pub const MAX_PAGE_SIZE: u32 = 100;

/// One learner's link to a provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Mapping {
    pub username: String,
    pub remote_id: String,
}

/// One page of a provider's mappings, as Crosswalk shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MappingPage {
    pub provider_id: String,
    pub page: u32,
    pub page_size: u32,
    /// How many mappings the provider has in all.
    #[ts(type = "number")]
    pub count: u64,
    /// Known with the current envelope; computed from `count` with the legacy one.
    pub num_pages: u32,
    pub results: Vec<Mapping>,
    /// `current` (`next`/`num_pages`) or `legacy` (`page`/`page_size`) envelope.
    pub envelope: String,
    pub fetched_at: DateTime<Utc>,
}

/// Both envelopes the LMS has used, read leniently.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    pub next: Option<String>,
    pub count: u64,
    pub num_pages: Option<u32>,
    pub current_page: Option<u32>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    pub results: Vec<Mapping>,
}

/// Reads the mapping API of one Open edX profile.
pub struct MappingsClient<'a> {
    cw: &'a Crosswalk,
    profile: &'a Profile,
    /// Requests sent to the mapping API through this client, retries and failures included.
    sent: std::sync::atomic::AtomicU32,
}

impl<'a> MappingsClient<'a> {
    pub fn new(cw: &'a Crosswalk, profile: &'a Profile) -> Self {
        Self { cw, profile, sent: std::sync::atomic::AtomicU32::new(0) }
    }

    /// How many requests this client has sent (retries and failed ones included).
    pub fn sent(&self) -> u32 {
        self.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The endpoint for `provider_id`, with no trailing slash (the LMS answers 404 to one).
    pub fn endpoint(profile: &Profile, provider_id: &str) -> Result<url::Url> {
        let mut url = lms_url(profile.openedx()?)?;
        url.path_segments_mut()
            .map_err(|_| Error::Invalid("The LMS base URL cannot be used as a base URL.".into()))?
            .pop_if_empty()
            .extend(["api", "third_party_auth", "v0", "providers", provider_id, "users"]);
        Ok(url)
    }

    /// Fetches one page of `provider_id`'s mappings.
    pub async fn page(&self, provider_id: &str, page: u32, page_size: u32, cancel: &CancellationToken) -> Result<MappingPage> {
        let page = page.max(1);
        let page_size = page_size.clamp(1, MAX_PAGE_SIZE);
        let mut url = Self::endpoint(self.profile, provider_id)?;
        url.query_pairs_mut().append_pair("page", &page.to_string()).append_pair("page_size", &page_size.to_string());
        let env = self.fetch(&url, provider_id, cancel).await?;
        let legacy = env.num_pages.is_none() && env.next.is_none() && env.page.is_some();
        let num_pages = env.num_pages(page_size);
        Ok(MappingPage {
            provider_id: provider_id.to_string(),
            page: env.current_page.or(env.page).unwrap_or(page),
            page_size,
            count: env.count,
            num_pages,
            results: env.results,
            envelope: if legacy { "legacy" } else { "current" }.into(),
            fetched_at: self.cw.clock.now(),
        })
    }

    /// GETs one page URL (one retry layer: "not now" answers and cut-off bodies are asked for
    /// again), with the status explained when it is an error.
    pub(crate) async fn fetch(&self, url: &url::Url, provider_id: &str, cancel: &CancellationToken) -> Result<Envelope> {
        let req = token_request(self.profile)?;
        let request = Request::get(SERVICE, url.clone())
            .auth(Auth::Token { request: &req, field: SecretField::ClientSecret })
            .cancel(cancel)
            .counted(&self.sent)
            .expect_json();
        let answer = self.cw.send(self.profile, request).await?;
        if answer.status != 200 {
            return Err(Error::Remote {
                service: SERVICE.into(),
                status: answer.status,
                diagnosis: diagnosis::explain(answer.status, &answer.body, provider_id),
            });
        }
        answer.json::<Envelope>(SERVICE)
    }

    /// Every mapping whose username is in `usernames` OR whose remote id is in `remote_ids`
    /// (the LMS ORs the two filters). Never sends an empty filter: with nothing to look for it
    /// sends nothing. Follows `next`, else steps `page` until `count` rows were read. Returns the
    /// rows and the number of requests made.
    pub async fn filtered(
        &self,
        provider_id: &str,
        usernames: &[String],
        remote_ids: &[String],
        cancel: &CancellationToken,
    ) -> Result<(Vec<Mapping>, u32)> {
        let usernames: Vec<&str> = usernames.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        let remote_ids: Vec<&str> = remote_ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        if usernames.is_empty() && remote_ids.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let mut base = Self::endpoint(self.profile, provider_id)?;
        {
            let mut q = base.query_pairs_mut();
            // form-urlencoding sends `+` as %2B (a bare `+` would mean a space) and `,` as %2C,
            // which the LMS decodes before splitting its comma lists.
            if !usernames.is_empty() {
                q.append_pair("username", &usernames.join(","));
            }
            if !remote_ids.is_empty() {
                q.append_pair("remote_id", &remote_ids.join(","));
            }
            q.append_pair("page_size", &MAX_PAGE_SIZE.to_string());
        }
        let mut rows = Vec::new();
        let mut requests = 0;
        let mut page = 1;
        let mut url = base.clone();
        let mut visited = std::collections::HashSet::new();
        let refused = |reason: String| Error::BadAnswer { service: SERVICE.into(), reason };
        loop {
            if visited.len() >= MAX_FILTERED_PAGES {
                return Err(refused(format!(
                    "it kept sending more pages (over {MAX_FILTERED_PAGES} for at most 50 ids per filter), so the answer cannot be read to its end. Tell the LMS's operator"
                )));
            }
            visited.insert(url.clone());
            let env = self.fetch(&url, provider_id, cancel).await?;
            requests += 1;
            let (count, pages) = (env.count, env.num_pages(MAX_PAGE_SIZE));
            rows.extend(env.results);
            if let Some(next) = env.next.as_deref() {
                let next = next_page_url(&base, next)?;
                if visited.contains(&next) {
                    return Err(refused(format!(
                        "its page links go round in a loop (page {} leads back to a page already read), so the answer cannot be read to its end. Tell the LMS's operator",
                        visited.len()
                    )));
                }
                url = next;
            } else if (rows.len() as u64) < count && page < pages {
                // The legacy envelope has no `next`: step `page` until `count` rows were read.
                page += 1;
                url = base.clone();
                url.query_pairs_mut().append_pair("page", &page.to_string());
            } else {
                break;
            }
        }
        Ok((rows, requests))
    }
}

/// A filtered query asks for at most 50 ids per filter, so a few pages of 100 rows hold every
/// answer; far more pages than this is a server that never stops paginating.
const MAX_FILTERED_PAGES: usize = 1_000;

/// A `next` link is followed only to the LMS it came from: a hostile or misconfigured answer must
/// not send the token elsewhere, and stopping there silently would report a partial answer as
/// the whole one.
fn next_page_url(base: &url::Url, next: &str) -> Result<url::Url> {
    let refused = |reason: String| Error::BadAnswer { service: SERVICE.into(), reason };
    let u = base.join(next).map_err(|e| refused(format!("its link to the next page ({next:.120}) is not a web address ({e})")))?;
    if u.origin() != base.origin() {
        return Err(refused(format!(
            "its link to the next page points at another server ({}), which Crosswalk does not follow (the access token would go there). The LMS's public address may be misconfigured (Django's ALLOWED_HOSTS or a proxy's Host header): tell its operator",
            u.origin().ascii_serialization()
        )));
    }
    Ok(u)
}

impl Envelope {
    /// `num_pages` as served, else computed from `count` and the page size.
    pub(crate) fn num_pages(&self, page_size: u32) -> u32 {
        let served_size = self.page_size.unwrap_or(page_size).max(1);
        self.num_pages.unwrap_or_else(|| self.count.div_ceil(u64::from(served_size)).try_into().unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::{ClientAuth, NetworkSettings, OpenEdxSettings, ProfileSettings, TokenType};

    fn profile(base: &str) -> Profile {
        Profile {
            id: "p".into(),
            name: "p".into(),
            settings: ProfileSettings::Openedx(OpenEdxSettings {
                base_url: base.into(),
                client_id: "id".into(),
                token_type: TokenType::Jwt,
                client_auth: ClientAuth::Basic,
                scopes: vec![],
                providers: vec![],
            }),
            network: NetworkSettings::default(),
            secret_env: None,
            demo: false,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn endpoint_has_no_trailing_slash_and_keeps_a_base_path() {
        let u = MappingsClient::endpoint(&profile("https://lms.example.edu/"), "saml-ubc").unwrap();
        assert_eq!(u.as_str(), "https://lms.example.edu/api/third_party_auth/v0/providers/saml-ubc/users");
        let u = MappingsClient::endpoint(&profile("http://127.0.0.1:9/openedx"), "oa2-google-oauth2").unwrap();
        assert_eq!(u.as_str(), "http://127.0.0.1:9/openedx/api/third_party_auth/v0/providers/oa2-google-oauth2/users");
    }

    #[test]
    fn token_url_keeps_the_base_path() {
        let r = token_request(&profile("http://127.0.0.1:9/openedx")).unwrap();
        assert_eq!(r.token_url.as_str(), "http://127.0.0.1:9/openedx/oauth2/access_token");
        assert_eq!(r.extra, vec![("token_type".to_string(), "jwt".to_string())]);
        assert_eq!(r.scheme, "JWT");
    }
}
