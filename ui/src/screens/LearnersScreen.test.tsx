import type { Channel } from '@tauri-apps/api/core';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  LookupProgress,
  LookupRow,
  MappingPage,
  MirrorStatus,
  PermissionRow,
  ProfileView,
  Source,
} from '../bindings';
import type { BrowseMappingsArgs } from '../lib/backend';
import { renderWithProviders } from '../test/render';
import LearnersScreen from './LearnersScreen';

const connection: ProfileView = {
  profile: {
    id: 'demo-staff',
    name: 'Demo LMS (staff application)',
    settings: {
      kind: 'openedx',
      base_url: 'http://127.0.0.1:47801/openedx',
      client_id: 'demo-staff-client',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: ['saml-demo-univ'],
    },
    network: { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 },
    secret_env: null,
    demo: true,
    created_at: '',
    updated_at: '',
  },
  secrets: [{ field: 'client_secret', label: 'client secret', source: 'demo' }],
};

const ooapiOnly: ProfileView = {
  ...connection,
  profile: {
    ...connection.profile,
    settings: {
      kind: 'ooapi',
      schac_home: 'partner.example.nl',
      persons_url: 'https://ooapi.partner.example.nl/persons',
      associations_url: 'https://ooapi.partner.example.nl/associations',
      token_url: 'https://auth.partner.example.nl/token',
      client_id: 'crosswalk',
      scopes: [],
      audience: null,
      introspection_url: null,
      introspection_client_id: null,
    },
  },
};

function page({ page, pageSize }: BrowseMappingsArgs): MappingPage {
  return {
    provider_id: 'saml-demo-univ',
    page,
    page_size: pageSize,
    count: 250,
    num_pages: 3,
    results: Array.from({ length: 5 }, (_, i) => ({
      username: `learner-p${page}-${i}`,
      remote_id: `id-${page}-${i}`,
    })),
    envelope: 'current',
    fetched_at: new Date().toISOString(),
  };
}

afterEach(() => clearMocks());

/** Browse is the last tab: it asks Open edX only once it is opened. */
async function openBrowse() {
  fireEvent.click(await screen.findByTestId('tab-browse'));
}

describe('Learners screen: Browse', () => {
  it('lists the first provider’s learners once Browse is opened', async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [connection];
      if (cmd === 'browse_mappings') {
        asked.push(args);
        return page(args as unknown as BrowseMappingsArgs);
      }
      throw `unexpected ${cmd}`;
    });
    renderWithProviders(<LearnersScreen />);
    await openBrowse();
    expect(await screen.findByText('learner-p1-0')).toBeTruthy();
    expect(screen.getByTestId('mapping-count').textContent).toMatch(/^250 learners linked to saml-demo-univ$/);
    expect(screen.getAllByTestId('mapping-row')).toHaveLength(5);
    expect(screen.getByTestId('screen-title').textContent).toBe('Learners');
    expect(asked).toEqual([{ connectionId: 'demo-staff', providerId: 'saml-demo-univ', page: 1, pageSize: 100 }]);
  });

  it('writes big counts with digit grouping', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [connection];
      const p = page(args as unknown as BrowseMappingsArgs);
      return { ...p, count: 4458, num_pages: 45 };
    });
    renderWithProviders(<LearnersScreen />);
    await openBrowse();
    expect(await screen.findByText('learner-p1-0')).toBeTruthy();
    // As the locale writes it: "4,458" in English, "4.458" in German…, never "4458".
    expect(screen.getByTestId('mapping-count').textContent).toMatch(/^4[,.\s\u00a0\u202f’']458 learners linked to saml-demo-univ$/);
    expect(screen.getByTestId('page-summary').textContent).toMatch(/^Page 1 of 45, showing learners 1–100$/);
  });

  it('shows the back end’s message and fetches again on Retry', async () => {
    let calls = 0;
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [connection];
      calls += 1;
      if (calls === 1) throw { code: 'remote_unavailable', message: 'Open edX did not answer. Press Retry.' };
      return page(args as unknown as BrowseMappingsArgs);
    });
    renderWithProviders(<LearnersScreen />);
    await openBrowse();
    expect((await screen.findByTestId('error-message')).textContent).toBe('Open edX did not answer. Press Retry.');
    expect(screen.getByTestId('error-alert').getAttribute('data-error-code')).toBe('remote_unavailable');
    fireEvent.click(screen.getByTestId('retry'));
    expect(await screen.findByText('learner-p1-0')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('error-alert')).toBeNull());
    expect(calls).toBe(2);
  });

  it('says so when there is no Open edX connection', async () => {
    mockIPC((cmd) => (cmd === 'list_connections' ? [ooapiOnly] : null));
    renderWithProviders(<LearnersScreen />);
    expect(await screen.findByText('No Open edX connection yet')).toBeTruthy();
    expect(screen.queryByTestId('data-table')).toBeNull();
  });
});

