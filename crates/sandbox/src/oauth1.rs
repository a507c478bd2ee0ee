//! OAuth 1.0a signatures (RFC 5849 §3.4) with HMAC-SHA1, the way LTI 1.1 launches carry them.
//!
//! The OpenLearning simulator signs its sign-on answers with [`sign`] and checks launches with
//! [`verify`]; tests use the same functions to forge or re-sign a launch.
//!
//! ```
//! use crosswalk_sandbox::oauth1;
//!
//! let url = "http://127.0.0.1:8080/openlearning/lti/launch";
//! let mut params = vec![
//!     ("oauth_consumer_key".to_owned(), "key".to_owned()),
//!     ("oauth_nonce".to_owned(), "4f1c2e".to_owned()),
//!     ("oauth_signature_method".to_owned(), "HMAC-SHA1".to_owned()),
//!     ("oauth_timestamp".to_owned(), "1700000000".to_owned()),
//!     ("user_id".to_owned(), "ol-u-000001".to_owned()),
//! ];
//! let signature = oauth1::sign("POST", url, &params, "secret");
//! params.push(("oauth_signature".to_owned(), signature));
//! assert!(oauth1::verify("POST", url, &params, "secret"));
//! assert!(!oauth1::verify("POST", url, &params, "another secret"));
//! ```

use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The only signature method this module implements.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";

/// The parameter that carries the signature; it is never part of what is signed.
pub const SIGNATURE_PARAM: &str = "oauth_signature";

/// Percent-encodes a value as RFC 5849 §3.6 asks: every byte of the UTF-8 form except the RFC 3986
/// unreserved set (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` with upper-case hex digits.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The signature base string (RFC 5849 §3.4.1): `METHOD&enc(base URI)&enc(normalised parameters)`.
///
/// The base URI has a lower-case scheme and host, no default port, no query and no fragment;
/// the URL's query parameters join `params`. Parameters are encoded, sorted by encoded name then
/// encoded value and joined as `name=value&...`; `oauth_signature` is left out.
pub fn base_string<K, V>(method: &str, url: &str, params: &[(K, V)]) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let (uri, mut pairs) = split_url(url);
    pairs.extend(params.iter().map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())));
    let mut encoded: Vec<(String, String)> =
        pairs.iter().filter(|(k, _)| k.as_str() != SIGNATURE_PARAM).map(|(k, v)| (percent_encode(k), percent_encode(v))).collect();
    encoded.sort();
    let normalised = encoded.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    format!("{}&{}&{}", method.to_ascii_uppercase(), percent_encode(&uri), percent_encode(&normalised))
}

/// The HMAC-SHA1 signature (base64) of a request with no token secret, as LTI 1.1 launches are
/// signed: the key is `enc(consumer_secret)&`. `params` may contain `oauth_signature`; it is ignored.
pub fn sign<K, V>(method: &str, url: &str, params: &[(K, V)], consumer_secret: &str) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    sign_with_token_secret(method, url, params, consumer_secret, "")
}

/// The HMAC-SHA1 signature (base64) with a token secret: the key is
/// `enc(consumer_secret)&enc(token_secret)`.
pub fn sign_with_token_secret<K, V>(method: &str, url: &str, params: &[(K, V)], consumer_secret: &str, token_secret: &str) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mac = mac_of(&base_string(method, url, params), consumer_secret, token_secret);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `params` carry exactly one `oauth_signature` that is the HMAC-SHA1 signature of the
/// request (no token secret), compared in constant time. Only the signature is checked: the
/// caller checks `oauth_signature_method`, the consumer key, the timestamp and the nonce.
pub fn verify<K, V>(method: &str, url: &str, params: &[(K, V)], consumer_secret: &str) -> bool
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut signatures = params.iter().filter(|(k, _)| k.as_ref() == SIGNATURE_PARAM);
    let (Some((_, signature)), None) = (signatures.next(), signatures.next()) else {
        return false;
    };
    let Ok(signature) = STANDARD.decode(signature.as_ref()) else {
        return false;
    };
    mac_of(&base_string(method, url, params), consumer_secret, "").verify_slice(&signature).is_ok()
}

