//! Who may read which provider's mappings (the LMS's `TPA_PERMISSIONS`).

use super::caller::Caller;

/// `(not a restricted JWT AND (superuser OR staff OR valid X-Edx-Api-Key))`
/// `OR (restricted JWT AND scope tpa:read AND filter tpa_provider:<provider_id>)`.
///
/// `provider_id` is the id from the path, without any `:<idp_slug>` suffix.
pub(crate) fn may_read_provider(caller: Option<&Caller>, api_key: bool, provider_id: &str) -> bool {
    let restricted_jwt = caller.and_then(|c| c.jwt.as_ref().filter(|j| j.is_restricted));
    match restricted_jwt {
        None => api_key || caller.is_some_and(|c| c.is_superuser || c.is_staff),
        Some(claims) => {
            claims.scopes.iter().any(|s| s == "tpa:read")
                && claims
                    .filters
                    .iter()
                    .any(|f| f.split_once(':').is_some_and(|(kind, value)| kind == "tpa_provider" && value == provider_id))
        }
    }
}

/// Whether a caller may ask about another user's links (the LMS's `is_unprivileged_query`
/// turned around): superuser or API key.
pub(crate) fn may_read_other_users(caller: Option<&Caller>, api_key: bool) -> bool {
    api_key || caller.is_some_and(|c| c.is_superuser)
}
