// Everything the mocked back end answers in the browser tests, in one place. The demo connections
// mirror what the desktop app registers in demo mode (src-tauri/src/demo.rs).
import type {
  ActivityEntry,
  AppInfo,
  ConnectionCheck,
  ErrorPayload,
  IdFile,
  Mapping,
  MirrorChange,
  LearnerLinks,
  LookupResult,
  NetworkSettings,
  PermissionCell,
  ProfileView,
} from '../../src/bindings';

/** The core's answers to lookups, canned per spec (lookupFixtures.ts builds them). */
export interface LookupAnswers {
  /** What lookup_cached answers (the local mirrors). */
  cached: LookupResult;
  /** What lookup_live answers when it runs to the end. */
  live: LookupResult;
  /** What lookup_live answers when the page cancels it first; null when a spec never cancels. */
  cancelled: LookupResult | null;
  /** lookup_live's progress: `rounds` frames (one per `liveRoundMs`) up to `total` ids. */
  progress: { rounds: number; total: number };
}

/** An activity entry whose time is given relative to when the page loads. */
export type ActivityFixture = Omit<ActivityEntry, 'at'> & { minutesAgo: number };

export interface MockConfig {
  appInfo: AppInfo;
  connections: ProfileView[];
  /** How many mappings each provider has. */
  mappingCounts: Record<string, number>;
  /** Providers a connection's client may not read: browse_mappings answers with `deniedError`. */
  denied: Record<string, string[]>;
  deniedError: ErrorPayload;
  activity: ActivityFixture[];
  /** The ids of the entries list_activity answers per filter (`text|action|outcome|since`); no filter: all. */
  activityAnswers: Record<string, number[]>;
  /** Make a command reject its first `times` calls with `error` (an ErrorPayload, or anything else). */
  failures: Record<string, { times: number; error: ErrorPayload | string }>;
  /** What test_connection answers per connection id (others are tested against the real core). */
  checks: Record<string, ConnectionCheck>;
  /** What export_connections answers: the path written, or null as if the save dialog was closed. */
  exportPath: string | null;
  /** How long every command takes to answer, in milliseconds. */
  latencyMs: number;
  /**
   * What each provider's local mirror holds when the page loads (the same for every connection that
   * may read the provider): its first `size` learners, synced `hoursAgo`; null when never synced.
   */
  mirrors: Record<string, { size: number; hoursAgo: number } | null>;
  /** What lookup_cached and lookup_live answer, whatever the request. */
  lookup: LookupAnswers;
  /** How long each of lookup_live's progress rounds takes. */
  liveRoundMs: number;
  /** What learner_links answers, per connection id. */
  learnerLinks: Record<string, LearnerLinks>;
  /** How long sync_provider takes per page of 100 learners. */
  syncPageMs: number;
  /** What a sync_provider that runs to the end finds: the core's comparison of the two copies, canned. */
  syncOutcome: { count: number; added: number; removed: number; changed: number; changes: MirrorChange[] };
  /** What check_permissions finds per connection and watched provider (others are not mocked). */
  permissionCells: Record<string, Record<string, PermissionCell>>;
  /** What search_mirror answers, by `<provider id>:<text>` (others are not mocked). */
  mirrorSearch: Record<string, Mapping[]>;
  /** What import_ids reads, or null as if the open dialog was closed. */
  idFile: IdFile | null;
  /** Where export_lookup writes (its extension follows the format), or null as if the dialog was closed. */
  lookupExportPath: string | null;
  /** Freeze Object.prototype before the app starts, as Tauri does with `freezePrototype`. */
  freezePrototype: boolean;
}

export const SANDBOX_URL = 'http://127.0.0.1:47801';

export const appInfo: AppInfo = {
  version: '0.1.0',
  commit: '0123456789',
  build_date: '2026-12-05',
  demo: true,
  data_dir: '/home/staff/.local/share/crosswalk',
  log_dir: '/home/staff/.local/share/crosswalk/logs',
  database: '/home/staff/.local/share/crosswalk/crosswalk.sqlite3',
  sandbox_url: SANDBOX_URL,
};

const defaultNetwork: NetworkSettings = {
  proxy: { mode: 'system' },
  extra_ca_file: null,
  connect_timeout_secs: 10,
  total_timeout_secs: 60,
};

export const demoProviders = ['saml-demo-univ', 'saml-partner', 'oa2-google-oauth2', 'saml-very-long-provider-name'];

function demoConnection(id: string, name: string, clientId: string): ProfileView {
  return {
    profile: {
      id,
      name,
      settings: {
        kind: 'openedx',
        base_url: `${SANDBOX_URL}/openedx`,
        client_id: clientId,
        token_type: 'jwt',
        client_auth: 'basic',
        scopes: [],
        providers: demoProviders,
      },
      network: defaultNetwork,
      secret_env: null,
      demo: true,
      created_at: '',
      updated_at: '',
    },
    secrets: [{ field: 'client_secret', label: 'client secret', source: 'demo' }],
  };
}

