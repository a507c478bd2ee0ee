// What the mocked back end knows about OpenLearning for the Launch screen's browser tests. The
// launch part of mockBackend.ts answers from these only when a spec passes them with `withLaunch`;
// every other spec sees no OpenLearning connection at all.
import type { KnownUser, OpenLearningUser, ProfileView, Roster } from '../../src/bindings';
import { connections, defaultMockConfig, SANDBOX_URL, type MockConfig } from './fixtures';

export interface LaunchMock {
  /** Added to the mock's connections. */
  connections: ProfileView[];
  /** The institution's managed users, as OpenLearning would find them by external id. */
  users: (OpenLearningUser & { external_id: string })[];
  /** Learners found before (openlearning_known_users), newest first. */
  known: KnownUser[];
  /**
   * What the mock signs launches with. Like the Rust back end, the mock keeps each signed launch
   * to itself and answers the page with the signature masked: this must never reach the page.
   */
  signingSecret: string;
  /** Where a launch's form posts. */
  launchUrl: string;
  /** How long an "Open in browser" page waits for its one GET. */
  ttlSeconds: number;
  /** What launch_import_roster reads, or null as if the open dialog was closed. */
  roster: Roster | null;
  /** Where launch_save_html writes, or null as if the save dialog was closed. */
  savePath: string | null;
}

/** The demo OpenLearning connection, as the desktop app registers it in demo mode. */
export const demoOpenLearning: ProfileView = {
  profile: {
    id: 'demo-openlearning',
    name: 'Demo OpenLearning',
    settings: {
      kind: 'openlearning',
      base_url: `${SANDBOX_URL}/openlearning/v2.1/`,
      institution_id: 'demo-institution',
      api_key_style: 'header',
    },
    network: connections[0]!.profile.network,
    secret_env: null,
    demo: true,
    created_at: '',
    updated_at: '',
  },
  secrets: [{ field: 'api_key', label: 'API key', source: 'demo' }],
};

export const ADA = {
  user_id: '50123',
  external_id: 's1234567',
  full_name: 'Ada Lovelace',
  email: 'ada.lovelace@student.example.edu',
};
export const ALAN = { user_id: '50124', external_id: 's7654321', full_name: 'Alan Turing', email: null };
export const GRACE = {
  user_id: '50125',
  external_id: 's2468024',
  full_name: 'Grace Hopper',
  email: 'grace.hopper@student.example.edu',
};

/** An external id no managed user of the demo institution has. */
export const STRANGER = 's0000000';

export const SIGNING_SECRET = 'sig-SECRET-d41d8cd98f00b204e9800998ecf8427e';

export const ROSTER_FILE = 'bio101-week1.csv';

export const roster: Roster = {
  file_name: ROSTER_FILE,
  rows: [
    { line: 2, external_id: ADA.external_id, class_id: 'class-101', context_id: null, email: ADA.email, full_name: ADA.full_name },
    { line: 3, external_id: ALAN.external_id, class_id: 'class-101', context_id: 'BIO101-2025-S1', email: null, full_name: null },
    { line: 5, external_id: STRANGER, class_id: 'class-101', context_id: null, email: null, full_name: 'Nobody Known' },
    { line: 6, external_id: GRACE.external_id, class_id: null, context_id: 'BIO101-2025-S1', email: GRACE.email, full_name: GRACE.full_name },
  ],
  problems: [{ line: 4, message: 'Line 4 has no external id' }],
};

export const SAVE_PATH = '/home/staff/Documents/openlearning-launch.html';

export const defaultLaunchMock: LaunchMock = {
  connections: [demoOpenLearning],
  users: [ADA, ALAN, GRACE],
  known: [
    {
      ...ALAN,
      found_at: new Date(Date.now() - 2 * 24 * 3_600_000).toISOString(),
    },
  ],
  signingSecret: SIGNING_SECRET,
  launchUrl: 'https://www.openlearning.example/lti/launch/',
  ttlSeconds: 60,
  roster,
  savePath: SAVE_PATH,
};

/** The mock's configuration with the launch fixtures in it (and the demo OpenLearning connection). */
export function withLaunch(launch: Partial<LaunchMock> = {}, overrides: Partial<MockConfig> = {}): Partial<MockConfig> {
  const config: Partial<MockConfig> & { launch: LaunchMock } = {
    ...overrides,
    connections: overrides.connections ?? defaultMockConfig.connections,
    launch: { ...defaultLaunchMock, ...launch },
  };
  return config;
}
