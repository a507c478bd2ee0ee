import { describe, expect, it } from 'vitest';
import type { NetworkSettings, Profile, ProfileView } from '../bindings';
import { baseUrlOf, connectionFields, isOpenEdx, openEdxConnections, proxyLabel, secretBadge } from './connections';

const network: NetworkSettings = {
  proxy: { mode: 'system' },
  extra_ca_file: null,
  connect_timeout_secs: 10,
  total_timeout_secs: 60,
};

const base = { network, secret_env: null, demo: false, created_at: '', updated_at: '' };

const openedx: Profile = {
  ...base,
  id: 'lms',
  name: 'University LMS',
  settings: {
    kind: 'openedx',
    base_url: 'https://courses.example.edu',
    client_id: 'crosswalk',
    token_type: 'jwt',
    client_auth: 'basic',
    scopes: [],
    providers: ['saml-example'],
  },
};

const ooapi: Profile = {
  ...base,
  id: 'partner',
  name: 'Partner university',
  secret_env: 'PARTNER_SECRET',
  settings: {
    kind: 'ooapi',
    schac_home: 'partner.example.nl',
    persons_url: 'https://ooapi.partner.example.nl/persons',
    associations_url: 'https://ooapi.partner.example.nl/associations',
    token_url: 'https://auth.partner.example.nl/token',
    client_id: 'crosswalk-ooapi',
    scopes: ['associations'],
    audience: null,
    introspection_url: null,
    introspection_client_id: null,
  },
};

function view(profile: Profile, secrets: ProfileView['secrets'] = []): ProfileView {
  return { profile, secrets };
}

describe('connections', () => {
  it('picks out the Open edX ones for the Learners screen', () => {
    expect(isOpenEdx(openedx)).toBe(true);
    expect(isOpenEdx(ooapi)).toBe(false);
    expect(openEdxConnections([view(ooapi), view(openedx)]).map((p) => p.id)).toEqual(['lms']);
  });

  it('describes an Open edX connection and its network, but not its secret', () => {
    const fields = connectionFields(
      view(openedx, [{ field: 'client_secret', label: 'client secret', source: 'keyring' }]),
    );
    expect(Object.fromEntries(fields.map((f) => [f.label, f.value]))).toEqual({
      Address: 'https://courses.example.edu',
      'Client ID': 'crosswalk',
      'Token type': 'JWT',
      'Client sign-in': 'HTTP Basic (client ID and secret in a header)',
      Scopes: 'The default ones',
      Providers: ['saml-example'],
      Proxy: "The operating system's proxy settings",
      Certificates: "The operating system's",
      Timeouts: '10 s to connect, 60 s in all',
    });
  });

  it('describes an OOAPI connection', () => {
    const fields = connectionFields(view(ooapi));
    const byLabel = new Map(fields.map((f) => [f.label, f]));
    expect(byLabel.get('Partner')?.value).toBe('partner.example.nl');
    expect(byLabel.get('Audience')).toMatchObject({ value: 'None', tone: 'dimmed' });
    expect(byLabel.get('Token check')).toMatchObject({ value: 'Not set up', tone: 'dimmed' });
    expect(baseUrlOf(ooapi)).toBe('https://ooapi.partner.example.nl/persons');
    expect(baseUrlOf(openedx)).toBe('https://courses.example.edu');
  });

  it('says where each secret is, and warns when one is missing', () => {
    expect(secretBadge({ field: 'client_secret', label: 'client secret', source: 'keyring' }, null)).toEqual({
      text: 'Client secret: set in OS keyring',
      color: 'teal',
      tone: 'normal',
    });
    expect(secretBadge({ field: 'api_key', label: 'API key', source: 'unknown' }, null)).toMatchObject({
      text: 'API key: unknown (keyring unavailable)',
      tone: 'warning',
    });
    expect(secretBadge({ field: 'api_key', label: 'API key', source: 'not_set' }, null)).toMatchObject({
      text: 'API key: not set',
      tone: 'warning',
    });
    expect(secretBadge({ field: 'client_secret', label: 'client secret', source: 'demo' }, null).text).toBe(
      'Client secret: demo credential',
    );
    expect(
      secretBadge({ field: 'client_secret', label: 'client secret', source: 'environment' }, 'PARTNER_SECRET').text,
    ).toBe('Client secret: from environment variable PARTNER_SECRET');
  });

  it('writes proxies plainly', () => {
    expect(proxyLabel({ mode: 'none' })).toBe('No proxy');
    expect(proxyLabel({ mode: 'manual', url: 'http://proxy:3128', bypass: '' })).toBe('http://proxy:3128');
    expect(proxyLabel({ mode: 'manual', url: 'http://proxy:3128', bypass: '*.example.edu' })).toBe(
      'http://proxy:3128 (not for *.example.edu)',
    );
  });
});