export const connections: ProfileView[] = [
  demoConnection('demo-staff', 'Demo LMS (staff application)', 'demo-staff-client'),
  demoConnection('demo-restricted', 'Demo LMS (restricted application)', 'demo-restricted-client'),
];

/** One connection of every kind, as a non-demo installation might have them. */
export const everyKind: ProfileView[] = [
  connections[0]!,
  {
    profile: {
      id: 'openlearning',
      name: 'OpenLearning',
      settings: {
        kind: 'openlearning',
        base_url: 'https://api.openlearning.example/v2.1/',
        institution_id: 'inst-4711',
        api_key_style: 'header',
      },
      network: { ...defaultNetwork, proxy: { mode: 'manual', url: 'http://proxy.example.edu:3128', bypass: '' } },
      secret_env: null,
      demo: false,
      created_at: '2025-03-01T10:00:00Z',
      updated_at: '2025-03-01T10:00:00Z',
    },
    secrets: [{ field: 'api_key', label: 'API key', source: 'keyring' }],
  },
  {
    profile: {
      id: 'partner',
      name: 'Partner university',
      settings: {
        kind: 'ooapi',
        schac_home: 'partner.example.nl',
        persons_url: 'https://ooapi.partner.example.nl/persons',
        associations_url: 'https://ooapi.partner.example.nl/associations',
        token_url: 'https://auth.partner.example.nl/oauth2/token',
        client_id: 'crosswalk-ooapi',
        scopes: ['associations'],
        audience: null,
        introspection_url: null,
        introspection_client_id: null,
      },
      network: defaultNetwork,
      secret_env: 'PARTNER_CLIENT_SECRET',
      demo: false,
      created_at: '2025-03-02T10:00:00Z',
      updated_at: '2025-03-02T10:00:00Z',
    },
    secrets: [{ field: 'client_secret', label: 'client secret', source: 'not_set' }],
  },
];

export const mappingCounts: Record<string, number> = {
  'saml-demo-univ': 3003,
  'saml-partner': 42,
  'oa2-google-oauth2': 310,
  'saml-very-long-provider-name': 12,
};

/** The username the mock gives the mapping at zero-based position `index`. */
export function usernameAt(index: number): string {
  return `learner${String(index + 1).padStart(4, '0')}`;
}

export const deniedError: ErrorPayload = {
  code: 'remote',
  message:
    'Open edX refused to list the learners of this provider (403): the API client is not allowed to read it. Ask the Open edX administrators to add the provider to the application’s access filters.',
};

export const activity: ActivityFixture[] = [
  { id: 12, minutesAgo: 2, actor: 'jsmith', face: 'app', action: 'browse_mappings', target: 'Demo LMS (staff application) / saml-demo-univ', outcome: 'ok', detail: 'Page 1 of 31 (100 learners)' },
  { id: 11, minutesAgo: 3, actor: 'jsmith', face: 'app', action: 'fetch_token', target: 'Demo LMS (staff application)', outcome: 'ok', detail: 'JWT access token, valid for 1 hour' },
  { id: 10, minutesAgo: 20, actor: 'jsmith', face: 'app', action: 'browse_mappings', target: 'Demo LMS (restricted application) / saml-partner', outcome: 'error', detail: 'Open edX refused to list the learners of this provider (403)' },
  { id: 9, minutesAgo: 95, actor: 'batch', face: 'cli', action: 'fetch_token', target: 'Demo LMS (staff application)', outcome: 'error', detail: 'The client secret was refused (401). Check the secret in the keyring.' },
  { id: 8, minutesAgo: 130, actor: 'batch', face: 'cli', action: 'browse_mappings', target: 'Demo LMS (staff application) / saml-demo-univ', outcome: 'ok', detail: 'Page 2 of 31 (100 learners)' },
  { id: 7, minutesAgo: 60 * 5, actor: 'mlee', face: 'app', action: 'open_logs_folder', target: 'logs', outcome: 'ok', detail: 'Opened the logs folder' },
  { id: 6, minutesAgo: 60 * 30, actor: 'mlee', face: 'app', action: 'fetch_token', target: 'Demo LMS (staff application)', outcome: 'ok', detail: 'JWT access token, valid for 1 hour' },
  { id: 5, minutesAgo: 60 * 24 * 3, actor: 'batch', face: 'cli', action: 'browse_mappings', target: 'Demo LMS (staff application) / saml-demo-univ', outcome: 'ok', detail: 'Page 1 of 31 (100 learners)' },
  { id: 4, minutesAgo: 60 * 24 * 6, actor: 'jsmith', face: 'app', action: 'fetch_token', target: 'Demo LMS (staff application)', outcome: 'error', detail: 'Could not reach the server: connection refused. Check the address in Connections.' },
  { id: 3, minutesAgo: 60 * 24 * 10, actor: 'jsmith', face: 'app', action: 'browse_mappings', target: 'Demo LMS (staff application) / saml-demo-univ', outcome: 'ok', detail: 'Page 1 of 31 (100 learners)' },
  { id: 2, minutesAgo: 60 * 24 * 20, actor: 'batch', face: 'cli', action: 'fetch_token', target: 'Demo LMS (staff application)', outcome: 'ok', detail: 'JWT access token, valid for 1 hour' },
  { id: 1, minutesAgo: 60 * 24 * 40, actor: 'admin', face: 'cli', action: 'migrate_database', target: 'crosswalk.sqlite3', outcome: 'ok', detail: 'Database created at version 1' },
];

