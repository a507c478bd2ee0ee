//! `crosswalk-sandbox`: run the simulated services until Ctrl-C.

use std::process::ExitCode;

use clap::Parser;
use crosswalk_sandbox::{ClientRole, Envelope, Knobs, Sandbox, SandboxConfig, SandboxInfo};

/// Simulated Open edX, OpenLearning and OOAPI (home institution and enrollment receiver) services on 127.0.0.1, with
/// deterministic seeded data, for Crosswalk's demo mode, tests and benchmarks.
#[derive(Debug, Parser)]
#[command(name = "crosswalk-sandbox", version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Number of learners to seed.
    #[arg(long, default_value_t = 1_000)]
    learners: usize,
    /// Seed of the data: the same seed gives the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Milliseconds added before every answer.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Pagination envelope of the mapping API: `current` or `legacy`.
    #[arg(long, default_value = "current")]
    envelope: Envelope,
    /// Print the URLs and credentials as one JSON line instead of a readable block.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = SandboxConfig {
        port: args.port,
        learners: args.learners,
        seed: args.seed,
        envelope: args.envelope,
        knobs: Knobs { latency_ms: args.latency_ms, ..Knobs::default() },
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!(
                "crosswalk-sandbox: could not start on 127.0.0.1:{}: {error}. Pick another --port or use 0 for a free one.",
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let info = sandbox.info();
    if args.json {
        match serde_json::to_string(&info) {
            Ok(line) => println!("{line}"),
            Err(error) => eprintln!("crosswalk-sandbox: could not print the description: {error}"),
        }
    } else {
        print!("{}", describe(&info));
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("crosswalk-sandbox: cannot wait for Ctrl-C ({error}); stopping.");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// The readable block.
fn describe(info: &SandboxInfo) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("Crosswalk sandbox: {} learners, seed {}, {} envelope", info.learners, info.seed, info.envelope.as_str()));
    line(String::new());
    line(format!("  Open edX LMS     {}", info.openedx_url));
    line(format!("  Token endpoint   {}", info.token_url));
    line(format!("  OpenLearning API {}", info.openlearning_url));
    line(format!("    institution    {}", info.openlearning_institution_id));
    line(format!("    api key        {}  (Authorization: Bearer, or ?api_key=)", info.openlearning_api_key));
    line(format!("    launch page    {}", info.openlearning_launch_url));
    line(format!("  OOAPI home       {}", info.ooapi_url));
    line(format!("    persons        {}", info.ooapi_persons_url));
    line(format!("    associations   {}", info.ooapi_associations_url));
    line(format!("    token          {}  (client {} / {})", info.ooapi_token_url, info.ooapi_client_id, info.ooapi_client_secret));
    line(format!("    introspection  {}", info.ooapi_introspection_url));
    line(format!(
        "    receiver       {}  (Basic {} / {})",
        info.ooapi_receiver_url, info.ooapi_receiver_user, info.ooapi_receiver_password
    ));
    line(format!(
        "  Admin            {}  (GET/PUT knobs, GET stats, POST stats/reset, GET/PUT envelope, GET/PUT openlearning/envelope, GET info, POST link/unlink/set_remote_id, ooapi/...: GET/PUT fault, POST advance?secs=N, POST student-token, GET persons/offerings/associations/demo-associations/stats)",
        info.admin_url
    ));
    line(String::new());
    line("  OAuth clients (grant_type=client_credentials)".to_owned());
    for client in &info.clients {
        let role = match &client.role {
            ClientRole::Staff => "staff".to_owned(),
            ClientRole::Restricted { scopes, filters } => format!("restricted, scopes {}, filters {}", scopes.join(" "), filters.join(" ")),
            ClientRole::Learner => "learner".to_owned(),
        };
        line(format!("    {}", client.client_id));
        line(format!("      secret       {}", client.client_secret));
        line(format!("      role         {role}"));
        line(format!("      about        {}", client.description));
    }
    line(format!("  X-Edx-Api-Key    {}", info.api_key));
    line(String::new());
    line("  Providers".to_owned());
    for p in &info.providers {
        line(format!(
            "    {:<30} {:<7} {:<9} {:>8} mappings  {}",
            p.id,
            p.kind.as_str(),
            if p.enabled { "enabled" } else { "disabled" },
            p.mappings,
            p.name
        ));
    }
    line(String::new());
    line("Press Ctrl-C to stop.".to_owned());
    out
}
