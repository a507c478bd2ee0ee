// Generated from the Rust types in crates/core by `make bindings`. Do not edit by hand:
// `cargo test` fails when this file and the Rust types disagree.

export type ErrorPayload = { code: string, message: string, };

export type AppInfo = { version: string, commit: string, build_date: string, 
/**
 * Running against the built-in sandbox with demo connections.
 */
demo: boolean, data_dir: string, log_dir: string, database: string, 
/**
 * The sandbox's address when in demo mode.
 */
sandbox_url: string | null, };

export type BundleSummary = { path: string, files: Array<string>, };

export type ConnectionKind = "openedx" | "openlearning" | "ooapi";

export type TokenType = "jwt" | "bearer";

export type ClientAuth = "basic" | "body";

export type ApiKeyStyle = "header" | "query";

export type OpenEdxSettings = { 
/**
 * The LMS root, e.g. `https://courses.example.edu`.
 */
base_url: string, client_id: string, token_type: TokenType, client_auth: ClientAuth, scopes: Array<string>, 
/**
 * The provider ids to watch, e.g. `saml-ubc`, `oa2-google-oauth2`.
 */
providers: Array<string>, };

export type OpenLearningSettings = { 
/**
 * e.g. `https://api.openlearning.com/v2.1/`
 */
base_url: string, institution_id: string, api_key_style: ApiKeyStyle, 
/**
 * The managed-user lookup, relative to the base URL, with `{institution_id}` and
 * `{external_id}` placeholders. Unset: the observed
 * `institutions/{institution_id}/managed-users/?external_institution_id={external_id}`.
 */
user_lookup_path?: string, };

export type OoapiTransport = "direct" | "receiver";

export type OoapiSettings = { 
/**
 * The partner's schacHome, e.g. `tue.nl`.
 */
schac_home: string, persons_url: string, associations_url: string, token_url: string, client_id: string, scopes: Array<string>, audience: string | null, 
/**
 * For checking tokens on the home side (RFC 7662).
 */
introspection_url: string | null, introspection_client_id: string | null, 
/**
 * How the home institution is reached; unset means [`OoapiTransport::Direct`].
 */
transport?: OoapiTransport, 
/**
 * The enrollment receiver's SIS API root (transport `receiver`), e.g.
 * `https://receiver.example.edu`.
 */
receiver_url?: string, 
/**
 * The receiver's Basic-auth user (usually `sis`); the password is in the keyring.
 */
receiver_user?: string, 
/**
 * A pending association older than this many hours is flagged "stuck" (default 72).
 */
stuck_after_hours?: number, 
/**
 * The CLI reads the introspection client secret from this environment variable (never
 * the value itself: only its name is kept).
 */
introspection_secret_env?: string, 
/**
 * Our own SIS backend, as the enrollment receiver calls it (`POST {offering, person}`),
 * for the endpoint check's SIS answer check.
 */
sis_url?: string, };

export type ProfileSettings = { "kind": "openedx" } & OpenEdxSettings | { "kind": "openlearning" } & OpenLearningSettings | { "kind": "ooapi" } & OoapiSettings;

export type ProxySettings = { "mode": "system" } | { "mode": "none" } | { "mode": "manual", url: string, bypass: string, };

export type NetworkSettings = { proxy: ProxySettings, 
/**
 * A PEM file of extra certificate authorities to trust besides the OS's.
 */
extra_ca_file: string | null, connect_timeout_secs: number, total_timeout_secs: number, };

export type SecretField = "client_secret" | "api_key" | "introspection_secret" | "receiver_password" | "student_token";

export type ProfileDraft = { name: string, settings: ProfileSettings, network: NetworkSettings, 
/**
 * For middleware without a keyring: the environment variable that holds the secret (CLI only).
 */
secret_env: string | null, };

export type Profile = { id: string, name: string, settings: ProfileSettings, network: NetworkSettings, secret_env: string | null, 
/**
 * Points at the built-in sandbox (demo mode); never saved.
 */
demo: boolean, created_at: string, updated_at: string, };

