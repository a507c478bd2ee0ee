//! Fault and latency knobs: what can go wrong on purpose, and how often.

use serde::{Deserialize, Serialize};

/// Faults and latency applied to the simulated services, changeable while the sandbox runs
/// (`SandboxHandle::set_knobs` or `PUT {base}/_sandbox/knobs`).
///
/// Probabilities are in `0.0..=1.0`; draws come from a generator seeded with the sandbox seed, so
/// the same sequence of requests meets the same faults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Knobs {
    /// Milliseconds waited before every answer of a simulated service (token endpoint included).
    pub latency_ms: u64,
    /// Status codes answered instead of the real answer, each with its probability, on API
    /// requests (and on the token endpoint when `faults_on_token_endpoint` is set).
    pub faults: Vec<StatusFault>,
    /// When set, `faults` apply only to requests whose path contains this text (e.g.
    /// `/providers/saml-partner/`), so one provider can fail while the others answer.
    pub faults_path_contains: Option<String>,
    /// Throttling: `429 Too Many Requests` with a `Retry-After` header.
    pub rate_limit: Option<RateLimitFault>,
    /// Probability that a `200` answer is cut in half: the client receives invalid JSON.
    pub truncate_probability: f64,
    /// Answers whose headers arrive at once but whose body arrives only after a delay.
    pub slow_body: Option<SlowBodyFault>,
    /// Lifetime in seconds of newly issued tokens, instead of 36 000 (opaque) or 3 600 (JWT).
    pub token_lifetime_secs: Option<u64>,
    /// Apply `faults`, `rate_limit`, `truncate_probability` and `slow_body` to the token
    /// endpoint as well.
    pub faults_on_token_endpoint: bool,
    /// A provider that grows while clients page through it.
    pub drift: Option<DriftKnob>,
    /// A hostile or broken server: answers replaced or bent on API requests (on the token
    /// endpoint too with `faults_on_token_endpoint`; only on paths matching
    /// `faults_path_contains` when it is set). Every request meets it: no probability.
    pub hostile: Option<HostileFault>,
}

/// What a hostile or broken server does instead of answering well.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HostileFault {
    /// A `200` whose JSON-looking body never ends (no `Content-Length`).
    EndlessBody,
    /// A `200` that declares `Content-Length: 1073741824` (1 GiB) and streams until the client
    /// gives up.
    HugeBody,
    /// The real answer, one byte every `interval_ms`.
    Trickle {
        /// Milliseconds between two bytes.
        interval_ms: u64,
    },
    /// A `200` whose body is `{"detail": <a JSON array nested depth deep>}`.
    DeepJson {
        /// Arrays inside arrays.
        depth: usize,
    },
    /// A `200` with an HTML sign-in page, as a misconfigured proxy or SSO gateway sends it.
    HtmlLoginPage,
    /// `302 Found` to `location` (another host, say).
    RedirectTo {
        /// The `Location` header.
        location: String,
    },
    /// Paginated answers whose `next` link leads back to a page already served (the pages loop).
    NextLoop,
    /// Paginated answers whose `next` link points at `base` (another host) with the same path.
    NextElsewhere {
        /// Scheme, host and port of the other server, e.g. `http://localhost:9`.
        base: String,
    },
}

/// Answer `status` instead of the real answer with the given probability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusFault {
    /// HTTP status to answer, e.g. 500, 502, 503.
    pub status: u16,
    /// Probability in `0.0..=1.0`.
    pub probability: f64,
}

/// Answer `429 Too Many Requests` with `Retry-After: retry_after_secs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateLimitFault {
    /// Probability in `0.0..=1.0`.
    pub probability: f64,
    /// Value of the `Retry-After` header, in seconds.
    pub retry_after_secs: u64,
}

/// Send the headers at once and the body only after `delay_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlowBodyFault {
    /// Probability in `0.0..=1.0`.
    pub probability: f64,
    /// Delay between the headers and the body, in milliseconds.
    pub delay_ms: u64,
}

/// After every `every_n_requests` mapping-API requests (to any provider, whatever their answer,
/// faults included: the requests [`Stats::mapping_requests`](crate::Stats::mapping_requests)
/// counts), link one new learner `drift-learner-<k>` with remote id `drift-<k>` to
/// `provider_id`, at most `max_changes` times. The link is made after the N-th request's answer
/// is ready and before it is sent, so the next request sees it. `k` counts up from 1 over the
/// sandbox's life (names already taken are skipped).
///
/// Progress (requests seen, changes made) starts from zero whenever the knobs are set with a
/// different `drift` value; setting the same value again continues where it was. `every_n_requests`
/// of 0 or an unknown `provider_id` changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftKnob {
    /// Provider that gains learners, e.g. `saml-demo-univ`.
    pub provider_id: String,
    /// One new link per this many mapping requests.
    pub every_n_requests: u64,
    /// Links made at most under this knob.
    pub max_changes: u64,
}
