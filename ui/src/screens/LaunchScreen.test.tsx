import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KnownUser, LaunchRequest, LaunchSummary, ProfileView, Roster } from '../bindings';
import { renderWithProviders } from '../test/render';
import LaunchScreen from './LaunchScreen';

const network = { proxy: { mode: 'system' as const }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 };

const openLearning: ProfileView = {
  profile: {
    id: 'demo-openlearning',
    name: 'Demo OpenLearning',
    settings: {
      kind: 'openlearning',
      base_url: 'http://127.0.0.1:47801/openlearning/v2.1/',
      institution_id: 'demo-institution',
      api_key_style: 'header',
    },
    network,
    secret_env: null,
    demo: true,
    created_at: '',
    updated_at: '',
  },
  secrets: [{ field: 'api_key', label: 'API key', source: 'demo' }],
};

const lms: ProfileView = {
  ...openLearning,
  profile: {
    ...openLearning.profile,
    id: 'demo-staff',
    name: 'Demo LMS',
    settings: {
      kind: 'openedx',
      base_url: 'http://127.0.0.1:47801/openedx',
      client_id: 'demo',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: [],
    },
  },
};

const known: KnownUser[] = [
  { external_id: 's7654321', user_id: '50124', full_name: 'Alan Turing', email: null, found_at: new Date().toISOString() },
];

function summary(request: LaunchRequest, patch: Partial<LaunchSummary> = {}): LaunchSummary {
  return {
    user_id: '50123',
    class_id: request.class_id,
    context_id: request.context_id,
    action: 'https://www.openlearning.example/lti/launch',
    method: 'POST',
    params: [
      { name: 'user_id', value: '50123', masked: false },
      { name: 'oauth_nonce', value: '••••••', masked: true },
      { name: 'oauth_signature', value: '••••••', masked: true },
    ],
    notes: request.class_id && request.context_id ? ['Both a class id and a context id were given.'] : [],
    expires_at: null,
    ...patch,
  };
}

