//! `crosswalk jobs …`: the core's periodic work, for cron and systemd timers.

use crosswalk_core::jobs::{self, JobKind};
use crosswalk_core::{Crosswalk, Error};

use super::cancel_on_ctrl_c;
use crate::args::{JobKindArg, JobsCmd};
use crate::output::Output;

pub async fn run(cw: &Crosswalk, out: &Output, cmd: JobsCmd) -> Result<(), Error> {
    match cmd {
        JobsCmd::List => {
            let list = jobs::list(cw)?;
            out.print(&list, || {
                if list.is_empty() {
                    return "No job is scheduled. `crosswalk jobs set mirror-sync --profile P --every 360` schedules one.".into();
                }
                let mut t = String::new();
                for j in &list {
                    let name = cw.profile(&j.profile_id).map(|p| p.name).unwrap_or_else(|_| j.profile_id.clone());
                    t.push_str(&format!(
                        "{:<16} {:<24} every {:>5} min  {}  next {}  last {} {}\n",
                        j.kind.as_str(),
                        name,
                        j.every_minutes,
                        if j.enabled { "on " } else { "off" },
                        j.next_run_at,
                        j.last_run_at.as_deref().unwrap_or("never"),
                        j.last_outcome
                            .as_deref()
                            .map(|o| format!("({o}: {})", j.last_detail.as_deref().unwrap_or_default()))
                            .unwrap_or_default()
                    ));
                }
                t
            });
            Ok(())
        }
        JobsCmd::Set { kind, profile, every, off } => {
            let kind = match kind {
                JobKindArg::MirrorSync => JobKind::MirrorSync,
                JobKindArg::EnrollmentsPoll => JobKind::EnrollmentsPoll,
            };
            let job = jobs::set(cw, kind, &profile, every, !off)?;
            out.print(&job, || {
                if job.enabled {
                    format!("{} of {profile}: every {} minutes, next at {}.", kind.label(), job.every_minutes, job.next_run_at)
                } else {
                    format!("{} of {profile}: switched off.", kind.label())
                }
            });
            Ok(())
        }
        JobsCmd::RunDue => {
            let runs = jobs::run_due(
                cw,
                |e| tracing::info!(kind = e.kind.as_str(), profile = %e.profile_id, phase = %e.phase, "job"),
                &cancel_on_ctrl_c(),
            )
            .await?;
            out.print(&runs, || {
                if runs.is_empty() {
                    return "Nothing was due.".into();
                }
                runs.iter().map(|r| format!("{} of {}: {} — {}\n", r.kind.label(), r.profile_name, r.outcome, r.detail)).collect()
            });
            let failed = runs.iter().filter(|r| r.outcome != "ok").count();
            match failed {
                0 => Ok(()),
                n if n == runs.len() => Err(Error::Invalid(format!("{n} due jobs failed (see above and Activity)."))),
                n => Err(Error::Incomplete(format!("{n} of {} due jobs did not fully work (see above and Activity).", runs.len()))),
            }
        }
    }
}
