import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../bindings';
import { apiKeyMissing, openLearningConnections } from './launchConnections';

const network = { proxy: { mode: 'system' as const }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 };

function view(id: string, kind: 'openlearning' | 'openedx', source: 'keyring' | 'not_set' = 'keyring'): ProfileView {
  return {
    profile: {
      id,
      name: id,
      settings:
        kind === 'openlearning'
          ? { kind, base_url: 'https://api.openlearning.com/v2.1/', institution_id: 'inst', api_key_style: 'header' }
          : { kind, base_url: 'https://lms', client_id: 'c', token_type: 'jwt', client_auth: 'basic', scopes: [], providers: [] },
      network,
      secret_env: null,
      demo: false,
      created_at: '',
      updated_at: '',
    },
    secrets: [
      kind === 'openlearning'
        ? { field: 'api_key', label: 'API key', source }
        : { field: 'client_secret', label: 'client secret', source },
    ],
  };
}

describe('openLearningConnections', () => {
  it('keeps only OpenLearning connections, in order', () => {
    const views = [view('a', 'openedx'), view('b', 'openlearning'), view('c', 'openlearning')];
    expect(openLearningConnections(views).map((v) => v.profile.id)).toEqual(['b', 'c']);
  });

  it('notices a missing API key', () => {
    expect(apiKeyMissing(view('b', 'openlearning', 'not_set'))).toBe(true);
    expect(apiKeyMissing(view('b', 'openlearning'))).toBe(false);
  });
});
