//! Crosswalk's core: everything that is not a screen.
//!
//! The desktop app (`src-tauri/`) and the `crosswalk` CLI (`crates/cli`) are two thin faces over
//! this crate. It holds no Tauri types, so it is tested without a webview and the CLI needs no GTK.

pub mod activity;
pub mod app_info;
pub mod bindings;
pub mod clock;
pub mod connection;
pub mod connection_check;
pub mod crosswalk;
pub mod diagnostics;
pub mod enrollments;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod grades;
pub mod http;
pub mod id_file;
pub mod jobs;
pub mod jwt;
pub mod learners;
pub mod logging;
pub mod lookup;
mod memory;
pub mod mirror;
pub mod ooapi;
pub mod opened;
pub mod openedx;
pub mod openlearning;
pub mod paths;
pub mod permissions;
pub mod profiles;
pub mod remote;
pub mod retry;
pub mod secret;
pub mod secrets;
pub mod spreadsheet;
pub mod store;
pub mod token;
pub mod x509;

pub use crosswalk::Crosswalk;
pub use error::{Error, ErrorPayload, Result};
