//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "crosswalk", version = crosswalk_core::app_info::LONG_VERSION, about = "Crosswalk on the command line: Open edX ID mapping, OpenLearning SSO and OOAPI enrollment")]
pub struct Cli {
    /// Keep the database and logs in this folder instead of the OS's app-data folder.
    #[arg(long, global = true, env = crosswalk_core::paths::DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show where Crosswalk keeps its database and logs.
    Paths,
    /// The audit trail of actions that reached remote systems.
    Activity(ActivityArgs),
    /// Connection profiles (settings only; secrets are in the OS keyring).
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// A profile's secret in the OS keyring.
    #[command(subcommand)]
    Secret(SecretCmd),
    /// Open edX learners: look up, mirror, export.
    #[command(subcommand)]
    Learners(LearnersCmd),
    /// Which Open edX providers a profile's API client may read.
    #[command(subcommand)]
    Providers(ProvidersCmd),
    /// Open edX grade reports: reconcile into a file the university's LMS or SIS imports.
    #[command(subcommand)]
    Grades(GradesCmd),
    /// OpenLearning single sign-on: a signed, single-use launch of a learner into a class.
    ///
    /// A launch is a credential: whoever posts it first is signed in as the learner. Say where it
    /// goes with exactly one of:
    ///
    /// --open: served once from 127.0.0.1 and opened in the system browser; the link works once
    /// and expires in 60 s. Nothing of it is printed.
    ///
    /// --html FILE: an auto-submitting page that works once; open it soon, then delete it.
    ///
    /// --json: `{"url", "method", "params"}`, the whole signed launch, for middleware that posts
    /// it itself. It is a single-use credential: pipe it straight to that program; never log it,
    /// store it or leave it in a terminal's scrollback.
    Launch(Box<LaunchCmd>),
    /// OOAPI enrollments of students from other institutions (we are the host): the ledger of
    /// associations, creating them, polling the home institution, changing our side's state.
    ///
    /// Exit codes: 0 done; 2 partly done (e.g. some associations could not be checked: listed on
    /// stderr and in --json); 1 nothing done or a usage error.
    #[command(subcommand)]
    Enrollments(EnrollmentsCmd),
    /// Periodic work (mirror syncs, enrollment polling): schedules, and running what is due.
    ///
    /// The desktop app runs due jobs while it is open; on a server, run `crosswalk jobs run-due`
    /// from cron or a systemd timer every few minutes. Both use the same schedules.
    #[command(subcommand)]
    Jobs(JobsCmd),
    /// Our own OOAPI home endpoints: check tokens (RFC 7662 introspection) and the four endpoints
    /// before partners call them.
    ///
    /// Exit codes: 0 nothing failed (warnings allowed); 1 a check failed, or the check could not
    /// run (the reason on stderr). Usable in an IT team's own CI.
    #[command(subcommand)]
    Ooapi(OoapiCmd),
    /// For support: print a problem report (versions, OS, the last log lines; never a secret), or
    /// with --out write a diagnostics bundle (a zip of the logs, versions, schema version and the
    /// connections' kinds and hosts) for the IT team.
    Diagnostics {
        /// Write the diagnostics bundle (.zip) here.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Where the token for `crosswalk ooapi` comes from.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct TokenArgs {
    /// Read the token from stdin (a test student's access token, as the broker's sign-in gives it).
    #[arg(long)]
    pub token_stdin: bool,
    /// Fetch a token with the client credentials of this OOAPI connection.
    #[arg(long, value_name = "PROFILE")]
    pub from_profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum OoapiCmd {
    /// Introspect a token with the connection's resource-server client: active, expiry, the
    /// institution scopes (<domain>/persons, <domain>/results, email), email, client_id, aud.
    Introspect {
        /// The OOAPI connection of our home endpoints (with --introspection-url and
        /// --introspection-client-id).
        #[arg(long)]
        profile: String,
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Check our four home endpoints with a token: schema, auth, status codes, errors, latency,
    /// certificate; and our SIS backend's answer. Test associations are canceled at the end.
    Check {
        /// The OOAPI connection of our home endpoints.
        #[arg(long)]
        profile: String,
        /// The token to check with (default: --from-profile the same connection).
        #[command(flatten)]
        token: TokenArgs,
        /// A second token without the institution scopes, from this environment variable, to
        /// check that the endpoints answer it 403 (skipped without one).
        #[arg(long, value_name = "VAR")]
        no_scope_token_env: Option<String>,
        /// Our SIS backend URL (default: the connection's).
        #[arg(long)]
        sis_url: Option<String>,
        /// Flag calls slower than this many seconds (default 15; partners give up at 20).
        #[arg(long, value_name = "SECS")]
        slow_after: Option<f64>,
        /// Save the report as self-contained HTML.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Save the report as JUnit XML.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Save the report as JSON (what --json prints).
        #[arg(long, value_name = "FILE")]
        save_json: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCmd {
    /// The connection's templates, the most recently used first.
    List {
        #[arg(long)]
        profile: String,
    },
    /// Print one template's JSON (to edit and `save` again, or to pass to `create --offering`).
    Show {
        #[arg(long)]
        profile: String,
        /// The offering's offeringId.
        offering_id: String,
    },
    /// Save an offering file as its offering's template, after the check a create runs.
    Save {
        #[arg(long)]
        profile: String,
        #[arg(long, value_name = "FILE.json")]
        file: PathBuf,
    },
    /// Delete a saved template (associations already created are not touched).
    Delete {
        #[arg(long)]
        profile: String,
        /// The offering's offeringId.
        offering_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnrollmentsCmd {
    /// List the ledger (counts by state on stderr in text mode).
    List {
        /// Only this OOAPI connection.
        #[arg(long)]
        profile: Option<String>,
        /// pending, queued, associated, denied, canceled, finished, stuck or error.
        #[arg(long)]
        state: Option<String>,
        /// Print CSV on stdout.
        #[arg(long)]
        csv: bool,
    },
    /// One association with its timeline.
    Show {
        /// The ledger id or the association id.
        id: String,
    },
    /// Create an association at the home institution (POST), after checking the body locally.
    /// The attempt is recorded before sending; a lost answer leaves it "unknown — check", and it
    /// is never sent again by itself.
    Create {
        #[arg(long)]
        profile: String,
        /// The student's personId at the home institution.
        #[arg(long)]
        person_id: String,
        /// The offering as JSON (the offering object with its course expanded, or
        /// {"offering", "issuer"}); `crosswalk enrollments template` writes an example. A create
        /// the home side accepts keeps it as that offering's template.
        #[arg(long, value_name = "FILE.json", required_unless_present = "offering_id", conflicts_with = "offering_id")]
        offering: Option<PathBuf>,
        /// A saved offering template's offeringId instead of a file (see `enrollments templates`).
        #[arg(long, value_name = "ID")]
        offering_id: Option<String>,
        /// associated (default), pending or queued.
        #[arg(long, default_value = "associated")]
        remote_state: String,
    },
    /// The saved offering templates of a connection: list, save (checked, nothing sent), show,
    /// delete. `create --offering-id` uses one.
    #[command(subcommand)]
    Templates(TemplatesCmd),
    /// Print an example offering file for `create`.
    Template {
        /// Our own schacHome (the issuer).
        #[arg(long, default_value = "host.example.edu")]
        schac_home: String,
    },
    /// Add association ids from a CSV/XLSX file (column associationId, optional personId).
    Import {
        #[arg(long)]
        profile: String,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Ask the home institution about every pending, queued or never-read association.
    Poll {
        /// Only this OOAPI connection (default: every OOAPI connection).
        #[arg(long)]
        profile: Option<String>,
    },
    /// Ask the home institution about one association now.
    Check { id: String },
    /// Change our side's state: associated, denied or canceled (PATCH, merge-patch).
    SetState {
        id: String,
        /// associated, denied or canceled (cancelled accepted).
        state: String,
    },
    /// Return course results to the students' home institutions (PATCH with a `result`). Rows come
    /// from a Grades reconciliation or a CSV/XLSX file (associationId, email, personId or remoteId,
    /// and grade 0-1 or score); each is matched to one association, converted, checked against
    /// OOAPI v5 and sent. Settings not given come from the offering's last return, then the offering.
    /// Exit code 0: every selected result sent (or every one already sent) and every row matched;
    /// 2: some rows unmatched, ambiguous, refused or failed; 1: nothing could be sent.
    Results {
        /// A Grades reconciliation (its History id, see `crosswalk grades history`).
        #[arg(long, value_name = "ID", conflicts_with = "file", required_unless_present = "file")]
        from_reconciliation: Option<i64>,
        /// A CSV or XLSX file of results.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Only associations of this OOAPI connection.
        #[arg(long)]
        profile: Option<String>,
        /// Only associations of this offering (code or id): needed when students follow several.
        #[arg(long)]
        offering: Option<String>,
        /// 0-100, 1-10, "US letter", "UK letter" or pass-or-fail (default: the offering's).
        #[arg(long, value_name = "T")]
        result_value_type: Option<String>,
        /// The course's study load, e.g. 5.
        #[arg(long, value_name = "N")]
        study_load: Option<f64>,
        /// ects (default), contacttime, sbu, sp or hour.
        #[arg(long, value_name = "UNIT")]
        study_load_unit: Option<String>,
        /// The lowest Open edX grade (0-1) that passes (default 0.5).
        #[arg(long, value_name = "X")]
        pass_threshold: Option<f64>,
        /// resultDate, YYYY-MM-DD (default today).
        #[arg(long, value_name = "DATE")]
        result_date: Option<String>,
        /// completed (default), "in progress", postponed or queued.
        #[arg(long, value_name = "STATE")]
        result_state: Option<String>,
        /// Letter cutoffs for a letter scale, like "A=0.9,B=0.8,C=0.7,D=0.6,F=0" (default: the scale's).
        #[arg(long, value_name = "CUTOFFS")]
        letters: Option<String>,
        /// A responsible teacher (repeat for several): sent in ext.responsibleTeachers.
        #[arg(long = "teacher", value_name = "NAME")]
        teachers: Vec<String>,
        #[arg(long)]
        comment: Option<String>,
        /// Send again the results already sent (the previous value is shown first).
        #[arg(long)]
        resend: bool,
        /// Print what would be sent (the bodies with --json), send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the ledger to a CSV or XLSX file (by extension).
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        profile: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum JobKindArg {
    /// Sync an Open edX connection's watched providers.
    MirrorSync,
    /// Poll an OOAPI connection's pending associations.
    EnrollmentsPoll,
}

#[derive(Debug, Subcommand)]
pub enum JobsCmd {
    /// Every schedule with its last and next run.
    List,
    /// Schedule a job (or switch it off).
    Set {
        #[arg(value_enum)]
        kind: JobKindArg,
        #[arg(long)]
        profile: String,
        /// Minutes between runs (5 to 10080).
        #[arg(long, default_value_t = 15)]
        every: u32,
        /// Switch the job off (keeps the interval).
        #[arg(long)]
        off: bool,
    },
    /// Run every due job now, one after another (for cron / systemd timers).
    RunDue,
}

#[derive(Debug, Subcommand)]
pub enum GradesCmd {
    /// Match a grade report's usernames to the provider's remote ids and write the upload file.
    ///
    /// The report is read, never changed. Rows that cannot be exported (not linked, linked more
    /// than once, broken lines) go to the error file (`Student ID,Username,Error`); that is not
    /// a failure. The exit code is non-zero only when nothing usable could be written or live
    /// lookups failed.
    Reconcile(Box<ReconcileArgs>),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TemplateArg {
    /// remote_id, username, grade
    Generic,
    /// Canvas gradebook import (SIS User ID)
    Canvas,
    /// Moodle "Import grades from CSV" (ID number)
    Moodle,
    /// Brightspace grade import (OrgDefinedId)
    Brightspace,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScaleArg {
    /// The report's value (a fraction 0–1 for Open edX grades).
    AsIs,
    /// × 100.
    Percent,
    /// × --points-max.
    Points,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NotAttemptedArg {
    /// An empty grade (most gradebooks leave the grade untouched).
    Blank,
    /// 0.
    Zero,
    /// Leave the row out.
    Skip,
}

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// An Open edX connection.
    #[arg(long)]
    pub profile: String,
    /// The provider whose remote ids the receiving system knows.
    #[arg(long)]
    pub provider: String,
    /// The grade report (CSV or XLSX) as downloaded from Open edX, or any file with a username column.
    #[arg(long = "in", value_name = "FILE")]
    pub input: PathBuf,
    /// What the receiving system imports.
    #[arg(long, value_enum, default_value = "generic")]
    pub template: TemplateArg,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Where the rows that cannot be exported go (default: <out name>.errors.csv beside --out).
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// CSV or XLSX (default: from the extension of --out).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// CSV: start with a byte-order mark so Excel reads UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// The assignment / grade item name the receiving side shows (Canvas, Moodle, Brightspace).
    #[arg(long, value_name = "NAME")]
    pub item_name: Option<String>,
    /// How a 0–1 grade is written.
    #[arg(long, value_enum, default_value = "percent")]
    pub scale: ScaleArg,
    /// The assignment's maximum points (with --scale points).
    #[arg(long, value_name = "X")]
    pub points_max: Option<f64>,
    /// Decimal places (0–4).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=4))]
    pub decimals: u8,
    /// Write Pass (at least this percentage) or Fail instead of a number.
    #[arg(long, value_name = "PERCENT")]
    pub pass_mark: Option<f64>,
    /// What to write for "Not Attempted" and empty grades.
    #[arg(long, value_enum, default_value = "blank")]
    pub not_attempted: NotAttemptedArg,
    /// Also export rows whose enrollment status is "unenrolled" (when they match).
    #[arg(long)]
    pub include_unenrolled: bool,
    /// Only the local mirror: do not look up the usernames it does not know.
    #[arg(long)]
    pub no_live: bool,
    /// The header of the column that holds the Open edX usernames (for files Crosswalk does not recognise).
    #[arg(long, value_name = "NAME")]
    pub username_column: Option<String>,
    /// The header of the column whose grade is exported.
    #[arg(long, value_name = "NAME")]
    pub grade_column: Option<String>,
    /// The header of the column that holds email addresses (Moodle's template writes them).
    #[arg(long, value_name = "NAME")]
    pub email_column: Option<String>,
}

/// `crosswalk launch …` (one launch) or `crosswalk launch find …`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct LaunchCmd {
    #[command(subcommand)]
    pub find: Option<LaunchSub>,
    #[command(flatten)]
    pub launch: LaunchArgs,
}

#[derive(Debug, Subcommand)]
pub enum LaunchSub {
    /// Find an OpenLearning user by the institution's external id; print the user id (remembered
    /// for later launches with --external-id).
    Find {
        /// An OpenLearning connection.
        #[arg(long)]
        profile: String,
        /// The institution's external id (student number, email, …).
        #[arg(long)]
        external_id: String,
    },
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("user").required(true).args(["user_id", "external_id"]))]
pub struct LaunchArgs {
    /// An OpenLearning connection.
    #[arg(long, required = true)]
    pub profile: Option<String>,
    /// The OpenLearning user id.
    #[arg(long)]
    pub user_id: Option<String>,
    /// The institution's external id (looked up first, then remembered).
    #[arg(long)]
    pub external_id: Option<String>,
    /// Enrol into this class on launch.
    #[arg(long, conflicts_with = "context")]
    pub class: Option<String>,
    /// The external system's id for a class delivery.
    #[arg(long)]
    pub context: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub full_name: Option<String>,
    /// Write the auto-submitting launch page to this file (it works once; delete it after use).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["json", "open"])]
    pub html: Option<PathBuf>,
    /// With --html: replace the file if it exists.
    #[arg(long, requires = "html")]
    pub force: bool,
    /// Open the launch in the system browser through a one-shot page on 127.0.0.1 (60 s, once).
    #[arg(long, conflicts_with = "json")]
    pub open: bool,
}

#[derive(Debug, Subcommand)]
pub enum LearnersCmd {
    /// Look learners up by username and/or remote id (the LMS ORs the two).
    Lookup(LookupArgs),
    /// Copy all of a provider's mappings into the local mirror.
    Sync {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        provider: String,
        /// Pages fetched at once.
        #[arg(long, default_value_t = 8)]
        concurrency: u32,
    },
    /// Write a provider's mirror as CSV (username,remote_id).
    Export {
        #[arg(long)]
        profile: String,
        #[arg(long)]
        provider: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct LookupArgs {
    #[arg(long)]
    pub profile: String,
    /// A provider id (repeat for more; default: every watched provider).
    #[arg(long = "provider")]
    pub providers: Vec<String>,
    /// Usernames, comma separated (repeatable).
    #[arg(long = "username", value_delimiter = ',')]
    pub usernames: Vec<String>,
    /// Remote ids, comma separated (repeatable).
    #[arg(long = "remote-id", value_delimiter = ',')]
    pub remote_ids: Vec<String>,
    /// A CSV or XLSX file of ids: the column named username or remote_id (or the first column).
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: u32,
    /// Only the local mirror (offline).
    #[arg(long)]
    pub cached: bool,
    /// Print CSV instead of a table.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProvidersCmd {
    /// Probe every watched provider (page_size=1) and say what is granted and how to fix the rest.
    Check {
        #[arg(long)]
        profile: String,
        /// Check these provider ids instead of the watched ones.
        #[arg(long = "provider")]
        providers: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// Only entries whose action, target, actor or detail contain this text.
    #[arg(long)]
    pub text: Option<String>,
    /// Only failed actions.
    #[arg(long)]
    pub errors: bool,
    /// At most this many entries (newest first).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Openedx,
    Openlearning,
    Ooapi,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TokenTypeArg {
    Jwt,
    Bearer,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AuthArg {
    Basic,
    Body,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeyStyleArg {
    Header,
    Query,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FieldArg {
    ClientSecret,
    ApiKey,
    IntrospectionSecret,
    ReceiverPassword,
}

#[derive(Debug, Args)]
pub struct ProfileAdd {
    #[arg(long, value_enum)]
    pub kind: Kind,
    #[arg(long)]
    pub name: String,
    /// Open edX: the LMS root. OpenLearning: the API base (e.g. https://api.openlearning.com/v2.1/).
    /// OOAPI: the partner's API root (persons and associations URLs default to <base>/persons and <base>/associations).
    #[arg(long)]
    pub base_url: String,
    #[arg(long)]
    pub client_id: Option<String>,
    #[arg(long, value_enum, default_value = "jwt")]
    pub token_type: TokenTypeArg,
    #[arg(long, value_enum, default_value = "basic")]
    pub auth: AuthArg,
    /// A scope to request (repeat for more).
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// Open edX: a provider id to watch (repeat, or a comma list).
    #[arg(long = "provider", value_delimiter = ',')]
    pub providers: Vec<String>,
    /// Read the secret from this environment variable (servers without a keyring).
    #[arg(long)]
    pub secret_env: Option<String>,
    /// OpenLearning: the institution id.
    #[arg(long)]
    pub institution_id: Option<String>,
    /// OpenLearning: how the API key is sent.
    #[arg(long, value_enum, default_value = "header")]
    pub api_key_style: KeyStyleArg,
    /// OpenLearning: the managed-user lookup path, with {institution_id} and {external_id}
    /// placeholders (default: the observed institutions/{institution_id}/managed-users/?external_institution_id={external_id}).
    #[arg(long)]
    pub user_lookup_path: Option<String>,
    /// OOAPI: the partner's schacHome.
    #[arg(long)]
    pub schac_home: Option<String>,
    #[arg(long)]
    pub persons_url: Option<String>,
    #[arg(long)]
    pub associations_url: Option<String>,
    #[arg(long)]
    pub token_url: Option<String>,
    #[arg(long)]
    pub audience: Option<String>,
    /// OOAPI: reach the home institution directly (token from --token-url) or through the host's
    /// enrollment receiver (HTTP Basic; password in the keyring or --secret-env).
    #[arg(long, value_enum, default_value = "direct")]
    pub transport: TransportArg,
    /// OOAPI with --transport receiver: the receiver's SIS API root.
    #[arg(long)]
    pub receiver_url: Option<String>,
    /// OOAPI with --transport receiver: the Basic-auth user.
    #[arg(long, default_value = "sis")]
    pub receiver_user: String,
    /// OOAPI: the RFC 7662 introspection endpoint of the authorization server (for
    /// `crosswalk ooapi introspect` and `check`).
    #[arg(long)]
    pub introspection_url: Option<String>,
    /// OOAPI: the resource server's own client id at the introspection endpoint.
    #[arg(long)]
    pub introspection_client_id: Option<String>,
    /// OOAPI: read the introspection client secret from this environment variable (else from the
    /// keyring: `crosswalk secret set NAME --field introspection-secret`).
    #[arg(long, value_name = "VAR")]
    pub introspection_secret_env: Option<String>,
    /// OOAPI: our SIS backend, as the enrollment receiver calls it (for `crosswalk ooapi check`).
    #[arg(long)]
    pub sis_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TransportArg {
    Direct,
    Receiver,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCmd {
    /// Add a connection profile.
    Add(Box<ProfileAdd>),
    /// List the profiles.
    List,
    /// Show one profile and whether its secrets are set.
    Show { name: String },
    /// Remove a profile and its secrets.
    Remove { name: String },
    /// Test a profile: get a token and make the cheapest real call.
    Test { name: String },
    /// Write the profiles (no secrets) as JSON to a file or stdout.
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Add the profiles from an export file.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum SecretCmd {
    /// Store a profile's secret in the OS keyring, read from stdin or a hidden prompt (never argv).
    Set {
        name: String,
        #[arg(long, value_enum)]
        field: Option<FieldArg>,
    },
    /// Remove a profile's secret from the OS keyring.
    Clear {
        name: String,
        #[arg(long, value_enum)]
        field: Option<FieldArg>,
    },
}
