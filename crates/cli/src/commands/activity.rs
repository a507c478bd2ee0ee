//! `crosswalk activity`

use crosswalk_core::activity::{ActivityQuery, Face, Outcome};
use crosswalk_core::Crosswalk;

use crate::args::ActivityArgs;
use crate::output::Output;

pub fn run(cw: &Crosswalk, out: &Output, a: ActivityArgs) -> Result<(), crosswalk_core::Error> {
    let list = cw.activity.list(&ActivityQuery {
        text: a.text,
        outcome: a.errors.then_some(Outcome::Error),
        limit: Some(a.limit),
        ..Default::default()
    })?;
    out.print(&list, || {
        if list.entries.is_empty() {
            return "No activity recorded yet.".into();
        }
        let mut t = String::new();
        for e in &list.entries {
            let outcome = if e.outcome == Outcome::Ok { "ok" } else { "error" };
            let face = if e.face == Face::Cli { "cli" } else { "app" };
            t.push_str(&format!("{}  {outcome:<5} {face:<3} {:<24} {}  {}\n", e.at, e.action, e.target, e.detail));
        }
        t.push_str(&format!("({} of {} entries)", list.entries.len(), list.total));
        t
    });
    Ok(())
}