export type SecretSource = "keyring" | "environment" | "demo" | "not_set" | "unknown";

export type SecretStatus = { field: SecretField, label: string, source: SecretSource, };

export type ProfileView = { profile: Profile, secrets: Array<SecretStatus>, };

export type ProfileExport = { 
/**
 * Format marker and version.
 */
crosswalk_profiles: number, profiles: Array<ProfileDraft>, };

export type ImportReport = { imported: Array<string>, 
/**
 * Names that were taken, and the names the imported copies got instead.
 */
renamed: Array<[string, string]>, };

export type JwtClaims = { scopes: Array<string>, filters: Array<string>, is_restricted: boolean | null, exp: number | null, iat: number | null, iss: string | null, preferred_username: string | null, grant_type: string | null, };

export type CheckStep = { name: string, ok: boolean, 
/**
 * What happened, and on failure what to do.
 */
detail: string, };

export type ConnectionCheck = { ok: boolean, summary: string, steps: Array<CheckStep>, 
/**
 * The token's claims when it is a JWT (scopes, filters), for display.
 */
claims: JwtClaims | null, };

export type Outcome = "ok" | "error";

export type Face = "app" | "cli";

export type ActivityEntry = { id: number, 
/**
 * RFC 3339, UTC.
 */
at: string, actor: string, face: Face, action: string, target: string, outcome: Outcome, detail: string, };

export type ActivityQuery = { 
/**
 * Words to find in the action, target, actor or detail.
 */
text: string | null, 
/**
 * Only this action (exact).
 */
action: string | null, outcome: Outcome | null, 
/**
 * Only entries at or after this RFC 3339 instant.
 */
since: string | null, 
/**
 * At most this many entries, newest first (default 500).
 */
limit: number | null, };

export type ActivityList = { entries: Array<ActivityEntry>, 
/**
 * How many entries match in all (the list may be cut at `limit`).
 */
total: number, 
/**
 * Every action name recorded so far, for the filter menu.
 */
actions: Array<string>, };

export type Mapping = { username: string, remote_id: string, };

export type MappingPage = { provider_id: string, page: number, page_size: number, 
/**
 * How many mappings the provider has in all.
 */
count: number, 
/**
 * Known with the current envelope; computed from `count` with the legacy one.
 */
num_pages: number, results: Array<Mapping>, 
/**
 * `current` (`next`/`num_pages`) or `legacy` (`page`/`page_size`) envelope.
 */
envelope: string, fetched_at: string, };

export type LookupMode = "username" | "remote_id" | "auto";

export type MatchedBy = "username" | "remote_id" | "both";

export type Source = "cache" | "live";

export type LookupRequest = { profile_id: string, 
/**
 * One or more provider ids; empty means every watched provider of the profile.
 */
providers: Array<string>, ids: Array<string>, mode: LookupMode, 
/**
 * Ids per request (default 50, at most 50).
 */
chunk_size: number | null, 
/**
 * Requests in flight at once (default 4).
 */
concurrency: number | null, };

export type LookupRow = { username: string, remote_id: string, provider_id: string, matched_by: MatchedBy, source: Source, 
/**
 * When this row was true at the LMS (the fetch, or the mirror's sync), RFC 3339.
 */
as_of: string, };

export type LookupRowInput = { username: string, remote_id: string, provider_id: string, matched_by: string, source: string, as_of: string, };

export type LookupProgress = { done_ids: number, total_ids: number, requests: number, rows: number, elapsed_ms: number, 
/**
 * Estimated time left.
 */
eta_ms: number | null, };

export type NotChecked = { provider_id: string, 
/**
 * Why, in plain words, with what to do (the LMS's refusal explained, a network fault…).
 */
reason: string, 
/**
 * In the order they were given.
 */
ids: Array<string>, };

export type LookupResult = { rows: Array<LookupRow>, 
/**
 * Inputs every provider asked answered for, none with a row: truly not linked there.
 */
not_found: Array<string>, 
/**
 * Inputs a provider could not answer for (refused, failed, cancelled), per provider and
 * reason. An input listed here is never in `not_found`.
 */
not_checked: Array<NotChecked>, 
/**
 * Requests sent to the LMS, retries and failed ones included.
 */
requests: number, 
/**
 * The person cancelled: `rows` holds what arrived before.
 */
cancelled: boolean, 
/**
 * Failures (one line per provider and reason), in plain words.
 */
errors: Array<string>, };

