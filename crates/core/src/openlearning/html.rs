//! The launch form as HTML: every value escaped, one line of script to submit it, a button for
//! browsers without script.

use base64::Engine;
use sha2::{Digest, Sha256};

use super::client::SignedLaunch;

/// Escapes text for an HTML attribute value or element content.
pub fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The auto-submit line. It calls the prototype's `submit`, so a parameter named `submit` (which
/// would shadow `form.submit`) cannot stop it. The one-shot page's CSP allows exactly this script.
pub const SUBMIT_SCRIPT: &str = "HTMLFormElement.prototype.submit.call(document.getElementById('crosswalk-launch'));";

/// The form snippet to embed in another page or hand to another system.
pub fn snippet(launch: &SignedLaunch) -> String {
    let mut html =
        format!("<form id=\"crosswalk-launch\" method=\"{}\" action=\"{}\">\n", escape(&launch.method), escape(launch.action.as_str()));
    for (k, v) in &launch.params {
        html.push_str(&format!("  <input type=\"hidden\" name=\"{}\" value=\"{}\">\n", escape(k), escape(v)));
    }
    html.push_str("  <noscript><input type=\"submit\" value=\"Launch OpenLearning\"></noscript>\n</form>\n");
    html.push_str(&format!("<script>{SUBMIT_SCRIPT}</script>\n"));
    html
}

/// A whole page around the snippet (the one-shot page and `--html` files).
pub fn page(launch: &SignedLaunch) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>Launching OpenLearning…</title>\n</head>\n<body>\n<p>Signing you in to OpenLearning…</p>\n{}</body>\n</html>\n",
        snippet(launch)
    )
}

/// The Content-Security-Policy of the one-shot page: nothing loads, only the submit line runs,
/// and the form may post only to the launch's own origin.
pub fn csp(launch: &SignedLaunch) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SUBMIT_SCRIPT.as_bytes()));
    format!(
        "default-src 'none'; script-src 'sha256-{hash}'; form-action {}; base-uri 'none'; frame-ancestors 'none'",
        launch.action.origin().ascii_serialization()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(params: &[(&str, &str)]) -> SignedLaunch {
        SignedLaunch {
            action: url::Url::parse("https://www.openlearning.com/lti/launch?a=1&b=2").unwrap(),
            method: "POST".into(),
            params: params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    #[test]
    fn hostile_values_are_escaped() {
        let hostile = [
            ("lis_person_name_full", "Ann \"O'Neil\" </script><script>alert(1)</script>"),
            ("custom_note", "a & b <img src=x onerror=alert(1)>"),
            ("x\"><script>", "name too"),
        ];
        let html = snippet(&launch(&hostile));
        assert!(!html.contains("<img"), "{html}");
        assert_eq!(html.matches("<script>").count(), 1, "only our own script: {html}");
        assert!(!html.contains("</script><script>"));
        assert!(html.contains("Ann &quot;O&#39;Neil&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("a &amp; b &lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("name=\"x&quot;&gt;&lt;script&gt;\""));
        assert!(html.contains("action=\"https://www.openlearning.com/lti/launch?a=1&amp;b=2\""));
        assert!(html.contains("<noscript><input type=\"submit\" value=\"Launch OpenLearning\"></noscript>"));
    }

    #[test]
    fn the_csp_allows_exactly_the_submit_line_and_the_launch_origin() {
        let c = csp(&launch(&[]));
        assert!(c.contains("form-action https://www.openlearning.com;"), "{c}");
        assert!(c.contains("script-src 'sha256-"));
        assert!(page(&launch(&[])).contains(&format!("<script>{SUBMIT_SCRIPT}</script>")));
    }
}