afterEach(() => clearMocks());

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('Launch screen', () => {
  it('explains how to add an OpenLearning connection when there is none', async () => {
    mockIPC((cmd) => (cmd === 'list_connections' ? [lms] : null));
    renderWithProviders(<LaunchScreen />);
    expect((await screen.findByTestId('launch-no-connection')).textContent).toContain('No OpenLearning connection yet');
    expect(screen.getByTestId('launch-add-connection').getAttribute('href')).toBe('/connections');
    expect(screen.queryByTestId('launch-open')).toBeNull();
  });

  it('finds a learner, warns that the context wins, and opens a launch that expires', async () => {
    const asked: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      asked.push([cmd, args]);
      switch (cmd) {
        case 'list_connections':
          return [lms, openLearning];
        case 'openlearning_known_users':
          return known;
        case 'openlearning_find_user':
          return { user_id: '50123', external_id: 's1234567', full_name: 'Ada Lovelace', email: 'ada@example.edu' };
        case 'launch_open': {
          const { request } = args as { request: LaunchRequest };
          return summary(request, { expires_at: new Date(Date.now() + 60_000).toISOString() });
        }
        default:
          throw `unexpected ${cmd}`;
      }
    });
    renderWithProviders(<LaunchScreen />);

    expect((await screen.findByTestId('launch-security')).textContent).toContain('60 seconds');
    expect((await screen.findByTestId('launch-known-user')).textContent).toContain('Alan Turing');
    expect(screen.getByTestId<HTMLButtonElement>('launch-open').disabled).toBe(true);

    type('launch-external-id', ' s1234567 ');
    fireEvent.keyDown(screen.getByTestId('launch-external-id'), { key: 'Enter' });
    const found = await screen.findByTestId('launch-found-user');
    expect(found.textContent).toContain('Ada Lovelace');
    expect(found.textContent).toContain('50123');
    expect(found.textContent).toContain('ada@example.edu');
    expect(asked).toContainEqual([
      'openlearning_find_user',
      { connectionId: 'demo-openlearning', externalId: 's1234567', taskId: expect.any(String) as unknown },
    ]);

    type('launch-class-id', 'class-101');
    expect(screen.queryByTestId('launch-context-wins')).toBeNull();
    type('launch-context-id', 'BIO101');
    expect(screen.getByTestId('launch-context-wins').textContent).toContain('The context id wins');

    fireEvent.click(screen.getByTestId('launch-open'));
    const result = await screen.findByTestId('launch-result');
    expect(result.getAttribute('data-action')).toBe('open');
    expect(result.textContent).toContain('Opened in your browser');
    expect(screen.getByTestId('launch-expiry').textContent).toMatch(/^The link works once and expires at \d{1,2}:\d{2}:\d{2}/);
    expect(screen.getByTestId('launch-notes').textContent).toContain('Both a class id and a context id were given.');

    const launched = asked.find(([cmd]) => cmd === 'launch_open')?.[1];
    expect(launched).toEqual({
      request: {
        profile_id: 'demo-openlearning',
        user: { by: 'external_id', id: 's1234567' },
        class_id: 'class-101',
        context_id: 'BIO101',
        email: null,
        full_name: null,
      },
      taskId: expect.any(String) as unknown,
    });
  });

  it('stops a launch that waits for OpenLearning: Cancel names the launch, and nothing is shown as made', async () => {
    const cancelled: string[] = [];
    let stop: ((taskId: string) => void) | null = null;
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [openLearning];
      if (cmd === 'openlearning_known_users') return [];
      if (cmd === 'launch_open') {
        const { taskId } = args as { taskId: string };
        // OpenLearning does not answer; the back end gives up only when the task is cancelled.
        return new Promise((_resolve, reject) => {
          stop = (id) => {
            if (id === taskId) reject({ code: 'cancelled', message: 'Cancelled. Nothing more was sent; what was already done is kept.' });
          };
        });
      }
      if (cmd === 'cancel_task') {
        const { taskId } = args as { taskId: string };
        cancelled.push(taskId);
        stop?.(taskId);
        return true;
      }
      throw `unexpected ${cmd}`;
    });
    renderWithProviders(<LaunchScreen />);
    await screen.findByTestId('launch-known-empty');
    fireEvent.click(screen.getByText('OpenLearning user id'));
    type('launch-user-id', '50123');
    expect(screen.queryByTestId('launch-cancel')).toBeNull();
    fireEvent.click(screen.getByTestId('launch-open'));
    fireEvent.click(await screen.findByTestId('launch-cancel'));
    const stopped = await screen.findByTestId('launch-cancelled');
    expect(stopped.textContent).toContain('Nothing was opened, copied or saved');
    expect(cancelled).toHaveLength(1);
    expect(screen.queryByTestId('launch-error')).toBeNull();
    expect(screen.queryByTestId('launch-result')).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('launch-cancel')).toBeNull());
    expect(screen.getByTestId<HTMLButtonElement>('launch-open').disabled).toBe(false);
  });

  it('picks a learner found before, and shows parameters with the secret ones masked and not copyable', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [openLearning];
      if (cmd === 'openlearning_known_users') return known;
      if (cmd === 'launch_show') return summary((args as { request: LaunchRequest }).request);
      throw `unexpected ${cmd}`;
    });
    renderWithProviders(<LaunchScreen />);
    fireEvent.click(await screen.findByTestId('launch-known-user'));
    expect(screen.getByTestId<HTMLInputElement>('launch-external-id').value).toBe('s7654321');
    expect(screen.getByTestId('launch-found-user').textContent).toContain('Alan Turing');

    fireEvent.click(screen.getByTestId('launch-show-params'));
    const params = await screen.findByTestId('launch-params');
    const rows = within(params).getAllByTestId('launch-param');
    expect(rows.map((r) => r.getAttribute('data-name'))).toEqual(['user_id', 'oauth_nonce', 'oauth_signature']);
    const signature = rows[2]!;
    expect(within(signature).getByTestId('launch-param-value').textContent).toBe('••••••');
    expect(within(signature).getByTestId('launch-param-hidden')).toBeTruthy();
    expect(within(signature).queryByTestId('launch-param-copy')).toBeNull();
    expect(within(rows[0]!).getByTestId('launch-param-copy')).toBeTruthy();
  });

  it('shows the back end’s message when a launch is refused', async () => {
    mockIPC((cmd) => {
      if (cmd === 'list_connections') return [openLearning];
      if (cmd === 'openlearning_known_users') return [];
      if (cmd === 'launch_open') {
        throw { code: 'remote', message: 'OpenLearning answered 401: OpenLearning refused the API key (401).' };
      }
      throw `unexpected ${cmd}`;
    });
    renderWithProviders(<LaunchScreen />);
    await screen.findByTestId('launch-known-empty');
    fireEvent.click(screen.getByText('OpenLearning user id'));
    type('launch-user-id', '50123');
    fireEvent.click(screen.getByTestId('launch-open'));
    const error = await screen.findByTestId('launch-error');
    expect(within(error).getByTestId('error-message').textContent).toBe(
      'OpenLearning answered 401: OpenLearning refused the API key (401).',
    );
    expect(within(error).getByText('Could not open the launch')).toBeTruthy();
    expect(screen.queryByTestId('launch-result')).toBeNull();
  });

  it('imports a roster and launches one row on demand', async () => {
    const roster: Roster = {
      file_name: 'roster.csv',
      rows: [
        { line: 2, external_id: 's1234567', class_id: 'class-101', context_id: null, email: null, full_name: 'Ada Lovelace' },
        { line: 4, external_id: 's7654321', class_id: null, context_id: 'BIO101', email: null, full_name: null },
      ],
      problems: [{ line: 3, message: 'Line 3 has no external id' }],
    };
    const launched: LaunchRequest[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_connections') return [openLearning];
      if (cmd === 'openlearning_known_users') return [];
      if (cmd === 'launch_import_roster') return roster;
      if (cmd === 'launch_open') {
        const { request } = args as { request: LaunchRequest };
        launched.push(request);
        return summary(request, { expires_at: new Date(Date.now() + 60_000).toISOString() });
      }
      throw `unexpected ${cmd}`;
    });
    renderWithProviders(<LaunchScreen />);
    fireEvent.click(await screen.findByTestId('tab-roster'));
    expect(screen.getByTestId('launch-roster-format').textContent).toContain('external_id');
    fireEvent.click(screen.getByTestId('launch-import-roster'));

    expect((await screen.findByTestId('launch-roster-summary')).textContent).toBe(
      '2 learners from roster.csv; 1 line could not be read',
    );
    expect(screen.getByTestId('launch-roster-problems').textContent).toContain('Line 3 has no external id');
    const rows = within(screen.getByTestId('launch-roster')).getAllByTestId('launch-roster-row');
    expect(rows).toHaveLength(2);
    // Nothing is made ahead of time.
    expect(launched).toHaveLength(0);

    fireEvent.click(within(rows[1]!).getByTestId('launch-roster-launch'));
    await waitFor(() =>
      expect(within(rows[1]!).getByTestId('launch-roster-status').textContent).toMatch(/^Opened at /),
    );
    expect(within(rows[0]!).getByTestId('launch-roster-status').textContent).toBe('');
    expect(launched).toEqual([
      {
        profile_id: 'demo-openlearning',
        user: { by: 'external_id', id: 's7654321' },
        class_id: null,
        context_id: 'BIO101',
        email: null,
        full_name: null,
      },
    ]);
  });
});
