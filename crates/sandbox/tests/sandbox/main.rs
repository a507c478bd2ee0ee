//! Integration tests: a sandbox on an ephemeral port, driven over HTTP with reqwest.
//! Each test is named after the fact of the Open edX reference it checks.

mod admin;
mod changes;
mod common;
mod drift;
mod knobs;
mod mapping;
mod ooapi;
mod openlearning;
mod pagination;
mod permissions;
mod seeding;
mod token;
mod users;
