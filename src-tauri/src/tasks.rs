//! Long tasks the UI can cancel: each gets a cancellation token under an id the UI chose.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct Tasks(Mutex<HashMap<String, CancellationToken>>);

/// Removes the task's token when the task ends, however it ends.
pub struct TaskGuard<'a> {
    tasks: &'a Tasks,
    id: String,
    pub token: CancellationToken,
}

impl Drop for TaskGuard<'_> {
    fn drop(&mut self) {
        self.tasks.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.id);
    }
}

impl Tasks {
    pub fn start(&self, id: &str) -> TaskGuard<'_> {
        let token = CancellationToken::new();
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_string(), token.clone());
        TaskGuard { tasks: self, id: id.to_string(), token }
    }

    /// Cancels a running task; an unknown id (already finished) is fine.
    pub fn cancel(&self, id: &str) -> bool {
        match self.0.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }
}

/// How often at most a long task's progress goes to the window. A sync of 1,000 pages or a
/// lookup of 2,000 chunks reports far faster than anyone reads a progress bar (or the screen
/// redraws); each report sent is a message and a redraw in the page.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// Progress of a long task, sent to the UI's channel at most every `PROGRESS_EVERY` (a closed
/// channel is not an error: the window may have gone). Reports are snapshots, so the ones in
/// between may go: a report held back is sent once the interval has passed, or when the task ends
/// (this is dropped), so the last one always arrives, and before the task's answer.
pub fn progress_to<P: serde::Serialize + Clone + Send + Sync + 'static>(channel: tauri::ipc::Channel<P>) -> impl Fn(P) + Send + Sync {
    let reporter =
        Reporter(Arc::new(Throttle { channel, state: Mutex::new(ThrottleState { sent_at: None, held: None, flushing: false }) }));
    move |p| reporter.report(p)
}

struct ThrottleState<P> {
    sent_at: Option<Instant>,
    held: Option<P>,
    /// A timer will send what is held.
    flushing: bool,
}

struct Throttle<P: serde::Serialize + Clone> {
    channel: tauri::ipc::Channel<P>,
    state: Mutex<ThrottleState<P>>,
}

impl<P: serde::Serialize + Clone + Send + Sync + 'static> Throttle<P> {
    fn report(self: &Arc<Self>, p: P) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let wait = state.sent_at.map(|at| PROGRESS_EVERY.saturating_sub(at.elapsed())).unwrap_or_default();
        if wait.is_zero() && !state.flushing {
            state.sent_at = Some(Instant::now());
            state.held = None;
            drop(self.channel.send(p));
            return;
        }
        state.held = Some(p);
        if !state.flushing {
            state.flushing = true;
            // Holds only a weak reference: once the task has ended, its `Reporter` sent the rest.
            let weak = Arc::downgrade(self);
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(wait).await;
                if let Some(throttle) = weak.upgrade() {
                    throttle.flush();
                }
            });
        }
    }

    fn flush(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.flushing = false;
        if let Some(p) = state.held.take() {
            state.sent_at = Some(Instant::now());
            drop(self.channel.send(p));
        }
    }
}

/// The task's progress callback: sends the report held back, if any, when it goes.
struct Reporter<P: serde::Serialize + Clone + Send + Sync + 'static>(Arc<Throttle<P>>);

impl<P: serde::Serialize + Clone + Send + Sync + 'static> Reporter<P> {
    fn report(&self, p: P) {
        self.0.report(p);
    }
}

impl<P: serde::Serialize + Clone + Send + Sync + 'static> Drop for Reporter<P> {
    fn drop(&mut self) {
        self.0.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tauri::ipc::{Channel, InvokeResponseBody};

    use super::*;

    /// A channel that records what the window would have received.
    fn recording() -> (Channel<u32>, Arc<Mutex<Vec<u32>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                sink.lock().unwrap().push(json.parse().unwrap());
            }
            Ok(())
        });
        (channel, got)
    }

    #[tokio::test]
    async fn a_burst_of_reports_is_thinned_and_the_last_one_always_arrives() {
        let (channel, got) = recording();
        let report = progress_to(channel);
        for i in 1..=10_000 {
            report(i);
        }
        drop(report);
        let got = got.lock().unwrap().clone();
        assert_eq!(got.first(), Some(&1), "the first report goes at once");
        assert_eq!(got.last(), Some(&10_000), "the last one arrives when the task ends");
        assert!(got.len() < 100, "{} of 10,000 reports were sent", got.len());
        assert!(got.windows(2).all(|w| w[0] < w[1]), "in order: {got:?}");
    }

    #[tokio::test]
    async fn a_report_held_back_is_sent_once_the_interval_has_passed_while_the_task_goes_on() {
        let (channel, got) = recording();
        let report = progress_to(channel);
        report(1);
        report(2);
        assert_eq!(*got.lock().unwrap(), vec![1], "the second came too soon after the first");
        tokio::time::sleep(PROGRESS_EVERY * 4).await;
        assert_eq!(*got.lock().unwrap(), vec![1, 2], "sent without waiting for another report");
        drop(report);
        assert_eq!(*got.lock().unwrap(), vec![1, 2], "nothing sent twice");
    }
}
