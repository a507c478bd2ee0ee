import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileDraft, ProfileView, SecretSource } from '../bindings';
import { renderWithProviders } from '../test/render';
import ConnectionsScreen from './ConnectionsScreen';

const SECRET = 'sup3r-s3cret-value';

const network = { proxy: { mode: 'system' as const }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 };

const saved: ProfileView = {
  profile: {
    id: 'lms',
    name: 'Courses LMS',
    settings: {
      kind: 'openedx',
      base_url: 'https://courses.example.edu',
      client_id: 'crosswalk',
      token_type: 'jwt',
      client_auth: 'basic',
      scopes: [],
      providers: ['saml-ubc'],
    },
    network,
    secret_env: null,
    demo: false,
    created_at: '2025-03-01T10:00:00Z',
    updated_at: '2025-03-01T10:00:00Z',
  },
  secrets: [{ field: 'client_secret', label: 'client secret', source: 'keyring' }],
};

const demo: ProfileView = {
  profile: { ...saved.profile, id: 'demo-staff', name: 'Demo LMS', demo: true },
  secrets: [{ field: 'client_secret', label: 'client secret', source: 'demo' }],
};

interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

/** A small stand-in back end that remembers what it was asked. */
function backend(initial: ProfileView[], overrides: Partial<Record<string, (args: Record<string, unknown>) => unknown>> = {}) {
  const calls: Call[] = [];
  let views = [...initial];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    const override = overrides[cmd];
    if (override) return override(args);
    switch (cmd) {
      case 'list_connections':
        return views;
      case 'create_connection': {
        const draft = args.draft as ProfileDraft;
        const view: ProfileView = {
          profile: { ...draft, id: 'new-1', demo: false, created_at: '', updated_at: '' },
          secrets: [{ field: 'client_secret', label: 'client secret', source: 'not_set' }],
        };
        views = [...views, view];
        return view;
      }
      case 'update_connection': {
        const draft = args.draft as ProfileDraft;
        const old = views.find((v) => v.profile.id === args.id);
        if (!old) throw { code: 'not_found', message: 'No such connection.' };
        const view = { ...old, profile: { ...old.profile, ...draft } };
        views = views.map((v) => (v.profile.id === args.id ? view : v));
        return view;
      }
      case 'set_secret':
      case 'clear_secret': {
        const old = views.find((v) => v.profile.id === args.id);
        if (!old) throw { code: 'not_found', message: 'No such connection.' };
        const source: SecretSource = cmd === 'set_secret' ? 'keyring' : 'not_set';
        const view = { ...old, secrets: old.secrets.map((s) => (s.field === args.field ? { ...s, source } : s)) };
        views = views.map((v) => (v.profile.id === args.id ? view : v));
        return view;
      }
      default:
        throw `unexpected ${cmd}`;
    }
  });
  return calls;
}

function commands(calls: Call[]): string[] {
  return calls.map((c) => c.cmd).filter((c) => c !== 'list_connections');
}

afterEach(() => clearMocks());

