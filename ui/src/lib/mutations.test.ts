import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileDraft, ProfileView } from '../bindings';
import { saveConnection, SecretNotSaved } from './mutations';

const draft: ProfileDraft = {
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
  network: { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 },
  secret_env: null,
};

function view(source: 'keyring' | 'not_set'): ProfileView {
  return {
    profile: { ...draft, id: 'lms-1', demo: false, created_at: '', updated_at: '' },
    secrets: [{ field: 'client_secret', label: 'client secret', source }],
  };
}

afterEach(() => clearMocks());

describe('saving a connection', () => {
  it('creates it, then stores the typed secret under the new id', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'set_secret' ? view('keyring') : view('not_set');
    });
    const saved = await saveConnection({
      id: null,
      draft,
      readSecrets: () => [{ field: 'client_secret', value: 's3cret' }],
    });
    expect(calls).toEqual([
      ['create_connection', { draft }],
      ['set_secret', { id: 'lms-1', field: 'client_secret', value: 's3cret' }],
    ]);
    expect(saved.secrets[0]?.source).toBe('keyring');
  });

  it('updates without touching secrets when none was typed', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return view('keyring');
    });
    await saveConnection({ id: 'lms-1', draft, readSecrets: () => [] });
    expect(calls).toEqual(['update_connection']);
  });

  it('reads the secrets only once the connection is saved, and not at all when saving fails', async () => {
    let read = 0;
    mockIPC(() => {
      throw { code: 'invalid', message: 'The LMS base URL must use https.' };
    });
    await expect(
      saveConnection({
        id: null,
        draft,
        readSecrets: () => {
          read += 1;
          return [];
        },
      }),
    ).rejects.toMatchObject({ code: 'invalid', message: 'The LMS base URL must use https.' });
    expect(read).toBe(0);
  });

  it('says which secret did not reach the keyring, with the saved connection', async () => {
    mockIPC((cmd) => {
      if (cmd === 'set_secret') throw { code: 'keyring', message: 'The keyring is locked. Unlock it and save again.' };
      return view('not_set');
    });
    const failure: unknown = await saveConnection({
      id: null,
      draft,
      readSecrets: () => [{ field: 'client_secret', value: 's3cret' }],
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SecretNotSaved);
    const error = failure as SecretNotSaved;
    expect(error.field).toBe('client_secret');
    expect(error.view.profile.id).toBe('lms-1');
    expect(error.reason.code).toBe('keyring');
    expect(error.message).toBe('The keyring is locked. Unlock it and save again.');
    expect(JSON.stringify(error)).not.toContain('s3cret');
  });
});