fn mac_of(base_string: &str, consumer_secret: &str, token_secret: &str) -> Hmac<Sha1> {
    let key = format!("{}&{}", percent_encode(consumer_secret), percent_encode(token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(base_string.as_bytes());
    mac
}

/// The base string URI (RFC 5849 §3.4.1.2) and the query's decoded parameters. A URL that does not
/// parse is used as it is, up to any `?`.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let Ok(parsed) = url::Url::parse(url) else {
        return (url.split(['?', '#']).next().unwrap_or_default().to_owned(), Vec::new());
    };
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    // `Url` lower-cases the scheme and forgets a default port.
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let uri = format!("{}://{host}{port}{}", parsed.scheme(), parsed.path());
    let query = parsed.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    (uri, query)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter of a request, in the order given.
    type Params = Vec<(&'static str, &'static str)>;

    fn rfc5849_example() -> Params {
        vec![
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw="),
            // The form body `c2&a3=2+q`.
            ("c2", ""),
            ("a3", "2 q"),
        ]
    }

    #[test]
    fn base_string_matches_the_rfc_5849_example() {
        let base = base_string("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", &rfc5849_example());
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D\
             %26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a\
             %26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
        );
    }

    fn twitter_example() -> Params {
        vec![
            ("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
            ("include_entities", "true"),
            ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
            ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1318622958"),
            ("oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"),
            ("oauth_version", "1.0"),
        ]
    }

    /// Twitter's "Creating a signature" documentation: fixed input, published signature.
    #[test]
    fn signature_matches_twitters_published_example() {
        let url = "https://api.twitter.com/1.1/statuses/update.json";
        let signature = sign_with_token_secret(
            "POST",
            url,
            &twitter_example(),
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        );
        assert_eq!(signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
        // The same request with `include_entities` in the query instead of the body.
        let with_query: Params = twitter_example().into_iter().filter(|(k, _)| *k != "include_entities").collect();
        let signature = sign_with_token_secret(
            "post",
            "HTTPS://API.Twitter.com:443/1.1/statuses/update.json?include_entities=true",
            &with_query,
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        );
        assert_eq!(signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    }

    /// The OAuth Core 1.0 appendix example (`photos.example.net`).
    #[test]
    fn signature_matches_the_oauth_core_example() {
        let params = [
            ("file", "vacation.jpg"),
            ("size", "original"),
            ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            ("oauth_token", "nnch734d00sl2jdk"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1191242096"),
            ("oauth_nonce", "kllo9940pd9333jh"),
            ("oauth_version", "1.0"),
        ];
        let signature = sign_with_token_secret("GET", "http://photos.example.net/photos", &params, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00");
        assert_eq!(signature, "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    }

    #[test]
    fn percent_encoding_keeps_only_the_unreserved_set() {
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(percent_encode("a b+c/d=e&f*g!"), "a%20b%2Bc%2Fd%3De%26f%2Ag%21");
        assert_eq!(percent_encode("Zoë — 日"), "Zo%C3%AB%20%E2%80%94%20%E6%97%A5");
    }

    #[test]
    fn verify_accepts_its_own_signature_and_nothing_else() {
        let url = "http://127.0.0.1:4000/openlearning/lti/launch";
        let mut params: Vec<(String, String)> =
            vec![("user_id".into(), "ol-u-000001".into()), ("lis_person_name_full".into(), "Zoë O'Brien".into())];
        let signature = sign("POST", url, &params, "s3cret&more");
        params.push((SIGNATURE_PARAM.into(), signature.clone()));
        assert!(verify("POST", url, &params, "s3cret&more"));
        assert!(!verify("POST", url, &params, "s3cret"));
        assert!(!verify("GET", url, &params, "s3cret&more"));
        assert!(!verify("POST", "http://127.0.0.1:4001/openlearning/lti/launch", &params, "s3cret&more"));

        let mut tampered = params.clone();
        tampered[0].1 = "ol-u-000002".into();
        assert!(!verify("POST", url, &tampered, "s3cret&more"));

        let unsigned: Vec<_> = params.iter().filter(|(k, _)| k != SIGNATURE_PARAM).cloned().collect();
        assert!(!verify("POST", url, &unsigned, "s3cret&more"));
        let mut twice = params.clone();
        twice.push((SIGNATURE_PARAM.into(), signature));
        assert!(!verify("POST", url, &twice, "s3cret&more"));
        let mut garbled = unsigned;
        garbled.push((SIGNATURE_PARAM.into(), "not base64!".into()));
        assert!(!verify("POST", url, &garbled, "s3cret&more"));
    }
}
