//! What every command can reach: the opened core and, in demo mode, the sandbox.

use crosswalk_core::Crosswalk;
use crosswalk_demo::SandboxHandle;

pub struct AppState {
    pub cw: Crosswalk,
    /// Running when the app is in demo mode.
    pub sandbox: Option<SandboxHandle>,
    /// Long tasks the UI may cancel.
    pub tasks: crate::tasks::Tasks,
}