export type IdFile = { file: string, ids: Array<string>, mode: LookupMode | null, };

export type OpenedFile = { "screen": "grades", file: GradeFile, } | { "screen": "learners", ids: IdFile, } | { "screen": "unreadable", path: string, reason: string, };

export type SyncOptions = { 
/**
 * Rows per page (at most 100, the LMS's cap).
 */
page_size: number, 
/**
 * Pages in flight at once when the page count is known.
 */
concurrency: number, };

export type SyncProgress = { pages_done: number, pages_total: number, rows: number, count: number, };

export type SyncRecord = { id: number, profile_id: string, provider_id: string, started_at: string, finished_at: string | null, 
/**
 * `running`, `done`, `failed` or `cancelled`.
 */
status: string, count: number, added: number, removed: number, changed: number, 
/**
 * Drift found, the error, or what was cleaned up.
 */
note: string, };

export type MirrorChange = { 
/**
 * `added`, `removed` or `changed` (remote id changed).
 */
kind: string, username: string, old_remote_id: string | null, new_remote_id: string | null, };

export type MirrorStatus = { provider_id: string, size: number, last_sync: SyncRecord | null, };

export type LearnerLink = { provider_id: string, remote_id: string, 
/**
 * The provider's display name (live answers only).
 */
name: string | null, source: Source, };

export type LearnerLinks = { username: string, links: Array<LearnerLink>, 
/**
 * Why the live answer is missing, if it is (e.g. the client is not privileged).
 */
live_note: string, };

export type Access = "granted" | "not_permitted" | "unknown_provider" | "error";

export type PermissionCell = { provider_id: string, access: Access, status: number | null, detail: string, 
/**
 * For a missing grant: what the LMS operator does, ready to copy.
 */
fix: string | null, 
/**
 * For JWT profiles: whether the token's scopes and filters allow this provider.
 */
token_allows: boolean | null, };

export type PermissionRow = { profile_id: string, profile_name: string, client_id: string, token_type: TokenType, claims: JwtClaims | null, 
/**
 * Why no cell could be probed (e.g. no token), else empty.
 */
problem: string, cells: Array<PermissionCell>, };

export type ReportKind = "course_grades" | "problem_grades" | "custom";

export type ColumnMap = { username: number | null, student_id: number | null, email: number | null, 
/**
 * The grade to export unless the export picks another column.
 */
grade: number | null, enrollment_status: number | null, };

export type GradeFile = { path: string, file_name: string, kind: ReportKind, 
/**
 * `csv` or `xlsx`.
 */
format: string, 
/**
 * `UTF-8`, `UTF-8 with BOM` or `Windows-1252` (XLSX: `XLSX`).
 */
encoding: string, 
/**
 * The delimiter found: `,`, `;`, `tab` or `|`.
 */
delimiter: string, headers: Array<string>, 
/**
 * The columns Crosswalk recognised (for a custom file, its best guess).
 */
columns: ColumnMap, 
/**
 * Columns that hold grades (overall, assignment types, problems' earned points).
 */
grade_columns: Array<number>, 
/**
 * The first rows, as read.
 */
sample: Array<Array<string>>, size_bytes: number, };

export type ReconcileRequest = { path: string, 
/**
 * An Open edX connection.
 */
profile_id: string, provider_id: string, columns: ColumnMap, 
/**
 * Look the usernames missing from the mirror up live (in chunks of 50). Off: mirror only.
 */
live: boolean, };

export type RowStatus = "matched" | "not_linked" | "not_checked" | "ambiguous" | "unenrolled" | "problem";

export type ReconcileProgress = { 
/**
 * `reading` the report, then `looking_up` the usernames missing from the mirror.
 */
phase: string, rows_read: number, ids_done: number, ids_total: number, eta_ms: number | null, };

