//! The endpoint check's report as text (CLI), self-contained HTML (for the IT team), JSON and
//! JUnit XML (for their CI). Nothing here adds data: every renderer shows the [`CheckReport`],
//! whose exchanges were cut and cleared of tokens when they were recorded.

use std::fmt::Write as _;

use super::{CheckItem, CheckReport, Endpoint, Verdict};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 has no place for most control characters: a server's answer may hold any.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn endpoints_of(report: &CheckReport) -> Vec<Endpoint> {
    let mut e: Vec<Endpoint> = report.items.iter().map(|i| i.endpoint).collect();
    e.sort();
    e.dedup();
    e
}

fn summary(report: &CheckReport) -> String {
    let c = &report.counts;
    format!("{} passed, {} failed, {} warnings, {} info, {} not checked", c.pass, c.fail, c.warn, c.info, c.skipped)
}

/// Plain text, for the CLI.
pub fn text(report: &CheckReport) -> String {
    let mut t = format!(
        "Endpoint check of {} ({}): {}\n",
        report.profile_name,
        report.schac_home,
        if report.passed() { "nothing failed" } else { "FAILED" }
    );
    let _ = writeln!(t, "{}", summary(report));
    if let Some(tok) = &report.token {
        let _ = writeln!(
            t,
            "Token ({}): active {}, scopes {}{}",
            tok.source,
            tok.active.map_or("unknown".into(), |a| a.to_string()),
            if tok.scopes.is_empty() { "(none)".to_string() } else { tok.scopes.join(" ") },
            if tok.missing_scopes.is_empty() { String::new() } else { format!(" — missing {}", tok.missing_scopes.join(" ")) }
        );
    }
    for e in endpoints_of(report) {
        let _ = writeln!(t, "\n{}", e.label());
        for i in report.items.iter().filter(|i| i.endpoint == e) {
            let _ = writeln!(t, "  {:<7} {}: {}", i.verdict.as_str().to_uppercase(), i.title, i.detail);
            if let Some(h) = i.hint.as_ref().filter(|_| matches!(i.verdict, Verdict::Fail | Verdict::Warn)) {
                let _ = writeln!(t, "          → {h}");
            }
            for d in &i.spec_defects {
                let _ = writeln!(t, "          relaxed: {d}");
            }
        }
    }
    if !report.diff.is_empty() {
        let _ = writeln!(t, "\nChanged since the run of {}:", report.previous_run_at.as_deref().unwrap_or("before"));
        for d in &report.diff {
            let _ = writeln!(
                t,
                "  {} — {}: {} → {}",
                d.endpoint.label(),
                d.title,
                d.before.map_or("(not run)", Verdict::as_str),
                d.after.map_or("(not run)", Verdict::as_str)
            );
        }
    }
    t
}