const synced = new Date(Date.now() - 3 * 3_600_000).toISOString();

function lookupRow(username: string, remote: string, source: Source): LookupRow {
  return {
    username,
    remote_id: remote,
    provider_id: 'saml-demo-univ',
    matched_by: 'username',
    source,
    as_of: source === 'cache' ? synced : new Date().toISOString(),
  };
}

const mirror: MirrorStatus[] = [
  {
    provider_id: 'saml-demo-univ',
    size: 3000,
    last_sync: {
      id: 1,
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      started_at: synced,
      finished_at: synced,
      status: 'done',
      count: 3000,
      added: 3000,
      removed: 0,
      changed: 0,
      note: '',
    },
  },
];

function typeIds(text: string) {
  fireEvent.change(screen.getByTestId('lookup-input'), { target: { value: text } });
}

describe('Learners screen: Look up', () => {
  it('opens on Look up and counts the pasted identifiers', async () => {
    mockIPC((cmd) => (cmd === 'list_connections' ? [connection] : null));
    renderWithProviders(<LearnersScreen />);
    await screen.findByTestId('lookup-input');
    expect(screen.getByTestId('tab-lookup').getAttribute('aria-selected')).toBe('true');
    typeIds('jdoe, asmith\n"20231234"\tjdoe');
    await waitFor(() => expect(screen.getByTestId('lookup-count').textContent).toBe('3 identifiers'));
    expect(screen.queryByTestId('mapping-row')).toBeNull();
  });

  it('shows the mirror’s rows at once, then the live answer over them', async () => {
    const asked: [string, unknown][] = [];
    let answerLive = () => {};
    mockIPC(async (cmd, args) => {
      asked.push([cmd, args]);
      switch (cmd) {
        case 'list_connections':
          return [connection];
        case 'mirror_status':
          return mirror;
        case 'lookup_cached':
          return { rows: [lookupRow('jdoe', 'old-1', 'cache')], not_found: ['ghost'], not_checked: [], requests: 0, cancelled: false, errors: [] };
        case 'lookup_live': {
          const { onProgress } = args as { onProgress: Channel<LookupProgress> };
          onProgress.onmessage({ done_ids: 2, total_ids: 2, requests: 1, rows: 1, elapsed_ms: 100, eta_ms: 0 });
          await new Promise<void>((resolve) => (answerLive = resolve));
          return { rows: [lookupRow('jdoe', 'new-1', 'live')], not_found: ['ghost'], not_checked: [], requests: 1, cancelled: false, errors: [] };
        }
        default:
          throw `unexpected ${cmd}`;
      }
    });
    renderWithProviders(<LearnersScreen />);
    await screen.findByTestId('lookup-input');
    typeIds('jdoe ghost');
    await waitFor(() => expect(screen.getByTestId('lookup-count').textContent).toBe('2 identifiers'));
    fireEvent.click(screen.getByTestId('lookup-run'));

    const cached = await screen.findByTestId('lookup-row');
    expect(cached.getAttribute('data-source')).toBe('cache');
    expect(cached.textContent).toContain('old-1');
    expect(cached.textContent).toContain('synced 3 h ago');
    expect(screen.getByTestId('lookup-summary').textContent).toContain('asking Open edX');

    answerLive();
    await waitFor(() => expect(screen.getByTestId('lookup-row').getAttribute('data-source')).toBe('live'));
    expect(screen.getByTestId('lookup-row').textContent).toContain('new-1');
    expect(screen.getAllByTestId('lookup-row')).toHaveLength(1);
    expect(screen.getByTestId('not-found').textContent).toContain('Not found (1)');
    expect(screen.getByTestId('not-found-list').textContent).toBe('ghost');
    expect(screen.getByTestId('lookup-summary').textContent).toBe(
      '2 identifiers: 1 row found, 1 not found · live answer from Open edX (1 request)',
    );

    const request = { profile_id: 'demo-staff', providers: ['saml-demo-univ'], ids: ['jdoe', 'ghost'], mode: 'username', chunk_size: null, concurrency: null };
    expect(asked.find(([c]) => c === 'lookup_cached')?.[1]).toEqual({ request });
    const live = asked.find(([c]) => c === 'lookup_live')?.[1] as { request: unknown; taskId: string };
    expect(live.request).toEqual(request);
    expect(live.taskId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the mirror’s rows and says how old they are when Open edX cannot be reached', async () => {
    mockIPC((cmd) => {
      switch (cmd) {
        case 'list_connections':
          return [connection];
        case 'mirror_status':
          return mirror;
        case 'lookup_cached':
          return { rows: [lookupRow('jdoe', 'old-1', 'cache')], not_found: [], not_checked: [], requests: 0, cancelled: false, errors: [] };
        case 'lookup_live':
          throw { code: 'unreachable', message: 'Could not reach Open edX. Check that you are online.' };
        default:
          return null;
      }
    });
    renderWithProviders(<LearnersScreen />);
    await screen.findByTestId('lookup-input');
    typeIds('jdoe');
    await waitFor(() => expect(screen.getByTestId('lookup-count').textContent).toBe('1 identifier'));
    fireEvent.click(screen.getByTestId('lookup-run'));
    const notice = await screen.findByTestId('lookup-offline');
    await waitFor(() =>
      expect(notice.textContent).toContain(
        'Showing the local mirror from 3 h ago: the LMS could not be reached — Could not reach Open edX. Check that you are online.',
      ),
    );
    expect(screen.getByTestId('lookup-row').getAttribute('data-source')).toBe('cache');
  });

  it('sets the mode Auto and explains it', async () => {
    mockIPC((cmd) => (cmd === 'list_connections' ? [connection] : null));
    renderWithProviders(<LearnersScreen />);
    await screen.findByTestId('lookup-mode');
    fireEvent.click(screen.getByText('Auto'));
    await waitFor(() => expect(screen.getByTestId('lookup-mode-explanation').textContent).toContain('both as a username and as a remote ID'));
  });
});

describe('Learners screen: Permissions', () => {
  const rows: PermissionRow[] = [
    {
      profile_id: 'demo-staff',
      profile_name: 'Demo LMS (staff application)',
      client_id: 'demo-staff-client',
      token_type: 'jwt',
      claims: {
        scopes: ['read', 'tpa:read'],
        filters: ['tpa_provider:saml-demo-univ'],
        is_restricted: true,
        exp: null,
        iat: null,
        iss: null,
        preferred_username: null,
        grant_type: null,
      },
      problem: '',
      cells: [
        { provider_id: 'saml-demo-univ', access: 'granted', status: 200, detail: '3003 learners linked', fix: null, token_allows: true },
        {
          provider_id: 'saml-partner',
          access: 'not_permitted',
          status: 403,
          detail: 'The application is restricted.',
          fix: 'On the LMS server:\n1. ./manage.py lms create_dot_application demo-staff-client svc',
          token_allows: false,
        },
      ],
    },
  ];

  it('shows the matrix and the fix for a provider the client may not read', async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [connection];
      if (cmd === 'check_permissions') {
        asked.push(args);
        return rows;
      }
      return null;
    });
    renderWithProviders(<LearnersScreen />);
    fireEvent.click(await screen.findByTestId('tab-permissions'));
    await waitFor(() => expect(screen.getAllByTestId('permission-cell')).toHaveLength(2));
    const [granted, denied] = screen.getAllByTestId('permission-cell');
    expect(granted?.getAttribute('data-access')).toBe('granted');
    expect(denied?.getAttribute('data-access')).toBe('not_permitted');
    expect(denied?.getAttribute('data-provider')).toBe('saml-partner');
    expect(denied?.getAttribute('data-token-allows')).toBe('false');
    expect(screen.getByTestId('permission-claims').textContent).toContain('tpa_provider:saml-demo-univ');
    expect(asked).toEqual([{ connectionIds: [] }]);

    fireEvent.click(denied!);
    const fix = await screen.findByTestId('permission-fix');
    expect(fix.textContent).toContain('create_dot_application demo-staff-client');
    expect(screen.getByTestId('copy-fix')).toBeTruthy();
  });
});
