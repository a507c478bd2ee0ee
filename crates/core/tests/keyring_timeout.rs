//! A keyring service that never answers (here: a session bus that accepts the connection and then
//! says nothing, as a stuck daemon does) gives a clear error within the time limit, never a hang.
//! This test binary points the session bus at that silent socket, so it runs on its own.

use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};

use crosswalk_core::connection::SecretField;
use crosswalk_core::secrets::Secrets;
use crosswalk_core::Error;

#[test]
fn a_keyring_that_never_answers_fails_within_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("silent-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    // Accept every connection and keep it open without a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    // SAFETY: set before any thread of this test binary reads the environment for D-Bus.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", socket.display())) };

    let secrets = Secrets::with_service("crosswalk-test-silent").with_timeout(Duration::from_millis(1_500));
    for (what, call) in [
        ("reading", Box::new(|| secrets.get("p", SecretField::ClientSecret).map(|_| ())) as Box<dyn Fn() -> crosswalk_core::Result<()>>),
        ("storing", Box::new(|| secrets.set("p", SecretField::ClientSecret, &crosswalk_core::secret::SecretString::new("s3cr3t-value")))),
    ] {
        let started = Instant::now();
        let result = call();
        let took = started.elapsed();
        match result {
            Err(Error::Keyring(message)) => {
                assert!(message.contains("did not answer within"), "{what}: {message}");
                assert!(!message.contains("s3cr3t-value"), "no secret in the message");
            }
            other => panic!("{what}: expected a keyring error, got {other:?}"),
        }
        assert!(took < Duration::from_secs(5), "{what} gave up in {took:?}, not within the limit");
    }
}
