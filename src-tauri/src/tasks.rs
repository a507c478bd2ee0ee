//! Long tasks the UI can cancel: each gets a cancellation token under an id the UI chose.

use std::collections::HashMap;
use std::sync::Mutex;

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

/// Progress of a long task, sent to the UI's channel (a closed channel is not an error: the
/// window may have gone).
pub fn progress_to<P: serde::Serialize + Clone + Send + Sync + 'static>(channel: tauri::ipc::Channel<P>) -> impl Fn(P) + Send + Sync {
    move |p| drop(channel.send(p))
}