export const browseFailure: ErrorPayload = {
  code: 'unreachable',
  message:
    'Could not reach Open edX at the demo sandbox (connection refused). Check that the address in Connections is right and that you are online, then press Retry.',
};

/** The staff demo application: an unrestricted JWT, and the first provider can be read. */
export const staffCheck: ConnectionCheck = {
  ok: true,
  summary: '"Demo LMS (staff application)" works.',
  steps: [
    { name: 'Token', ok: true, detail: 'The LMS issued a JWT token, valid until 14:41 UTC.' },
    { name: 'Mapping API', ok: true, detail: 'Provider "saml-demo-univ" can be read: 3003 learners linked.' },
  ],
  claims: {
    scopes: ['read', 'write'],
    filters: [],
    is_restricted: false,
    exp: 1741963267,
    iat: 1741959667,
    iss: `${SANDBOX_URL}/openedx/oauth2`,
    preferred_username: 'demo-staff-service',
    grant_type: 'client-credentials',
  },
};

export const restrictedDenial =
  'Open edX refused to list the learners of "saml-demo-univ" (403): the application is restricted and its token has no filter tpa_provider:saml-demo-univ. Ask the Open edX administrators to add that filter to the application.';

/** The restricted demo application, as if its filters did not include the first provider. */
export const restrictedCheck: ConnectionCheck = {
  ok: false,
  summary: `"Demo LMS (restricted application)" does not work yet: ${restrictedDenial}`,
  steps: [
    { name: 'Token', ok: true, detail: 'The LMS issued a JWT token, valid until 14:41 UTC.' },
    {
      name: 'Mapping API',
      ok: false,
      detail: `${restrictedDenial} The token's scopes are [read, write, tpa:read] and its filters [tpa_provider:oa2-google-oauth2].`,
    },
  ],
  claims: {
    scopes: ['read', 'write', 'tpa:read'],
    filters: ['tpa_provider:oa2-google-oauth2'],
    is_restricted: true,
    exp: 1741963267,
    iat: 1741959667,
    iss: `${SANDBOX_URL}/openedx/oauth2`,
    preferred_username: 'demo-restricted-service',
    grant_type: 'client-credentials',
  },
};

export const EXPORT_PATH = '/home/staff/Documents/crosswalk-connections.json';

/** How the mock's live answer and mirror name a provider's learner at zero-based position `index`. */
export function remoteIdAt(provider: string, index: number): string {
  return `${provider.replace('saml-', '')}-${String(2_000_000 + index * 7)}`;
}

/** The mirror holds an older remote ID for this learner, so a live lookup shows the change. */
export const DRIFTED_USERNAME = usernameAt(1);
export function driftedRemoteId(provider: string): string {
  return `${provider.replace('saml-', '')}-old-${String(2_000_000 + 7)}`;
}

export const mirrors: MockConfig['mirrors'] = {
  'saml-demo-univ': { size: 3000, hoursAgo: 3 },
  'saml-partner': { size: 42, hoursAgo: 26 },
  'oa2-google-oauth2': null,
  'saml-very-long-provider-name': null,
};

export const unreachable: ErrorPayload = {
  code: 'unreachable',
  message: 'Could not reach Open edX at the demo sandbox (connection refused). Check that you are online, then try again.',
};

/**
 * A sync of saml-demo-univ (3,003 learners at the LMS) against its mirror of 3,000: the three new
 * learners, and the one whose remote ID changed since (the mirror holds an older one).
 */
