//! Retries with exponential backoff and full jitter, honouring `Retry-After`, capped, cancellable.
//!
//! Retried: connection failures, 429, 502, 503 and 504 — the answers that mean "not now" rather
//! than "no". Waits go through an injected sleep, so tests count them without sleeping.

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

/// What one attempt came to.
pub enum Attempt<T> {
    /// Finished: hand this to the caller.
    Done(T),
    /// Failed in a way another try will not mend.
    Fail(Error),
    /// "Not now": try again, after `wait` when the server said how long (`Retry-After`). `last`
    /// is what the caller gets if no attempt is left.
    Again { wait: Option<Duration>, last: Result<T> },
}

/// Runs `attempt` until it is done, waiting between tries (the server's `Retry-After`, else full
/// jitter backoff), at most `policy.max_attempts` times. Cancelling stops at once, even mid-wait.
pub async fn run<T, F, Fut>(policy: RetryPolicy, cancel: &CancellationToken, service: &str, attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Attempt<T>>,
{
    run_sleeping(policy, cancel, service, tokio::time::sleep, attempt).await
}

/// [`run`] with the waits spent by `sleep` (tokio's timer in the app; tests pass one that records
/// each wait and returns at once, so the shipped build needs no paused-clock feature).
pub async fn run_sleeping<T, F, Fut, S, SFut>(
    policy: RetryPolicy,
    cancel: &CancellationToken,
    service: &str,
    sleep: S,
    mut attempt: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Attempt<T>>,
    S: Fn(Duration) -> SFut,
    SFut: std::future::Future<Output = ()>,
{
    let mut tries = 0;
    loop {
        let outcome = tokio::select! {
            a = attempt() => a,
            () = cancel.cancelled() => return Err(Error::Cancelled),
        };
        let (wait, last) = match outcome {
            Attempt::Done(t) => return Ok(t),
            Attempt::Fail(e) => return Err(e),
            Attempt::Again { wait, last } => (wait, last),
        };
        tries += 1;
        if tries >= policy.max_attempts {
            return last;
        }
        let wait = match wait {
            Some(w) if w > policy.cap => {
                return Err(Error::Remote {
                    service: service.into(),
                    status: 429,
                    diagnosis: format!("the server asked Crosswalk to wait {} s before trying again. Try again later.", w.as_secs()),
                })
            }
            Some(w) => w,
            None => policy.backoff(tries, &mut rand::rng()),
        };
        tracing::debug!(tries, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), service, "retrying");
        tokio::select! {
            () = sleep(wait) => {}
            () = cancel.cancelled() => return Err(Error::Cancelled),
        }
    }
}

/// Sends the request `make()` builds, again after a wait while the answer is a connection
/// failure, 429, 502, 503 or 504. Returns the first other answer (or the last one). An HTTP-date
/// `Retry-After` is read against `clock`.
pub async fn send(
    make: impl Fn() -> reqwest::RequestBuilder,
    policy: RetryPolicy,
    cancel: &CancellationToken,
    service: &str,
    url: &str,
    clock: &dyn crate::clock::Clock,
) -> Result<reqwest::Response> {
    run(policy, cancel, service, || {
        let request = make();
        async move {
            match request.send().await {
                Ok(resp) if !is_retryable(resp.status().as_u16()) => Attempt::Done(resp),
                Ok(resp) => {
                    let header = resp.headers().get(reqwest::header::RETRY_AFTER).and_then(|h| h.to_str().ok());
                    Attempt::Again { wait: header.and_then(|h| parse_retry_after(h, clock.now())), last: Ok(resp) }
                }
                Err(e) => {
                    let err = Error::Unreachable { service: service.into(), url: url.into(), reason: describe_transport_error(&e) };
                    if e.is_connect() || e.is_timeout() {
                        Attempt::Again { wait: None, last: Err(err) }
                    } else {
                        Attempt::Fail(err)
                    }
                }
            }
        }
    })
    .await
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

    /// An attempt that says "not now, wait 30 s" twice, then succeeds.
    async fn rate_limited_twice(calls: &std::cell::Cell<u32>) -> Attempt<&'static str> {
        calls.set(calls.get() + 1);
        if calls.get() <= 2 {
            Attempt::Again { wait: Some(Duration::from_secs(30)), last: Ok("rate limited") }
        } else {
            Attempt::Done("ok")
        }
    }

    /// A sleep that records each wait and returns at once.
    fn recording(waits: &std::cell::RefCell<Vec<Duration>>) -> impl Fn(Duration) -> std::future::Ready<()> + '_ {
        move |d| {
            waits.borrow_mut().push(d);
            std::future::ready(())
        }
    }

    #[tokio::test]
    async fn waits_exactly_as_long_as_retry_after_says() {
        let calls = std::cell::Cell::new(0);
        let waits = std::cell::RefCell::new(Vec::new());
        let out = run_sleeping(RetryPolicy::default(), &CancellationToken::new(), "test", recording(&waits), || rate_limited_twice(&calls))
            .await
            .unwrap();
        assert_eq!(out, "ok");
        assert_eq!(calls.get(), 3);
        // Exactly the two Retry-After waits: no jitter added.
        assert_eq!(*waits.borrow(), vec![Duration::from_secs(30), Duration::from_secs(30)]);
    }

    #[tokio::test]
    async fn a_retry_after_beyond_the_cap_gives_up_with_advice() {
        let policy = RetryPolicy { cap: Duration::from_secs(10), ..RetryPolicy::default() };
        let calls = std::cell::Cell::new(0);
        let waits = std::cell::RefCell::new(Vec::new());
        let err =
            run_sleeping(policy, &CancellationToken::new(), "The LMS", recording(&waits), || rate_limited_twice(&calls)).await.unwrap_err();
        assert!(err.to_string().contains("wait 30 s"), "{err}");
        assert_eq!(calls.get(), 1);
        assert!(waits.borrow().is_empty());
    }

    #[tokio::test]
    async fn backoff_without_retry_after_grows_and_stops_after_max_attempts() {
        let policy = RetryPolicy { max_attempts: 4, base: Duration::from_secs(1), cap: Duration::from_secs(60) };
        let calls = std::cell::Cell::new(0);
        let waits = std::cell::RefCell::new(Vec::new());
        let out: Result<&str> = run_sleeping(policy, &CancellationToken::new(), "x", recording(&waits), || {
            calls.set(calls.get() + 1);
            async { Attempt::Again { wait: None, last: Err(Error::Invalid("still down".into())) } }
        })
        .await;
        assert_eq!(out.unwrap_err().to_string(), "still down", "the last failure is reported");
        assert_eq!(calls.get(), 4);
        // Full jitter: three waits, each under its growing ceiling of 2 s, 4 s, 8 s.
        let waits = waits.borrow();
        assert_eq!(waits.len(), 3);
        for (w, ceiling) in waits.iter().zip([2, 4, 8]) {
            assert!(*w <= Duration::from_secs(ceiling), "{w:?} > {ceiling} s");
        }
    }

    #[tokio::test]
    async fn cancelling_stops_a_wait_at_once() {
        let cancel = CancellationToken::new();
        let calls = std::cell::Cell::new(0);
        // The wait never ends by itself; cancelling during it must end the run.
        let sleep = |_d: Duration| {
            cancel.cancel();
            std::future::pending::<()>()
        };
        let err = run_sleeping(RetryPolicy::default(), &cancel, "x", sleep, || rate_limited_twice(&calls)).await.unwrap_err();
        assert!(matches!(err, Error::Cancelled));
        assert_eq!(calls.get(), 1);
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
