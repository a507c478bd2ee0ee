//! `crosswalk providers check`

use crosswalk_core::permissions::{self, Access};
use crosswalk_core::{Crosswalk, Error};

use crate::args::ProvidersCmd;
use crate::output::Output;

pub async fn run(cw: &Crosswalk, out: &Output, cmd: ProvidersCmd) -> Result<(), Error> {
    match cmd {
        ProvidersCmd::Check { profile, providers } => {
            let p = cw.profile(&profile)?;
            let rows = permissions::matrix(cw, std::slice::from_ref(&p.id), &providers).await?;
            let row = &rows[0];
            if !row.problem.is_empty() {
                return Err(Error::Invalid(row.problem.clone()));
            }
            out.print(row, || {
                let mut t = String::new();
                if let Some(c) = &row.claims {
                    t.push_str(&format!("Token scopes: [{}]  filters: [{}]\n", c.scopes.join(", "), c.filters.join(", ")));
                }
                for c in &row.cells {
                    let mark = match c.access {
                        Access::Granted => "granted      ",
                        Access::NotPermitted => "not permitted",
                        Access::UnknownProvider => "unknown      ",
                        Access::Error => "error        ",
                    };
                    t.push_str(&format!("{mark} {:<32} {}\n", c.provider_id, c.detail));
                }
                for c in row.cells.iter().filter(|c| c.fix.is_some()) {
                    t.push_str(&format!("\nTo grant {}:\n{}", c.provider_id, c.fix.as_deref().unwrap_or_default()));
                }
                t
            });
            Ok(())
        }
    }
}