export type StatusCounts = { rows: number, matched: number, not_linked: number, not_checked: number, ambiguous: number, unenrolled: number, problems: number, };

export type RowProblem = { line: number, message: string, };

export type Reconciliation = { 
/**
 * Its history id (reopen and re-export with it).
 */
id: number, file: GradeFile, request: ReconcileRequest, 
/**
 * SHA-256 of the report, hex.
 */
checksum: string, counts: StatusCounts, 
/**
 * The first problems (all of them go to the error file).
 */
problems: Array<RowProblem>, 
/**
 * Usernames missing from the mirror that were looked up live.
 */
live_looked_up: number, 
/**
 * Live lookups that failed (those rows stay "not linked"), in plain words.
 */
live_errors: Array<string>, 
/**
 * The person cancelled the live lookups: the rows not looked up stay "not linked".
 */
cancelled: boolean, 
/**
 * When the provider mirror was last synced (RFC 3339), if there is one.
 */
mirror_synced_at: string | null, created_at: string, };

export type GradeRow = { line: number, student_id: string, username: string, email: string, grade: string, remote_id: string | null, 
/**
 * For an ambiguous row: every remote id the username is linked to.
 */
candidates: Array<string>, status: RowStatus, 
/**
 * Why, for anything but a match.
 */
message: string, };

export type Association = { id: number, profile_id: string, 
/**
 * The home institution's schacHome.
 */
home: string, 
/**
 * Null while a create's outcome is unknown.
 */
association_id: string | null, person_id: string | null, person_name: string | null, person_email: string | null, offering_id: string | null, offering_code: string | null, offering_name: string | null, offering_start: string | null, offering_end: string | null, role: string | null, 
/**
 * The home side's state.
 */
state: string | null, 
/**
 * Ours (the host's).
 */
remote_state: string | null, result: unknown, 
/**
 * `ok`; `sending` (a create under way); `unknown` (a create whose outcome is unknown: check
 * before sending again); `error` (the last call failed, see `last_error`).
 */
status: string, 
/**
 * Interoperability warnings (a 200 where 201 was due, an id that is not a UUID).
 */
warning: string | null, first_seen: string, 
/**
 * Since when the home state is what it is.
 */
state_since: string, last_checked: string | null, next_check: string | null, last_error: string | null, 
/**
 * The offering's `resultValueType` (`0-100`, `1-10`, `US letter`, `UK letter`,
 * `pass-or-fail`), when known: how a returned score is written.
 */
offering_result_type: string | null, 
/**
 * Pending longer than the connection's "stuck" time.
 */
stuck: boolean, };

export type AssociationEvent = { id: number, at: string, 
/**
 * `home` (the home institution changed it), `host` (we did) or `crosswalk` (a note).
 */
who: string, field: string, from_value: string | null, to_value: string | null, message: string | null, request_id: string | null, };

export type AssociationDetail = { association: Association, events: Array<AssociationEvent>, 
/**
 * The last request sent (method, URL, body; never a header, so never a token).
 */
last_request: string | null, last_answer: string | null, 
/**
 * What the home state means, in plain words.
 */
state_explained: string, 
/**
 * What to do, when something needs doing (stuck, unknown outcome, error).
 */
advice: string | null, };

export type EnrollmentCounts = { total: number, pending: number, queued: number, associated: number, denied: number, canceled: number, finished: number, stuck: number, 
/**
 * The last call failed, or a create's outcome is unknown.
 */
error: number, };

export type AssociationQuery = { profile_id?: string, 
/**
 * A state, or `stuck` / `error`.
 */
filter?: string, 
/**
 * Matches the person's name, email or id, the offering's code or name, or the association id.
 */
text?: string, };

export type AssociationList = { rows: Array<Association>, counts: EnrollmentCounts, };

export type OfferingTemplate = { profile_id: string, offering_id: string, code: string | null, name: string | null, start_date: string | null, end_date: string | null, 
/**
 * `{"offering", "issuer", "role"?}` as [`body::post_body`] takes it.
 */
template: unknown, saved_at: string, 
/**
 * When a create last used it (null: saved, never sent).
 */
last_used: string | null, };