export const syncOutcome: MockConfig['syncOutcome'] = {
  count: 3003,
  added: 3,
  removed: 0,
  changed: 1,
  changes: [
    { kind: 'changed', username: usernameAt(1), old_remote_id: driftedRemoteId('saml-demo-univ'), new_remote_id: remoteIdAt('saml-demo-univ', 1) },
    ...[3000, 3001, 3002].map((i): MirrorChange => ({
      kind: 'added',
      username: usernameAt(i),
      old_remote_id: null,
      new_remote_id: remoteIdAt('saml-demo-univ', i),
    })),
  ],
};

export const idFile: IdFile = {
  file: '/home/staff/Documents/exam-students.xlsx',
  ids: ['demo-univ-2000000', 'demo-univ-2000007', 'demo-univ-9999999'],
  mode: 'remote_id',
};

export const LOOKUP_EXPORT_PATH = '/home/staff/Documents/crosswalk-learners.csv';

/** A saved (not demo) Open edX connection, whose watched providers can be changed. */
function granted(provider: string, tokenAllows: boolean | null): PermissionCell {
  return { provider_id: provider, access: 'granted', status: 200, detail: `${mappingCounts[provider] ?? 0} learners linked`, fix: null, token_allows: tokenAllows };
}

/** What the core tells the LMS operator to do for `client` and `provider` (its words, shortened). */
function refusedCell(client: string, provider: string): PermissionCell {
  const long =
    provider.length > 19
      ? `Note: "${provider}" is ${provider.length} characters long. A filter is stored in at most 32 characters and "tpa_provider:" takes 13, so only provider ids of up to 19 characters can be granted this way.\n\n`
      : '';
  return {
    provider_id: provider,
    access: 'not_permitted',
    status: 403,
    detail: deniedError.message,
    fix: `${long}On the LMS server (as the Open edX operator):\n1. If the application does not exist yet, create it:\n   ./manage.py lms create_dot_application ${client} <service-username> --grant-type client-credentials --scopes tpa:read\n2. In Django admin → OAuth Dispatch → Application access, give the application the scope "tpa:read" and add the filter:\n   tpa_provider:${provider}\n`,
    token_allows: false,
  };
}

/**
 * The permission matrix's cells, as the LMS answered: the staff application reads every provider;
 * the restricted one is refused two (its token's one filter names oa2-google-oauth2); the saved
 * Faculty LMS reads the three it may come to watch.
 */
export const permissionCells: MockConfig['permissionCells'] = {
  'demo-staff': Object.fromEntries(Object.keys(mappingCounts).map((p) => [p, granted(p, null)])),
  'demo-restricted': {
    'saml-demo-univ': granted('saml-demo-univ', false),
    'saml-partner': refusedCell('demo-restricted-client', 'saml-partner'),
    'oa2-google-oauth2': granted('oa2-google-oauth2', true),
    'saml-very-long-provider-name': refusedCell('demo-restricted-client', 'saml-very-long-provider-name'),
  },
  'faculty-lms': Object.fromEntries(['saml-demo-univ', 'saml-partner', 'oa2-google-oauth2'].map((p) => [p, granted(p, null)])),
};

export const savedLms: ProfileView = {
  profile: {
    id: 'faculty-lms',
    name: 'Faculty LMS',
    settings: {
      kind: 'openedx',
      base_url: 'https://faculty.example.edu',
      client_id: 'crosswalk-faculty',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: ['saml-demo-univ'],
    },
    network: defaultNetwork,
    secret_env: null,
    demo: false,
    created_at: '2025-03-01T10:00:00Z',
    updated_at: '2025-03-01T10:00:00Z',
  },
  secrets: [{ field: 'client_secret', label: 'client secret', source: 'keyring' }],
};

export const defaultMockConfig: MockConfig = {
  appInfo,
  connections,
  mappingCounts,
  denied: { 'demo-restricted': ['saml-partner', 'saml-very-long-provider-name'] },
  deniedError,
  activity,
  activityAnswers: {
    'token|||': [11, 9, 6, 4, 2],
    '|fetch_token||': [11, 9, 6, 4, 2],
    '|fetch_token|error|': [9, 4],
    '|fetch_token|error|since': [],
  },
  failures: {},
  checks: { 'demo-staff': staffCheck, 'demo-restricted': restrictedCheck },
  exportPath: EXPORT_PATH,
  latencyMs: 30,
  mirrors,
  lookup: { cached: { rows: [], not_found: [], not_checked: [], requests: 0, cancelled: false, errors: [] }, live: { rows: [], not_found: [], not_checked: [], requests: 0, cancelled: false, errors: [] }, cancelled: null, progress: { rounds: 1, total: 1 } },
  liveRoundMs: 40,
  learnerLinks: {},
  syncPageMs: 15,
  syncOutcome,
  mirrorSearch: {},
  permissionCells,
  idFile,
  lookupExportPath: LOOKUP_EXPORT_PATH,
  freezePrototype: true,
};
