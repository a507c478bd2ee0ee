//! `POST /openlearning/lti/launch`: where the user's browser posts a sign-on's params. Checks
//! the signature, the time window and the nonce, then signs the user in and enrols them in the
//! class the launch names. Answers HTML, as a page a person reads.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use super::classes::{ClassType, OpenLearningClass};
use super::directory::Institution;
use super::pages::page;
use super::{OpenLearning, OpenLearningLaunch, LAUNCH_WINDOW_SECS, OPENLEARNING_LTI_CONSUMER_KEY};
use crate::clock::Clock;
use crate::oauth1;
use crate::stats::Counters;

/// Parameters every launch carries.
const REQUIRED: [&str; 7] =
    ["lti_message_type", "user_id", "oauth_consumer_key", "oauth_nonce", "oauth_timestamp", "oauth_signature_method", "oauth_signature"];

/// The launch's form fields, in the order posted.
struct LaunchForm(Vec<(String, String)>);

impl LaunchForm {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
}

pub(crate) async fn launch(State(service): State<Arc<OpenLearning>>, headers: HeaderMap, body: Bytes) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return not_a_launch("The launch must be posted as a form (application/x-www-form-urlencoded).");
    }
    let form = LaunchForm(url::form_urlencoded::parse(&body).into_owned().collect());
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|name| form.get(name).is_none()).collect();
    if !missing.is_empty() {
        return not_a_launch(&format!("The launch is missing {}.", missing.join(", ")));
    }
    if form.get("lti_message_type") != Some("basic-lti-launch-request") {
        return not_a_launch("Only basic-lti-launch-request messages are accepted here.");
    }

    let signed_by_us = form.get("oauth_consumer_key") == Some(OPENLEARNING_LTI_CONSUMER_KEY)
        && form.get("oauth_signature_method") == Some(oauth1::SIGNATURE_METHOD)
        && form.get("oauth_version").is_none_or(|v| v == "1.0")
        && oauth1::verify("POST", &service.launch_url, &form.0, &service.consumer_secret);
    if !signed_by_us {
        return page(
            StatusCode::UNAUTHORIZED,
            "The launch signature is not valid",
            &[
                "The launch parameters were changed after OpenLearning signed them, or they were signed for another address.",
                "Start the launch again from your course; if it keeps failing, ask the administrator to check the integration.",
            ],
        );
    }

    let now = service.clock.now().timestamp();
    let timestamp = form.get("oauth_timestamp").and_then(|t| t.parse::<i64>().ok());
    let Some(timestamp) = timestamp.filter(|t| now.abs_diff(*t) <= LAUNCH_WINDOW_SECS.unsigned_abs()) else {
        return page(
            StatusCode::BAD_REQUEST,
            "This launch link has expired",
            &[
                &format!(
                    "A launch link is valid for {} minutes after it is made, and this one is outside that window (or the clocks of the two systems disagree).",
                    LAUNCH_WINDOW_SECS / 60
                ),
                "Go back to your course and launch OpenLearning again to get a fresh link.",
            ],
        );
    };
    if !service.nonces.use_once(form.get("oauth_nonce").unwrap_or_default(), timestamp, now) {
        return page(
            StatusCode::CONFLICT,
            "This launch link has already been used",
            &[
                "Each launch link signs you in once. Reloading or re-submitting the page sends the same link again.",
                "Go back to your course and launch OpenLearning again.",
            ],
        );
    }

    let directory = &service.directory;
    let institution = &directory.institutions[0];
    let user_id = form.get("user_id").unwrap_or_default();
    let account = directory.account_index(user_id).filter(|&a| institution.member_of_account(a).is_some());
    let Some(account) = account.map(|a| &directory.accounts[a]) else {
        return page(
            StatusCode::FORBIDDEN,
            "This account is not a member of the institution",
            &[
                &format!("The launch is for user {user_id}, who is not a member of {}.", institution.name),
                "Ask the administrator to add you to the institution.",
            ],
        );
    };
    let class = match class_of(institution, &form) {
        Ok(class) => class,
        Err(refusal) => return refusal.page(institution),
    };
    if let Some(class) = class {
        if class.class_type == ClassType::Closed && !class.enrolled_user_ids.contains(&account.id) {
            return page(
                StatusCode::FORBIDDEN,
                "This class has not been provisioned for this learner",
                &[
                    &format!("{} is closed to new enrolments, and you are not enrolled in it.", class.name),
                    "Ask the course administrator to enrol you, then launch again from your course.",
                ],
            );
        }
    }

    service.record_launch(OpenLearningLaunch {
        user_id: account.id.clone(),
        class_id: class.map(|c| c.id.clone()),
        context_id: form.get("context_id").map(str::to_owned),
    });
    Counters::bump(&service.controls.counters.openlearning_launches);
    let signed_in = format!("Signed in as {}", account.full_name);
    match class {
        Some(class) => page(StatusCode::OK, &signed_in, &[&format!("You are enrolled in {}.", class.name)]),
        None => page(StatusCode::OK, &signed_in, &[&format!("Welcome to the {} portal.", institution.name)]),
    }
}

/// Why a launch names no class it may enter.
enum ClassRefusal {
    /// The `context_id` is not linked to a class (yet).
    UnlinkedContext(String),
    /// The `custom_class_id` is no class of the institution.
    UnknownClass(String),
}

impl ClassRefusal {
    fn page(&self, institution: &Institution) -> Response {
        match self {
            ClassRefusal::UnlinkedContext(context_id) => page(
                StatusCode::CONFLICT,
                "This course is not yet linked to a class; an administrator must set it up",
                &[
                    &format!("Your course ({context_id}) has no OpenLearning class yet."),
                    "An administrator of the institution must launch it once to create or choose its class. Try again after that.",
                ],
            ),
            ClassRefusal::UnknownClass(class_id) => page(
                StatusCode::NOT_FOUND,
                "Class not found",
                &[
                    &format!("There is no class {class_id} at {}.", institution.name),
                    "Ask the administrator to check the course's settings.",
                ],
            ),
        }
    }
}

/// The class a launch enters: the one its `context_id` is linked to, else its `custom_class_id`,
/// else none.
fn class_of<'a>(institution: &'a Institution, form: &LaunchForm) -> Result<Option<&'a OpenLearningClass>, ClassRefusal> {
    if let Some(context_id) = form.get("context_id") {
        return institution.class_of_context(context_id).map(Some).ok_or_else(|| ClassRefusal::UnlinkedContext(context_id.to_owned()));
    }
    match form.get("custom_class_id") {
        None => Ok(None),
        Some(class_id) => institution.class(class_id).map(Some).ok_or_else(|| ClassRefusal::UnknownClass(class_id.to_owned())),
    }
}

/// `GET` (or any method but `POST`) of the launch URL.
pub(crate) async fn launch_by_get() -> Response {
    let mut response = page(
        StatusCode::METHOD_NOT_ALLOWED,
        "Launches must be posted",
        &[
            "This address receives the form your course posts when you launch OpenLearning; opening it directly does nothing.",
            "Go back to your course and use its OpenLearning launch button.",
        ],
    );
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// Any other path below `/openlearning` that is not the API.
pub(crate) async fn page_not_found() -> Response {
    page(StatusCode::NOT_FOUND, "Page not found", &["There is no OpenLearning page at this address."])
}

fn not_a_launch(reason: &str) -> Response {
    page(StatusCode::BAD_REQUEST, "This is not a valid launch", &[reason, "Go back to your course and launch OpenLearning again."])
}