export type StudentToken = { profile_id: string, person_id: string, name: string | null, email: string | null, 
/**
 * From the token's `exp` when it is a JWT; null when the token does not say.
 */
expires_at: string | null, pasted_at: string, };

export type CreateRequest = { profile_id: string, person_id: string, 
/**
 * The offering template (see [`body::post_body`]).
 */
offering: unknown, 
/**
 * `associated` (default), `pending` or `queued`.
 */
remote_state?: string, person_name?: string, person_email?: string, };

export type CreateOutcome = { association: Association, 
/**
 * The home side's `message`.
 */
message: string | null, };

export type PollProgress = { done: number, total: number, changed: number, failed: number, };

export type StateChange = { id: number, student: string, offering: string, field: string, from_value: string | null, to_value: string | null, };

export type PollFailure = { id: number, association_id: string, reason: string, };

export type PollReport = { checked: number, changes: Array<StateChange>, failed: Array<PollFailure>, 
/**
 * Requests sent (retries included).
 */
requests: number, cancelled: boolean, };

export type AssociationImport = { added: number, already_known: number, file: string, };

export type ResultSettings = { 
/**
 * `0-100`, `1-10`, `US letter`, `UK letter` or `pass-or-fail`.
 */
result_value_type: string | null, 
/**
 * The lowest Open edX grade (0–1) that passes; 0.5 when not given.
 */
pass_threshold: number | null, 
/**
 * The course's study load (e.g. 5) and its unit (`ects` when not given).
 */
study_load: number | null, study_load_unit: string | null, 
/**
 * `resultDate` (YYYY-MM-DD); today when not given.
 */
result_date: string | null, 
/**
 * `result.state`; `completed` when not given.
 */
state: string | null, comment: string | null, 
/**
 * Sent as `ext.responsibleTeachers [{displayName}]` (EuroTeQ).
 */
teachers: Array<string>, 
/**
 * Letter cutoffs for the letter scales, as people write them: `A=0.9, B=0.8, C=0.7, D=0.6,
 * F=0` (read by [`parse_letters`]); the scale's defaults when not given.
 */
letters: string | null, };

export type ResultSource = { "kind": "reconciliation", id: number, } | { "kind": "file", path: string, };

export type ResultsRequest = { source: ResultSource, 
/**
 * Only associations of this OOAPI connection (all when not given).
 */
profile_id: string | null, 
/**
 * Only associations of this offering (its code or id): needed when a student has several.
 */
offering: string | null, settings: ResultSettings, 
/**
 * Select rows whose result was already sent, to send it again.
 */
resend: boolean, };

export type ResultRowStatus = "ready" | "already_sent" | "not_associated" | "incomplete" | "unmatched" | "ambiguous";

export type ResultRow = { 
/**
 * The row's line in the source (1 is the header).
 */
line: number, 
/**
 * Who the row names, as the source has it (username, email, personId or association id).
 */
source: string, grade: string | null, status: ResultRowStatus, 
/**
 * The rule that matched: `association id`, `email`, `personId` or `username → remote id`.
 */
rule: string | null, 
/**
 * The association's ledger id.
 */
association: number | null, association_id: string | null, student: string | null, home: string | null, offering: string | null, 
/**
 * The home side's state of the association.
 */
state: string | null, result_value_type: string | null, 
/**
 * The score as it would be sent, and `pass`.
 */
score: string | null, pass: string | null, 
/**
 * The result already sent, in words ("72, passed on 2027-02-01").
 */
previous: string | null, warnings: Array<string>, 
/**
 * For an ambiguous row: what it matched.
 */
candidates: Array<string>, 
/**
 * Sent unless deselected.
 */
selected: boolean, 
/**
 * The PATCH body (`{"result": …}`).
 */
body: unknown, };

export type OfferingResultSettings = { offering: string, settings: ResultSettings, 
/**
 * Where the value type came from: `given`, `last used`, `offering` or `unknown`.
 */
value_type_from: string, 
/**
 * "0.895 → 90" style lines: how Open edX's 0–1 grade becomes a score.
 */
conversion: Array<string>, };

