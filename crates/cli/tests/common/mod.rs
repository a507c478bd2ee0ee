//! The `crosswalk` binary in a temporary data folder, for the CLI's integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Points the keyring at a D-Bus address where nothing listens: no Secret Service at all.
pub const NO_BUS: (&str, &str) = ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/crosswalk-no-bus");

pub struct Cli {
    pub dir: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    pub fn run_with(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
        cmd.arg("--data-dir").arg(self.dir.path()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        {
            let mut pipe = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                pipe.write_all(s.as_bytes()).unwrap();
            }
        }
        child.wait_with_output().unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None, &[])
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "crosswalk {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

/// stdout as one JSON document.
pub fn json_of(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("--json must print one JSON document ({e}): {text}"))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `profile add` arguments for an OOAPI connection named `name` to the sandbox's home
/// institution, its client secret read from the environment variable `secret_env`.
pub fn ooapi_profile_args(s: &crosswalk_sandbox::SandboxHandle, name: &str, secret_env: &str) -> Vec<String> {
    [
        "profile",
        "add",
        "--kind",
        "ooapi",
        "--name",
        name,
        "--base-url",
        &s.ooapi_url(),
        "--schac-home",
        crosswalk_sandbox::OOAPI_SCHAC_HOME,
        "--persons-url",
        &s.ooapi_persons_url(),
        "--associations-url",
        &s.ooapi_associations_url(),
        "--token-url",
        &s.ooapi_token_url(),
        "--client-id",
        crosswalk_sandbox::OOAPI_CLIENT_ID,
        "--secret-env",
        secret_env,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}