describe('Connections screen', () => {
  it('shows each connection with where its secret is, and no editing for demo ones', async () => {
    backend([demo, { ...saved, secrets: [{ field: 'client_secret', label: 'client secret', source: 'not_set' }] }]);
    renderWithProviders(<ConnectionsScreen />);
    const cards = await screen.findAllByTestId('connection-card');
    expect(cards).toHaveLength(2);
    const [demoCard, savedCard] = cards as [HTMLElement, HTMLElement];
    expect(demoCard.dataset.connectionName).toBe('Demo LMS');
    expect(within(demoCard).getByTestId('secret-badge').textContent).toBe('Client secret: demo credential');
    expect(within(demoCard).getByTestId('test-connection')).toBeTruthy();
    expect(within(demoCard).queryByTestId('edit-connection')).toBeNull();
    expect(within(demoCard).queryByTestId('delete-connection')).toBeNull();
    expect(within(demoCard).queryByTestId('duplicate-connection')).toBeNull();
    expect(within(savedCard).getByTestId('secret-badge').textContent).toBe('Client secret: not set');
    expect(within(savedCard).getByTestId('edit-connection')).toBeTruthy();
  });

  it('adds an Open edX connection, stores its secret, then forgets it', async () => {
    const calls = backend([]);
    renderWithProviders(<ConnectionsScreen />);
    fireEvent.click(await screen.findByTestId('add-connection'));
    const form = await screen.findByTestId('connection-form');
    // Nothing but the kind until one is chosen.
    expect(within(form).queryByTestId('field-name')).toBeNull();
    fireEvent.click(within(form).getByTestId('kind-openedx'));

    fireEvent.change(await within(form).findByTestId('field-name'), { target: { value: '  Courses LMS ' } });
    fireEvent.change(within(form).getByTestId('field-base-url'), { target: { value: 'https://courses.example.edu' } });
    fireEvent.change(within(form).getByTestId('field-client-id'), { target: { value: 'crosswalk' } });
    const secret = within(form).getByTestId<HTMLInputElement>('field-secret');
    expect(secret.type).toBe('password');
    fireEvent.change(secret, { target: { value: SECRET } });
    fireEvent.click(within(form).getByTestId('save-connection'));

    await waitFor(() => expect(commands(calls)).toEqual(['create_connection', 'set_secret']));
    const draft = calls.find((c) => c.cmd === 'create_connection')?.args.draft as ProfileDraft;
    expect(draft.name).toBe('Courses LMS');
    expect(draft.settings).toMatchObject({ kind: 'openedx', base_url: 'https://courses.example.edu', client_id: 'crosswalk' });
    expect(calls.find((c) => c.cmd === 'set_secret')?.args).toEqual({ id: 'new-1', field: 'client_secret', value: SECRET });
    expect(JSON.stringify(draft)).not.toContain(SECRET);

    expect(await screen.findByText('Connection added')).toBeTruthy();
    expect(secret.value).toBe('');
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(await screen.findByTestId('connection-card')).toBeTruthy();
  });

  it('checks the form before asking the back end', async () => {
    const calls = backend([]);
    renderWithProviders(<ConnectionsScreen />);
    fireEvent.click(await screen.findByTestId('add-connection'));
    const form = await screen.findByTestId('connection-form');
    fireEvent.click(within(form).getByTestId('kind-openedx'));
    fireEvent.change(await within(form).findByTestId('field-base-url'), { target: { value: 'http://courses.example.edu' } });
    fireEvent.click(within(form).getByTestId('save-connection'));
    expect(await within(form).findByText(/must use https/)).toBeTruthy();
    expect(within(form).getByText(/Give the connection a name/)).toBeTruthy();
    expect(commands(calls)).toEqual([]);
  });

  it('shows the back end’s message under the form when it refuses', async () => {
    backend([saved], {
      create_connection: () => {
        throw { code: 'invalid', message: 'A connection named "Courses LMS" already exists. Choose another name.' };
      },
    });
    renderWithProviders(<ConnectionsScreen />);
    fireEvent.click(await screen.findByTestId('add-connection'));
    const form = await screen.findByTestId('connection-form');
    fireEvent.click(within(form).getByTestId('kind-openedx'));
    fireEvent.change(await within(form).findByTestId('field-name'), { target: { value: 'Courses LMS' } });
    fireEvent.change(within(form).getByTestId('field-base-url'), { target: { value: 'https://courses.example.edu' } });
    fireEvent.change(within(form).getByTestId('field-client-id'), { target: { value: 'crosswalk' } });
    fireEvent.click(within(form).getByTestId('save-connection'));
    const error = await within(form).findByTestId('form-error');
    expect(error.textContent).toContain('A connection named "Courses LMS" already exists. Choose another name.');
  });

  it('never shows a saved secret: the field is empty and says whether one is set', async () => {
    const calls = backend([saved]);
    renderWithProviders(<ConnectionsScreen />);
    fireEvent.click(await screen.findByTestId('edit-connection'));
    const form = await screen.findByTestId('connection-form');
    const secret = within(form).getByTestId<HTMLInputElement>('field-secret');
    expect(secret.value).toBe('');
    expect(secret.placeholder).toBe('Set — type to replace');
    expect(within(form).getByTestId<HTMLInputElement>('field-name').value).toBe('Courses LMS');
    // The kind is fixed when editing.
    expect(within(form).getByTestId('kind-ooapi').hasAttribute('disabled')).toBe(true);

    // Saving without typing a secret leaves the keyring alone.
    fireEvent.change(within(form).getByTestId('field-client-id'), { target: { value: 'crosswalk-2' } });
    fireEvent.click(within(form).getByTestId('save-connection'));
    await waitFor(() => expect(commands(calls)).toEqual(['update_connection']));
    expect(calls.find((c) => c.cmd === 'update_connection')?.args).toMatchObject({ id: 'lms' });
  });

  it('clears a saved secret after asking', async () => {
    const calls = backend([saved]);
    renderWithProviders(<ConnectionsScreen />);
    fireEvent.click(await screen.findByTestId('edit-connection'));
    const form = await screen.findByTestId('connection-form');
    fireEvent.click(within(form).getByTestId('clear-secret'));
    expect(commands(calls)).toEqual([]);
    fireEvent.click(within(form).getByTestId('confirm-clear-secret'));
    await waitFor(() => expect(commands(calls)).toEqual(['clear_secret']));
    expect(calls.find((c) => c.cmd === 'clear_secret')?.args).toEqual({ id: 'lms', field: 'client_secret' });
    await waitFor(() =>
      expect(within(form).getByTestId<HTMLInputElement>('field-secret').placeholder).toBe('Not set'),
    );
    expect(within(form).queryByTestId('clear-secret')).toBeNull();
  });
});
