//! The desktop app's error type, sent to the UI as `{code, message}`.

use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] crosswalk_core::Error),
    /// The OS refused to open a folder or address.
    #[error("Crosswalk could not open {what}: {reason}. You can open it yourself: {what}.")]
    Open { what: String, reason: String },
}

impl Error {
    pub fn payload(&self) -> crosswalk_core::ErrorPayload {
        match self {
            Error::Core(e) => e.payload(),
            Error::Open { .. } => crosswalk_core::ErrorPayload { code: "open_failed".into(), message: self.to_string() },
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(s)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
