//! What an error answer from the mapping API means, in words an administrator can act on.

use serde::Deserialize;

/// The bodies the LMS sends with its error statuses.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    detail: Option<String>,
    error_code: Option<String>,
}

/// Explains an error status from `GET …/providers/{provider_id}/users` for `provider_id`.
pub(crate) fn explain(status: u16, body: &[u8], provider_id: &str) -> String {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    match (status, parsed.detail.as_deref(), parsed.error_code.as_deref()) {
        (401, _, Some("token_expired")) => "the access token has expired. Crosswalk fetches a new one automatically; if this repeats, the LMS issues tokens that are already expired — a restricted application must ask for JWT tokens (set the token type to JWT).".into(),
        (401, _, Some("token_nonexistent")) => "the LMS does not know this access token. Check that the connection points at the LMS that issued it.".into(),
        (401, _, _) => "the request was not authenticated. Check the client id and secret in Connections.".into(),
        (403, _, _) => format!(
            "this API client may not read provider \"{provider_id}\". The LMS operator must either make the application's owner staff, or mark the application restricted with scope tpa:read and the filter tpa_provider:{provider_id}. Open Learners → Permissions for the exact steps."
        ),
        (404, Some("Invalid page."), _) => "the page asked for is past the end of the list.".into(),
        (404, _, _) if body.starts_with(b"<") => "the address is wrong (the LMS answered with a web page). Check the LMS base URL in Connections.".into(),
        (404, _, _) => format!("the LMS has no enabled provider \"{provider_id}\". Check the provider id (for example saml-<idp-slug> or oa2-<backend>) and that the provider is enabled in the LMS."),
        (429, _, _) => "the LMS is limiting how fast Crosswalk may ask. Wait a minute and try again.".into(),
        (500..=599, _, _) => "the LMS had an internal problem. Try again later; if it persists, tell the LMS operator.".into(),
        (s, d, _) => format!("unexpected status {s}{}", d.map(|d| format!(" ({d})")).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_documented_status_gets_its_own_advice() {
        assert!(explain(401, br#"{"detail":"Authentication credentials were not provided."}"#, "p").contains("client id and secret"));
        assert!(explain(401, br#"{"error_code":"token_expired","developer_message":"x"}"#, "p").contains("JWT"));
        assert!(explain(401, br#"{"error_code":"token_nonexistent","developer_message":"x"}"#, "p").contains("does not know"));
        assert!(
            explain(403, br#"{"detail":"You do not have permission to perform this action."}"#, "saml-x").contains("tpa_provider:saml-x")
        );
        assert!(explain(404, br#"{"detail":"Not found."}"#, "saml-x").contains("no enabled provider \"saml-x\""));
        assert!(explain(404, br#"{"detail":"Invalid page."}"#, "p").contains("past the end"));
        assert!(explain(404, b"<html>Not Found</html>", "p").contains("base URL"));
    }
}
