//! `POST /institutions/{iid}/managed-users/{user_id}/sign-on/`: a single-use, OAuth 1.0a-signed
//! LTI 1.1 launch for the user's browser to post.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde_json::{json, Value};

use super::api_key::{acting_for, query_pairs};
use super::directory::Institution;
use super::responses::{self, ApiError};
use super::{OpenLearning, OpenLearningEnvelope, OPENLEARNING_LTI_CONSUMER_KEY};
use crate::clock::Clock;
use crate::oauth1;
use crate::stats::Counters;

/// The optional body fields; empty strings count as absent.
#[derive(Debug, Default)]
struct SignOnRequest {
    class_id: Option<String>,
    context_id: Option<String>,
    email: Option<String>,
    full_name: Option<String>,
}

impl SignOnRequest {
    fn set(&mut self, name: &str, value: String) {
        let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        match name {
            "class_id" => self.class_id = value,
            "context_id" => self.context_id = value,
            "email" => self.email = value,
            "full_name" => self.full_name = value,
            _ => {}
        }
    }

    /// A JSON object body when the content type says JSON, a form body otherwise.
    fn parse(headers: &HeaderMap, body: &[u8]) -> Result<Self, ApiError> {
        let mut request = Self::default();
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
        if content_type.starts_with("application/json") || content_type.contains("+json") {
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(request);
            }
            let fields = match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(fields)) => fields,
                _ => return Err(ApiError::new(StatusCode::BAD_REQUEST, "The request body must be a JSON object.")),
            };
            for (name, value) in fields {
                match value {
                    Value::String(s) => request.set(&name, s),
                    Value::Number(n) => request.set(&name, n.to_string()),
                    Value::Null => {}
                    _ => return Err(ApiError::new(StatusCode::BAD_REQUEST, format!("`{name}` must be a string."))),
                }
            }
        } else {
            for (name, value) in url::form_urlencoded::parse(body) {
                request.set(&name, value.into_owned());
            }
        }
        Ok(request)
    }
}

pub(crate) async fn sign_on(
    State(service): State<Arc<OpenLearning>>,
    method: Method,
    Path((institution_id, user_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = query_pairs(query.as_deref());
    let institution = match acting_for(&service.directory, &headers, &query, &institution_id) {
        Ok(institution) => institution,
        Err(refusal) => return refusal.into_response(),
    };
    if method != Method::POST {
        return responses::method_not_allowed("POST");
    }
    let request = match SignOnRequest::parse(&headers, &body) {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    let params = match launch_params(&service, institution, &user_id, request) {
        Ok(params) => params,
        Err(refusal) => return refusal.into_response(),
    };
    Counters::bump(&service.controls.counters.openlearning_sign_ons);
    let answer = json!({"url": service.launch_url, "method": "POST", "params": params});
    let body = match service.envelope() {
        OpenLearningEnvelope::Plain => answer,
        OpenLearningEnvelope::Data => json!({ "data": answer }),
    };
    responses::json(StatusCode::OK, &body)
}

/// The signed launch parameters, or the refusal: 404 for an unknown user or a non-member, 400 for
/// a member without an external id, 404 for an unknown `class_id` (checked only when no
/// `context_id` is given: a context id wins, and an unlinked one is refused at launch).
fn launch_params(
    service: &OpenLearning,
    institution: &Institution,
    user_id: &str,
    request: SignOnRequest,
) -> Result<BTreeMap<String, String>, ApiError> {
    let directory = &service.directory;
    let account = directory.account_index(user_id).ok_or_else(responses::user_not_found)?;
    let member = institution.member_of_account(account).ok_or_else(responses::not_a_member)?;
    if member.external_id.is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "This user has no institution external ID. Set the user's external ID in the institution portal before signing them on.",
        ));
    }
    let class_id = match (&request.context_id, request.class_id) {
        (Some(_), _) | (None, None) => None,
        (None, Some(class_id)) => match institution.class(&class_id) {
            Some(_) => Some(class_id),
            None => return Err(ApiError::new(StatusCode::NOT_FOUND, "Class not found.")),
        },
    };
    let account = &directory.accounts[account];
    let resource = request.context_id.as_deref().or(class_id.as_deref()).unwrap_or("portal");

    let mut params = BTreeMap::new();
    let mut put = |name: &str, value: &str| {
        params.insert(name.to_owned(), value.to_owned());
    };
    put("lti_message_type", "basic-lti-launch-request");
    put("lti_version", "LTI-1p0");
    put("resource_link_id", &format!("{}-{resource}", institution.id));
    put("user_id", &account.id);
    put("roles", "Learner");
    if let Some(context_id) = &request.context_id {
        put("context_id", context_id);
    }
    if let Some(class_id) = &class_id {
        put("custom_class_id", class_id);
    }
    put("lis_person_contact_email_primary", request.email.as_deref().unwrap_or(&account.email));
    put("lis_person_name_full", request.full_name.as_deref().unwrap_or(&account.full_name));
    put("oauth_consumer_key", OPENLEARNING_LTI_CONSUMER_KEY);
    put("oauth_nonce", &nonce());
    put("oauth_timestamp", &service.clock.now().timestamp().to_string());
    put("oauth_signature_method", oauth1::SIGNATURE_METHOD);
    put("oauth_version", "1.0");
    put("oauth_callback", "about:blank");
    let pairs: Vec<(&String, &String)> = params.iter().collect();
    let signature = oauth1::sign("POST", &service.launch_url, &pairs, &service.consumer_secret);
    params.insert(oauth1::SIGNATURE_PARAM.to_owned(), signature);
    Ok(params)
}

/// 128 random bits from the operating system's generator, as 32 hex digits: unguessable, unlike
/// the seeded data.
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().fold(String::with_capacity(32), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
