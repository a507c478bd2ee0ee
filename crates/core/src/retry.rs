//! Retries with exponential backoff and full jitter, honouring `Retry-After`, capped, cancellable.
//!
//! Retried: connection failures, 429, 502, 503 and 504 — the answers that mean "not now" rather
//! than "no". Sleeping goes through `tokio::time`, so tests run with a paused clock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio_util::sync::CancellationToken;

use crate::http::describe_transport_error;
use crate::{Error, Result};

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first backoff ceiling; doubles each attempt.
    pub base: Duration,
    /// No single wait is longer than this; a `Retry-After` beyond it ends the retries.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 6, base: Duration::from_millis(250), cap: Duration::from_secs(60) }
    }
}

impl RetryPolicy {
    /// Full jitter: a random wait between zero and `min(cap, base · 2^attempt)`.
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.base.saturating_mul(1u32 << attempt.min(20)).min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }
}

/// Statuses worth another try.
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Reads `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// Sends the request `make()` builds, again after a wait when the answer says "not now".
/// Returns the first answer that is not retryable (or the last one when attempts run out).
pub async fn send(
    make: impl Fn() -> reqwest::RequestBuilder,
    policy: RetryPolicy,
    cancel: &CancellationToken,
    service: &str,
    url: &str,
) -> Result<reqwest::Response> {
    let mut attempt = 0;
    loop {
        let outcome = tokio::select! {
            r = make().send() => r,
            () = cancel.cancelled() => return Err(Error::Cancelled),
        };
        let (wait, outcome) = match outcome {
            Ok(resp) if !is_retryable(resp.status().as_u16()) => return Ok(resp),
            Ok(resp) => {
                let header = resp.headers().get(reqwest::header::RETRY_AFTER).and_then(|h| h.to_str().ok());
                (header.and_then(|h| parse_retry_after(h, Utc::now())), Ok(resp))
            }
            Err(e) if e.is_connect() || e.is_timeout() => (None, Err(e)),
            Err(e) => return Err(Error::Unreachable { service: service.into(), url: url.into(), reason: describe_transport_error(&e) }),
        };
        attempt += 1;
        if attempt >= policy.max_attempts {
            return match outcome {
                Ok(resp) => Ok(resp),
                Err(e) => Err(Error::Unreachable { service: service.into(), url: url.into(), reason: describe_transport_error(&e) }),
            };
        }
        let wait = match wait {
            Some(w) if w > policy.cap => {
                return Err(Error::Remote {
                    service: service.into(),
                    status: outcome.map(|r| r.status().as_u16()).unwrap_or(429),
                    diagnosis: format!("the server asked Crosswalk to wait {} s before trying again. Try again later.", w.as_secs()),
                })
            }
            Some(w) => w,
            None => policy.backoff(attempt, &mut rand::rng()),
        };
        tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, %url, "retrying");
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = cancel.cancelled() => return Err(Error::Cancelled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = Utc.with_ymd_and_hms(2015, 10, 21, 7, 27, 0).unwrap();
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(60)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn full_jitter_stays_under_the_growing_capped_ceiling() {
        let p = RetryPolicy { max_attempts: 10, base: Duration::from_millis(100), cap: Duration::from_secs(2) };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 0..10 {
            let ceiling = Duration::from_millis(100 * (1 << attempt)).min(Duration::from_secs(2));
            for _ in 0..50 {
                assert!(p.backoff(attempt, &mut rng) <= ceiling);
            }
        }
        // and it is really random, not a constant
        let waits: std::collections::HashSet<_> = (0..20).map(|_| p.backoff(5, &mut rng)).collect();
        assert!(waits.len() > 10);
    }

    #[test]
    fn only_not_now_statuses_are_retried() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable(s));
        }
        for s in [200, 400, 401, 403, 404, 500] {
            assert!(!is_retryable(s));
        }
    }
}
