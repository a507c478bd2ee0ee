// Generated from the Rust types in crates/core by `make bindings`. Do not edit by hand:
// `cargo test` fails when this file and the Rust types disagree.

export type ErrorPayload = { code: string, message: string, };

export type AppInfo = { version: string, 
/**
 * Running against the built-in sandbox with demo connections.
 */
demo: boolean, data_dir: string, log_dir: string, database: string, 
/**
 * The sandbox's address when in demo mode.
 */
sandbox_url: string | null, };

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
base_url: string, institution_id: string, api_key_style: ApiKeyStyle, };

export type OoapiSettings = { 
/**
 * The partner's schacHome, e.g. `tue.nl`.
 */
schac_home: string, persons_url: string, associations_url: string, token_url: string, client_id: string, scopes: Array<string>, audience: string | null, 
/**
 * For checking tokens on the home side (RFC 7662).
 */
introspection_url: string | null, introspection_client_id: string | null, };

export type ProfileSettings = { "kind": "openedx" } & OpenEdxSettings | { "kind": "openlearning" } & OpenLearningSettings | { "kind": "ooapi" } & OoapiSettings;

export type ProxySettings = { "mode": "system" } | { "mode": "none" } | { "mode": "manual", url: string, bypass: string, };

export type NetworkSettings = { proxy: ProxySettings, 
/**
 * A PEM file of extra certificate authorities to trust besides the OS's.
 */
extra_ca_file: string | null, connect_timeout_secs: number, total_timeout_secs: number, };

export type SecretField = "client_secret" | "api_key" | "introspection_secret";

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

export type SecretSource = "keyring" | "environment" | "demo" | "not_set";

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

export type LookupResult = { rows: Array<LookupRow>, 
/**
 * Inputs no row answered (on every provider asked).
 */
not_found: Array<string>, requests: number, 
/**
 * The person cancelled: `rows` holds what arrived before.
 */
cancelled: boolean, 
/**
 * Chunks that failed (the rest are kept), in plain words.
 */
errors: Array<string>, };

export type IdFile = { file: string, ids: Array<string>, mode: LookupMode | null, };

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
