//! The one-shot page: a launch form served once from 127.0.0.1 at a random path, then `410 Gone`;
//! gone after its time is up even if nobody asked. The system browser opens it, so the launch never
//! passes through the app's own webview, a URL bar, or a file on disk.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use rand::RngCore;
use url::Url;

/// How long a page waits for its one GET.
pub const DEFAULT_TTL: Duration = Duration::from_secs(60);

/// How long a served or expired page keeps answering 410 (then 404).
const REMEMBER: Duration = Duration::from_secs(15 * 60);

struct Page {
    /// `None` once served.
    html: Option<String>,
    csp: String,
    expires: Instant,
}

#[derive(Clone)]
struct Shared {
    pages: Arc<Mutex<HashMap<String, Page>>>,
    addr: SocketAddr,
}

/// A loopback server of one-shot pages.
pub struct OneShot {
    shared: Shared,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl OneShot {
    /// Binds 127.0.0.1 on a free port.
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Shared { pages: Arc::default(), addr };
        let app =
            Router::new().route("/launch/{token}", get(serve)).fallback(|| async { StatusCode::NOT_FOUND }).with_state(shared.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self { shared, stop })
    }

    /// The address it listens on (always loopback).
    pub fn local_addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// Serves `html` once, for `ttl`; returns its address. The path carries 256 random bits.
    pub fn serve(&self, html: String, csp: String, ttl: Duration) -> Url {
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let now = Instant::now();
        let mut pages = self.shared.pages.lock().unwrap_or_else(|p| p.into_inner());
        pages.retain(|_, p| p.expires + REMEMBER > now);
        pages.insert(token.clone(), Page { html: Some(html), csp, expires: now + ttl });
        Url::parse(&format!("http://{}/launch/{token}", self.shared.addr)).expect("a valid URL")
    }

    /// Stops answering.
    pub fn shutdown(self) {
        let _ = self.stop.send(());
    }
}

fn gone(status: StatusCode, text: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Launch link gone</title></head><body><h1>{text}</h1><p>Launch links work once, within a minute. Make a new launch in Crosswalk.</p></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn serve(State(s): State<Shared>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    // Only the address we handed out: a page reached under another host name (DNS rebinding) gets nothing.
    let host_ok = headers.get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(|h| h == s.addr.to_string());
    if !host_ok {
        return StatusCode::MISDIRECTED_REQUEST.into_response();
    }
    let mut pages = s.pages.lock().unwrap_or_else(|p| p.into_inner());
    let Some(page) = pages.get_mut(&token) else { return StatusCode::NOT_FOUND.into_response() };
    if page.expires <= Instant::now() {
        page.html = None;
        return gone(StatusCode::GONE, "This launch link has expired");
    }
    let Some(html) = page.html.take() else { return gone(StatusCode::GONE, "This launch link was already used") };
    let mut resp = (StatusCode::OK, html).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&page.csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}
