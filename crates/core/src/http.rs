//! The HTTP clients Crosswalk talks to remote systems with: one configured pair per connection
//! profile (reqwest + rustls, the OS trust store plus an optional extra CA bundle, proxy, timeouts,
//! `Crosswalk/<version>`). There is deliberately no way to turn certificate checks off.

use std::time::Duration;

use bytes::Bytes;

use crate::connection::{NetworkSettings, ProxySettings};
use crate::{Error, Result};

/// `Crosswalk/<version>`, sent with every request.
pub const USER_AGENT: &str = concat!("Crosswalk/", env!("CARGO_PKG_VERSION"));

/// The two clients of one profile.
#[derive(Debug, Clone)]
pub struct Clients {
    /// For API calls.
    pub api: reqwest::Client,
    /// For token endpoints: never follows a redirect, so credentials are never replayed elsewhere.
    pub token: reqwest::Client,
}

impl Clients {
    /// Builds both clients from a profile's network settings.
    pub fn new(net: &NetworkSettings) -> Result<Self> {
        Ok(Self {
            api: builder(net)?.redirect(same_origin_redirects()).build().map_err(setup_error)?,
            token: builder(net)?.redirect(reqwest::redirect::Policy::none()).build().map_err(setup_error)?,
        })
    }
}

/// The most redirects followed on one call.
const MAX_REDIRECTS: usize = 5;

/// Redirects are followed only within the origin (scheme, host and port) the call went to: a
/// redirect elsewhere would carry the request (and, for some clients, its credentials) to a
/// server the connection never named, so it stops the call with [`RedirectRefused`].
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(|u| u.origin());
        if first.is_some_and(|o| o != attempt.url().origin()) {
            let to = attempt.url().origin().ascii_serialization();
            attempt.error(RedirectRefused(format!(
                "the server redirected the call to another address ({to}); Crosswalk does not follow a redirect away from the connection's server, so nothing (credentials included) was sent there. Check the address in the connection: it may point at a proxy, a sign-in gateway or an old host name"
            )))
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(RedirectRefused(format!(
                "the server redirected the call more than {MAX_REDIRECTS} times (a redirect loop). Check the address in the connection"
            )))
        } else {
            attempt.follow()
        }
    })
}

/// A redirect Crosswalk would not follow, in plain words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RedirectRefused(String);

fn setup_error(e: reqwest::Error) -> Error {
    Error::Invalid(format!("The network settings cannot be used: {e}"))
}

fn builder(net: &NetworkSettings) -> Result<reqwest::ClientBuilder> {
    let mut b = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .use_rustls_tls()
        .tls_info(true)
        .connect_timeout(Duration::from_secs(net.connect_timeout_secs.into()))
        .timeout(Duration::from_secs(net.total_timeout_secs.into()));
    b = match &net.proxy {
        ProxySettings::System => b,
        ProxySettings::None => b.no_proxy(),
        ProxySettings::Manual { url, bypass } => {
            let proxy = reqwest::Proxy::all(url)
                .map_err(|e| Error::Invalid(format!("The proxy address \"{url}\" cannot be used ({e}).")))?
                .no_proxy(reqwest::NoProxy::from_string(bypass));
            b.proxy(proxy)
        }
    };
    if let Some(path) = net.extra_ca_file.as_deref().filter(|p| !p.is_empty()) {
        let pem = std::fs::read(path).map_err(|e| {
            Error::Invalid(format!(
                "The extra certificate file {path} cannot be read ({e}). Check the path in the connection's network settings."
            ))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| Error::Invalid(format!("The extra certificate file {path} is not a PEM bundle ({e}).")))?;
        if certs.is_empty() {
            return Err(Error::Invalid(format!("The extra certificate file {path} holds no certificates (expected PEM blocks).")));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    Ok(b)
}

/// How [`read_capped`] begins the reason it gives for an answer over the cap.
pub(crate) const TOO_LARGE: &str = "the answer is larger than";

/// Reads a body, refusing one over `max` bytes before holding more than that in memory.
pub(crate) async fn read_capped(mut resp: reqwest::Response, max: usize, service: &str) -> Result<Bytes> {
    let too_large = || Error::BadAnswer {
        service: service.into(),
        reason: format!(
            "{TOO_LARGE} {} MiB Crosswalk accepts; the address may point at a download or a broken server",
            max / (1024 * 1024)
        ),
    };
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let mut out = bytes::BytesMut::with_capacity(resp.content_length().map_or(8 * 1024, |n| n as usize));
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > max {
                    return Err(too_large());
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out.freeze()),
            Err(e) => return Err(Error::BadAnswer { service: service.into(), reason: describe_transport_error(&e) }),
        }
    }
}

/// Turns a transport failure into words a person can act on.
pub fn describe_transport_error(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut src = e.source();
    while let Some(s) = src {
        if let Some(refused) = s.downcast_ref::<RedirectRefused>() {
            return refused.0.clone();
        }
        src = s.source();
    }
    let chain = error_chain(e);
    if e.is_timeout() {
        "the request timed out (the server is slow or unreachable; check the address, the proxy, or raise the timeout)".into()
    } else if chain.contains("dns error") || chain.contains("failed to lookup") || chain.contains("name or service not known") {
        "the server name could not be found (DNS). Check the spelling of the address and your network".into()
    } else if chain.contains("connection refused") {
        "the connection was refused: nothing is listening at that address and port. Check the address and port".into()
    } else if chain.contains("invalidcontenttype") || chain.contains("corrupt message") {
        "the secure connection failed: the server did not answer in TLS. Is the address http:// rather than https://, or is the port wrong?"
            .into()
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        format!("the secure connection failed: {}", tls_reason(&chain))
    } else if e.is_connect() {
        format!("could not connect ({chain})")
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off or unreadable".into()
    } else {
        chain
    }
}

fn tls_reason(chain: &str) -> String {
    if chain.contains("unknownissuer") || chain.contains("unknown issuer") {
        "the server's certificate is signed by an authority this computer does not trust. If your organisation uses its own CA, add its PEM file as the extra CA bundle".into()
    } else if chain.contains("expired") {
        "the server's certificate has expired. Tell the server's operator".into()
    } else if chain.contains("notvalidforname") || chain.contains("not valid for name") {
        "the server's certificate is for another name. Check the address (host name) you entered".into()
    } else {
        chain.to_string()
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_empty_ca_file_is_a_clear_error() {
        let net = NetworkSettings { extra_ca_file: Some("/nonexistent/ca.pem".into()), ..Default::default() };
        assert!(Clients::new(&net).unwrap_err().to_string().contains("cannot be read"));
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), "not a certificate").unwrap();
        let net = NetworkSettings { extra_ca_file: Some(tmp.path().display().to_string()), ..Default::default() };
        assert!(Clients::new(&net).is_err());
    }

    #[test]
    fn proxy_modes_build() {
        for proxy in [
            ProxySettings::System,
            ProxySettings::None,
            ProxySettings::Manual { url: "http://proxy.example.edu:3128".into(), bypass: "localhost,.example.edu".into() },
        ] {
            Clients::new(&NetworkSettings { proxy, ..Default::default() }).unwrap();
        }
    }
}