export type ResultCounts = { rows: number, ready: number, already_sent: number, not_associated: number, incomplete: number, unmatched: number, ambiguous: number, selected: number, };

export type MatchedOffering = { 
/**
 * Its code (else its id): what `offering` takes.
 */
offering: string, name: string, rows: number, };

export type ResultsPreview = { 
/**
 * The source in words ("Reconciliation 4: grades.csv").
 */
source: string, rows: Array<ResultRow>, counts: ResultCounts, offerings: Array<OfferingResultSettings>, 
/**
 * Offerings the rows matched (most rows first).
 */
matched_offerings: Array<MatchedOffering>, };

export type SendOutcome = "sent" | "refused" | "failed" | "skipped";

export type SentRow = { line: number, association: number | null, student: string | null, score: string | null, outcome: SendOutcome, message: string, };

export type ResultsSent = { rows: Array<SentRow>, sent: number, refused: number, failed: number, skipped: number, cancelled: boolean, };

export type Verdict = "pass" | "info" | "skipped" | "warn" | "fail";

export type Endpoint = "token" | "persons_me" | "create_association" | "get_association" | "patch_association" | "sis";

export type CheckItem = { 
/**
 * Stable key of the check (`auth.no_token`), the same for every endpoint and every run.
 */
check: string, endpoint: Endpoint, 
/**
 * What was checked, in words.
 */
title: string, verdict: Verdict, 
/**
 * What was found.
 */
detail: string, 
/**
 * What to do about it (for warnings and failures).
 */
hint: string | null, 
/**
 * Places where the v5 specification is wrong and the check was relaxed: "spec defect, not
 * your bug".
 */
spec_defects: Array<string>, latency_ms: number | null, 
/**
 * The request and the answer (cut, tokens blanked out), when one was made.
 */
exchange: string | null, };

export type TokenFacts = { 
/**
 * Where the token came from ("pasted", "client credentials of …").
 */
source: string, active: boolean | null, expires_at: string | null, expires_in_secs: number | null, scopes: Array<string>, required_scopes: Array<string>, missing_scopes: Array<string>, email: string | null, client_id: string | null, audience: Array<string>, };

export type TokenReport = { facts: TokenFacts | null, items: Array<CheckItem>, };

export type DiffRow = { check: string, endpoint: Endpoint, title: string, before: Verdict | null, after: Verdict | null, };

export type VerdictCounts = { pass: number, info: number, skipped: number, warn: number, fail: number, };

export type CheckReport = { profile_id: string, profile_name: string, schac_home: string, persons_url: string, associations_url: string, sis_url: string | null, started_at: string, finished_at: string, token: TokenFacts | null, items: Array<CheckItem>, counts: VerdictCounts, 
/**
 * How the home side writes problems, as found: "v5 (status a string)", "v6 (status an
 * integer)", or none seen.
 */
problem_dialect: string | null, 
/**
 * Associations the check created, and whether each was canceled again.
 */
created: Array<string>, 
/**
 * Changes since the previous run (empty for a first run).
 */
diff: Array<DiffRow>, 
/**
 * When the previous run was, when there was one.
 */
previous_run_at: string | null, };

export type CheckToken = { "kind": "pasted", token: string, } | { "kind": "connection", profile_id: string, } | { "kind": "demo_student" };

export type CheckInput = { profile_id: string, token: CheckToken, no_scope_token?: string, sis_url?: string, };

export type ResultsProgress = { done: number, total: number, };

export type JobKind = "mirror_sync" | "enrollments_poll";

export type Job = { kind: JobKind, profile_id: string, every_minutes: number, enabled: boolean, next_run_at: string, last_run_at: string | null, 
/**
 * `ok`, `partly` or `failed`.
 */
last_outcome: string | null, last_detail: string | null, 
/**
 * When a process is running it now (app or cli), since when.
 */
running_since: string | null, };

