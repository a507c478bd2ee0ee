import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MappingPage, ProfileView } from '../bindings';
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

describe('Learners screen', () => {
  it('lists the first provider’s learners without a click', async () => {
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