/// Self-contained HTML (inline style, no script, no remote resource).
pub fn html(report: &CheckReport) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Endpoint check: {name}</title>\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <style>body{{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1a1b1e}}table{{border-collapse:collapse;margin:1em 0}}\
         td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}.pass{{background:#e6f4ea}}.fail{{background:#fde7e9}}\
         .warn{{background:#fff4d6}}.info{{background:#e8f0fe}}.skipped{{background:#f1f3f4;color:#555}}pre{{white-space:pre-wrap;font-size:12px;background:#f8f9fa;padding:6px}}\
         .hint{{color:#444}}.defect{{color:#6b4e00;font-size:12px}}</style></head><body>",
        name = escape(&report.profile_name)
    );
    let _ = write!(
        h,
        "<h1>Endpoint check: {}</h1><p>{} — {} to {}</p><p><strong>{}</strong>: {}</p>",
        escape(&report.profile_name),
        escape(&report.schac_home),
        escape(&report.started_at),
        escape(&report.finished_at),
        if report.passed() { "Nothing failed" } else { "Failed" },
        escape(&summary(report))
    );
    let _ = write!(
        h,
        "<p>Persons: {}<br>Associations: {}<br>SIS backend: {}</p>",
        escape(&report.persons_url),
        escape(&report.associations_url),
        escape(report.sis_url.as_deref().unwrap_or("(not set)"))
    );
    if let Some(d) = &report.problem_dialect {
        let _ = write!(h, "<p>Problems written as: {}</p>", escape(d));
    }
    if let Some(t) = &report.token {
        let _ = write!(
            h,
            "<h2>Token</h2><table><tr><th>Source</th><td>{}</td></tr><tr><th>Active</th><td>{}</td></tr><tr><th>Expires</th><td>{}</td></tr>\
             <tr><th>Scopes</th><td>{}</td></tr><tr><th>Missing scopes</th><td>{}</td></tr><tr><th>E-mail</th><td>{}</td></tr>\
             <tr><th>client_id</th><td>{}</td></tr><tr><th>aud</th><td>{}</td></tr></table>",
            escape(&t.source),
            t.active.map_or("unknown".into(), |a| a.to_string()),
            escape(t.expires_at.as_deref().unwrap_or("(none)")),
            escape(&t.scopes.join(" ")),
            escape(&t.missing_scopes.join(" ")),
            escape(t.email.as_deref().unwrap_or("(none)")),
            escape(t.client_id.as_deref().unwrap_or("(none)")),
            escape(&t.audience.join(", "))
        );
    }
    // The matrix: checks × endpoints.
    let endpoints = endpoints_of(report);
    let mut checks: Vec<(&str, &str)> = Vec::new();
    for i in &report.items {
        if !checks.iter().any(|(c, _)| *c == i.check) {
            checks.push((&i.check, &i.title));
        }
    }
    h.push_str("<h2>Matrix</h2><table><tr><th>Check</th>");
    for e in &endpoints {
        let _ = write!(h, "<th>{}</th>", escape(e.label()));
    }
    h.push_str("</tr>");
    for (check, title) in &checks {
        let _ = write!(h, "<tr><th>{}</th>", escape(title));
        for e in &endpoints {
            match report.items.iter().find(|i| i.check == *check && i.endpoint == *e) {
                Some(i) => {
                    let _ = write!(h, "<td class=\"{0}\">{0}</td>", i.verdict.as_str());
                }
                None => h.push_str("<td></td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    if !report.diff.is_empty() {
        let _ = write!(h, "<h2>Changed since the previous run ({})</h2><ul>", escape(report.previous_run_at.as_deref().unwrap_or("")));
        for d in &report.diff {
            let _ = write!(
                h,
                "<li>{} — {}: {} → {}</li>",
                escape(d.endpoint.label()),
                escape(&d.title),
                d.before.map_or("(not run)", Verdict::as_str),
                d.after.map_or("(not run)", Verdict::as_str)
            );
        }
        h.push_str("</ul>");
    }
    h.push_str("<h2>Details</h2>");
    for e in &endpoints {
        let _ = write!(h, "<h3>{}</h3>", escape(e.label()));
        for i in report.items.iter().filter(|i| i.endpoint == *e) {
            detail_html(&mut h, i);
        }
    }
    h.push_str("<p>Every request and answer is shown cut to 2,000 characters, with tokens replaced by [token].</p></body></html>");
    h
}

fn detail_html(h: &mut String, i: &CheckItem) {
    let _ = write!(
        h,
        "<div class=\"{}\"><p><strong>{}</strong> — {}: {}",
        i.verdict.as_str(),
        i.verdict.as_str().to_uppercase(),
        escape(&i.title),
        escape(&i.detail)
    );
    if let Some(ms) = i.latency_ms {
        let _ = write!(h, " ({ms} ms)");
    }
    h.push_str("</p>");
    if let Some(hint) = &i.hint {
        let _ = write!(h, "<p class=\"hint\">What to do: {}</p>", escape(hint));
    }
    for d in &i.spec_defects {
        let _ = write!(h, "<p class=\"defect\">Relaxed: {}</p>", escape(d));
    }
    if let Some(x) = &i.exchange {
        let _ = write!(h, "<pre>{}</pre>", escape(x));
    }
    h.push_str("</div>");
}

/// JUnit XML: one test suite per endpoint, one test case per check; failures fail, warnings pass
/// with their text in `system-out`, checks not run are skipped.
pub fn junit(report: &CheckReport) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"Crosswalk endpoint check: {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
        escape(&report.profile_name),
        report.items.len(),
        report.counts.fail,
        report.counts.skipped
    );
    for e in endpoints_of(report) {
        let items: Vec<&CheckItem> = report.items.iter().filter(|i| i.endpoint == e).collect();
        let failures = items.iter().filter(|i| i.verdict == Verdict::Fail).count();
        let skipped = items.iter().filter(|i| i.verdict == Verdict::Skipped).count();
        let _ = writeln!(
            x,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\" timestamp=\"{}\">",
            escape(e.label()),
            items.len(),
            escape(&report.started_at)
        );
        for i in items {
            let time = i.latency_ms.map_or(0.0, |ms| ms as f64 / 1000.0);
            let _ = write!(x, "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\"", escape(&i.check), escape(&i.title));
            match i.verdict {
                Verdict::Fail => {
                    let _ = writeln!(
                        x,
                        "><failure message=\"{}\">{}</failure></testcase>",
                        escape(&i.detail),
                        escape(&format!("{}\n{}", i.hint.as_deref().unwrap_or_default(), i.exchange.as_deref().unwrap_or_default()))
                    );
                }
                Verdict::Skipped => {
                    let _ = writeln!(x, "><skipped message=\"{}\"/></testcase>", escape(&i.detail));
                }
                v => {
                    let _ = writeln!(x, "><system-out>{}: {}</system-out></testcase>", v.as_str(), escape(&i.detail));
                }
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

/// The report as pretty JSON.
pub fn json(report: &CheckReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// Writes the report where asked, by the file's extension: `.html`, `.xml` (JUnit) or `.json`.
pub fn save(report: &CheckReport, path: &std::path::Path) -> crate::Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let body = match ext.as_str() {
        "html" | "htm" => html(report),
        "xml" => junit(report),
        "json" => json(report),
        _ => return Err(crate::Error::Invalid(format!("Save the report as .html, .json or .xml (JUnit), not \"{}\".", path.display()))),
    };
    std::fs::write(path, body)
        .map_err(|e| crate::Error::Invalid(format!("The report could not be saved to {}: {e}. Choose another folder.", path.display())))
}
