//! `crosswalk`: Crosswalk's capabilities without a window, for middleware and scripts.
//!
//! Data goes to stdout (one JSON document with `--json`), progress and errors to stderr.
//! Exit codes: 0 everything asked for was done; 2 partly done (what was done is printed, what
//! could not be done is listed, e.g. identifiers a provider refused); 1 nothing done, a usage
//! error, or any other failure — always with a one-line reason on stderr.

mod args;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;
use crosswalk_core::activity::Face;
use crosswalk_core::paths::DataDirs;
use crosswalk_core::Crosswalk;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, always: scripts read it.
            eprintln!("crosswalk: {}", e.to_string().replace('\n', " "));
            match e {
                crosswalk_core::Error::Incomplete(_) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

async fn run(cli: Cli) -> Result<(), crosswalk_core::Error> {
    let dirs = DataDirs::resolve(cli.data_dir.as_deref())?;
    dirs.create()?;
    let _log = crosswalk_core::logging::init(&dirs.logs, "crosswalk-cli", false)?;
    let cw = Crosswalk::open(dirs, Face::Cli)?;
    let out = output::Output { json: cli.json };
    match cli.command {
        Command::Paths => commands::paths(&cw, &out),
        Command::Activity(a) => commands::activity::run(&cw, &out, a),
        Command::Profile(p) => commands::profile::run(&cw, &out, p).await,
        Command::Secret(s) => commands::secret::run(&cw, &out, s),
        Command::Learners(l) => commands::learners::run(&cw, &out, l).await,
        Command::Providers(p) => commands::providers::run(&cw, &out, p).await,
        Command::Grades(g) => commands::grades::run(&cw, &out, g).await,
        Command::Launch(l) => commands::launch::run(&cw, &out, *l).await,
        Command::Enrollments(e) => commands::enrollments::run(&cw, &out, e).await,
        Command::Jobs(j) => commands::jobs::run(&cw, &out, j).await,
        Command::Ooapi(o) => commands::ooapi::run(&cw, &out, o).await,
        Command::Diagnostics { out: file } => commands::diagnostics(&cw, &out, file.as_deref()),
    }
}
