//! Tauri commands, grouped by screen. Each is a one-line adapter to `crosswalk-core`.

pub mod activity;
pub mod app;
pub mod connections;
pub mod enrollments;
pub mod grades;
pub mod jobs;
pub mod launch;
pub mod learners;