export type JobEvent = { kind: JobKind, profile_id: string, 
/**
 * `started` or `finished`.
 */
phase: string, 
/**
 * For `finished`: `ok`, `partly` or `failed`.
 */
outcome: string | null, detail: string, };

export type JobRun = { kind: JobKind, profile_id: string, profile_name: string, outcome: string, detail: string, };

export type GradeRowPage = { rows: Array<GradeRow>, 
/**
 * Rows with the status asked for (all rows when none).
 */
total: number, };

export type Template = "generic" | "canvas" | "moodle" | "brightspace" | "custom";

export type OutputFormat = "csv" | "xlsx";

export type Scale = { "kind": "as_is" } | { "kind": "percent" } | { "kind": "points", max: number, };

export type NotAttempted = "zero" | "blank" | "skip";

export type LetterBand = { min_percent: number, label: string, };

export type ColumnSource = { "kind": "remote_id" } | { "kind": "username" } | { "kind": "email" } | { "kind": "student_id" } | { "kind": "grade" } | { "kind": "column", index: number, } | { "kind": "text", value: string, };

export type CustomColumn = { header: string, source: ColumnSource, };

export type ExportOptions = { template: Template, format: OutputFormat, 
/**
 * CSV only: start with a byte-order mark so Excel reads UTF-8.
 */
bom: boolean, 
/**
 * The grade column to export; `None` = the mapped grade column.
 */
grade_column: number | null, 
/**
 * The assignment / grade item name the receiving side shows (Canvas, Moodle, Brightspace).
 */
item_name: string, scale: Scale, 
/**
 * Decimal places (0–4).
 */
decimals: number, 
/**
 * Non-empty: write a letter (or Pass/Fail) from these bands instead of a number.
 */
letters: Array<LetterBand>, not_attempted: NotAttempted, 
/**
 * Also export rows whose enrollment status is `unenrolled` (when they match).
 */
include_unenrolled: boolean, 
/**
 * The columns of a custom export.
 */
columns: Array<CustomColumn>, };

export type ExportPreview = { header: Array<string>, rows: Array<Array<string>>, rows_to_write: number, 
/**
 * Rows left out on purpose (unenrolled, `Not Attempted` when skipped).
 */
skipped: number, 
/**
 * Rows that go to the error file.
 */
errors: number, };

export type ExportResult = { out_path: string, 
/**
 * Written when some rows could not be exported.
 */
errors_path: string | null, rows_written: number, errors_written: number, skipped: number, };

export type ReconciliationRecord = { id: number, created_at: string, file_name: string, file_path: string, checksum: string, kind: ReportKind, profile_id: string, provider_id: string, counts: StatusCounts, template: Template | null, export_path: string | null, errors_path: string | null, exported_at: string | null, };

export type UserRef = { "by": "user_id", "id": string } | { "by": "external_id", "id": string };

export type LaunchRequest = { 
/**
 * An OpenLearning connection.
 */
profile_id: string, user: UserRef, 
/**
 * Enrol into this class on launch.
 */
class_id: string | null, 
/**
 * The external system's id for a class delivery; wins over `class_id`.
 */
context_id: string | null, email: string | null, full_name: string | null, };

export type OpenLearningUser = { user_id: string, external_id: string | null, full_name: string | null, email: string | null, };

export type KnownUser = { external_id: string, user_id: string, full_name: string | null, email: string | null, found_at: string, };

export type ShownParam = { name: string, 
/**
 * The value, or `••••••` for a signature or nonce.
 */
value: string, masked: boolean, };

export type LaunchSummary = { user_id: string, class_id: string | null, context_id: string | null, 
/**
 * Where the form posts.
 */
action: string, method: string, params: Array<ShownParam>, 
/**
 * Things worth saying, e.g. that the context id won over the class id.
 */
notes: Array<string>, 
/**
 * When an "Open in browser" page stops answering (RFC 3339).
 */
expires_at: string | null, };

export type RosterRow = { line: number, external_id: string, class_id: string | null, context_id: string | null, email: string | null, full_name: string | null, };

export type Roster = { file_name: string, rows: Array<RosterRow>, problems: Array<RowProblem>, };
