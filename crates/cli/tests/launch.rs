//! `crosswalk launch` against the sandbox's OpenLearning: the signed launch printed by `--json`
//! signs in once and is refused the second time; `--html` writes an escaped page; `--open` serves
//! a one-shot page (its address handed over through `CROSSWALK_TEST_OPEN_URL_DIR`) that answers
//! once, then 410. No signature or nonce ever lands in the data folder. The API key comes from an
//! environment variable (`--secret-env`), so no keyring is needed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crosswalk_sandbox::{
    Sandbox, SandboxConfig, SandboxHandle, OPENLEARNING_API_KEY, OPENLEARNING_CLASS_INTRO_DATA, OPENLEARNING_INSTITUTION_ID,
};

const KEY_ENV: &str = "CW_LAUNCH_TEST_KEY";

struct Cli {
    data: tempfile::TempDir,
    /// Files the person asked for (HTML pages), kept out of the data folder.
    files: tempfile::TempDir,
}

impl Cli {
    fn new() -> Self {
        Self { data: tempfile::tempdir().unwrap(), files: tempfile::tempdir().unwrap() }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
        c.arg("--data-dir").arg(self.data.path()).args(args).env(KEY_ENV, OPENLEARNING_API_KEY);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(out.status.success(), "crosswalk {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.path().join(name)
    }
}

/// The `--open` process, killed when the test is done with it (it would serve for 60 s).
struct Serving(Option<Child>);

impl Serving {
    /// Stops it and returns what it printed.
    fn stop(mut self) -> Output {
        let mut child = self.0.take().unwrap();
        let _ = child.kill();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

async fn setup() -> (SandboxHandle, Cli) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cli = Cli::new();
    cli.ok(&[
        "profile",
        "add",
        "--kind",
        "openlearning",
        "--name",
        "OL",
        "--base-url",
        &sandbox.openlearning_url(),
        "--institution-id",
        OPENLEARNING_INSTITUTION_ID,
        "--secret-env",
        KEY_ENV,
    ]);
    (sandbox, cli)
}

fn external_id(sandbox: &SandboxHandle, i: usize) -> String {
    sandbox.openlearning_users()[i].external_id.clone().expect("seeded users have external ids")
}

/// The `--json` launch: `{"url", "method", "params"}`.
fn signed(cli: &Cli, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["--json", "launch", "--profile", "OL"];
    a.extend_from_slice(args);
    let out = cli.ok(&a);
    assert!(out.stderr.is_empty(), "nothing on stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

async fn post(doc: &serde_json::Value) -> (u16, String) {
    let params: Vec<(String, String)> =
        doc["params"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect();
    let resp = reqwest::Client::new().post(doc["url"].as_str().unwrap()).form(&params).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// Every file under `dir`, as lossy text.
fn files_text(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            all.push_str(&files_text(&p));
        } else {
            all.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    all
}

/// The hidden inputs of a launch page, unescaped: what a browser would post.
fn inputs(html: &str) -> Vec<(String, String)> {
    let unescape =
        |v: &str| v.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest.split_once("\" value=\"").expect("name then value");
            (unescape(name), unescape(rest.split('"').next().unwrap()))
        })
        .collect()
}

fn input_value(html: &str, name: &str) -> String {
    inputs(html).into_iter().find(|(k, _)| k == name).unwrap_or_else(|| panic!("no {name} in {html}")).1
}

fn one_line_error(out: &Output) -> String {
    assert!(!out.status.success(), "should fail: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    err
}

#[tokio::test(flavor = "multi_thread")]
async fn a_json_launch_signs_in_once_and_find_remembers_the_user() {
    let (sandbox, cli) = setup().await;
    let user = &sandbox.openlearning_users()[0];
    let x = external_id(&sandbox, 0);

    let out = cli.ok(&["launch", "find", "--profile", "OL", "--external-id", &x]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), user.id, "stdout is the user id alone");
    let found: serde_json::Value =
        serde_json::from_slice(&cli.ok(&["--json", "launch", "find", "--profile", "OL", "--external-id", &x]).stdout).unwrap();
    assert_eq!(found["user_id"], user.id.as_str());
    assert_eq!(found["external_id"], x.as_str());

    let doc = signed(&cli, &["--external-id", &x, "--class", OPENLEARNING_CLASS_INTRO_DATA]);
    assert_eq!(doc["url"], sandbox.openlearning_launch_url().as_str());
    assert_eq!(doc["method"], "POST");
    assert_eq!(doc["params"]["user_id"], user.id.as_str());
    assert!(doc["params"]["oauth_signature"].as_str().is_some_and(|s| !s.is_empty()));

    let (status, page) = post(&doc).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Signed in as"), "{page}");
    let (status, page) = post(&doc).await;
    assert_eq!(status, 409, "a replay is refused: {page}");
    assert!(page.contains("already been used"), "{page}");
    let launches = sandbox.openlearning_launches();
    assert_eq!(launches.len(), 1);
    assert_eq!(launches[0].class_id.as_deref(), Some(OPENLEARNING_CLASS_INTRO_DATA));

    // By user id, into a context.
    let doc = signed(&cli, &["--user-id", &sandbox.openlearning_users()[1].id, "--context", "LMS-COURSE-101"]);
    assert_eq!(post(&doc).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_html_launch_is_an_escaped_page_that_is_not_overwritten_without_force() {
    let (sandbox, cli) = setup().await;
    let x = external_id(&sandbox, 2);
    let page = cli.file("launch.html");
    let path = page.to_str().unwrap();
    let hostile = "Ann \"O'Neil\" </script><script>alert(1)</script>";
    let out = cli.ok(&["launch", "--profile", "OL", "--external-id", &x, "--full-name", hostile, "--html", path]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Wrote the launch page"));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<form id=\"crosswalk-launch\" method=\"POST\""), "{html}");
    assert!(html.contains(&format!("action=\"{}\"", sandbox.openlearning_launch_url())), "{html}");
    assert!(html.contains("Ann &quot;O&#39;Neil&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert_eq!(html.matches("<script>").count(), 1, "only the submit line: {html}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&page).unwrap().permissions().mode() & 0o777, 0o600, "readable by its owner only");
    }

    // Its form, posted as a browser would, signs in once, with the name as given.
    let doc = serde_json::json!({ "url": sandbox.openlearning_launch_url(), "params": inputs(&html).into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect::<serde_json::Map<_, _>>() });
    assert_eq!(doc["params"]["lis_person_name_full"], hostile);
    let (status, body) = post(&doc).await;
    assert_eq!(status, 200, "{body}");

    let err = one_line_error(&cli.run(&["launch", "--profile", "OL", "--external-id", &x, "--html", path]));
    assert!(err.contains("exists already") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&page).unwrap(), html, "the file is untouched");
    cli.ok(&["launch", "--profile", "OL", "--external-id", &x, "--html", path, "--force"]);
    assert_ne!(std::fs::read_to_string(&page).unwrap(), html, "replaced with a fresh launch");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_launch_serves_its_page_once_then_410() {
    let (sandbox, cli) = setup().await;
    let x = external_id(&sandbox, 3);
    let handoff = tempfile::tempdir().unwrap();
    let child = cli
        .command(&["launch", "--profile", "OL", "--external-id", &x, "--class", OPENLEARNING_CLASS_INTRO_DATA, "--open"])
        .env("CROSSWALK_TEST_OPEN_URL_DIR", handoff.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let serving = Serving(Some(child));
    let file = handoff.path().join("launch-url.txt");
    let started = Instant::now();
    while !file.exists() {
        assert!(started.elapsed() < Duration::from_secs(20), "the address was never handed over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let url = std::fs::read_to_string(&file).unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && url.contains("/launch/"), "{url}");

    let http = reqwest::Client::new();
    let first = http.get(&url).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 200);
    let csp = first.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("form-action http://127.0.0.1:"), "{csp}");
    let html = first.text().await.unwrap();
    assert!(html.contains("<form id=\"crosswalk-launch\"") && html.contains(&format!("value=\"{}\"", sandbox.openlearning_users()[3].id)));
    let second = http.get(&url).send().await.unwrap();
    assert_eq!(second.status().as_u16(), 410);
    assert!(second.text().await.unwrap().contains("already used"));

    // What it said: who and where, never the address or a parameter.
    let out = serving.stop();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("into class class-intro-data"), "{stdout}");
    let signature = input_value(&html, "oauth_signature");
    for printed in [&stdout, &stderr] {
        assert!(!printed.contains(url.trim_start_matches("http://")), "the one-shot address was printed: {printed}");
        assert!(!printed.contains(&signature), "the signature was printed");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_learner_fails_with_one_clear_line() {
    let (_sandbox, cli) = setup().await;
    let err = one_line_error(&cli.run(&["--json", "launch", "--profile", "OL", "--external-id", "nobody-0000"]));
    assert!(err.contains("no OpenLearning user with external id \"nobody-0000\""), "{err}");
    let err = one_line_error(&cli.run(&["launch", "find", "--profile", "OL", "--external-id", "nobody-0000"]));
    assert!(err.contains("managed user"), "{err}");
    let err = one_line_error(&cli.run(&["launch", "--profile", "OL", "--user-id", "ol-u-000001"]));
    assert!(err.contains("--open") && err.contains("--html") && err.contains("--json"), "{err}");
    let err = one_line_error(&cli.run(&["--json", "launch", "--profile", "OL", "--user-id", "ol-u-000001", "--open"]));
    assert!(err.contains("choose one"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_signature_or_nonce_lands_in_the_data_folder() {
    let (sandbox, cli) = setup().await;
    let mut credentials = Vec::new();
    for i in 0..4 {
        let doc = signed(&cli, &["--external-id", &external_id(&sandbox, i), "--class", OPENLEARNING_CLASS_INTRO_DATA]);
        for name in ["oauth_signature", "oauth_nonce"] {
            credentials.push(doc["params"][name].as_str().unwrap().to_string());
        }
        if i % 2 == 0 {
            assert_eq!(post(&doc).await.0, 200);
        }
    }
    let page = cli.file("leak.html");
    cli.ok(&["launch", "--profile", "OL", "--external-id", &external_id(&sandbox, 5), "--html", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    credentials.push(input_value(&html, "oauth_signature"));
    credentials.push(input_value(&html, "oauth_nonce"));

    let stored = files_text(cli.data.path());
    assert!(stored.contains("SQLite format 3"), "the database file was read");
    assert!(std::fs::read_dir(cli.data.path().join("logs")).unwrap().next().is_some(), "a log file exists");
    let activity = cli.ok(&["--json", "activity"]);
    assert!(String::from_utf8_lossy(&activity.stdout).contains("Launch"), "launches are in Activity");
    for c in &credentials {
        assert!(c.len() >= 16, "a real credential value: {c}");
        assert!(!stored.contains(c.as_str()), "a launch credential is in the data folder");
        assert!(!String::from_utf8_lossy(&activity.stdout).contains(c.as_str()), "a launch credential is in Activity");
    }
}
