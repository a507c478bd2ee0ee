import { describe, expect, it } from 'vitest';
import type { Profile } from '../bindings';
import {
  emptyFormValues,
  formValuesFromProfile,
  hasNetworkProblem,
  isProviderId,
  secretFieldsFor,
  secretPlaceholder,
  tidyList,
  toDraft,
  typedSecrets,
  urlProblem,
  validateConnection,
  type ConnectionFormValues,
} from './connectionForm';

function openedxValues(overrides: Partial<ConnectionFormValues['openedx']> = {}): ConnectionFormValues {
  const values = emptyFormValues('openedx');
  values.name = 'Courses LMS';
  values.openedx = { ...values.openedx, base_url: 'https://courses.example.edu', client_id: 'crosswalk', ...overrides };
  return values;
}

describe('the web address rule', () => {
  it('accepts https anywhere and plain http only for this computer', () => {
    expect(urlProblem('LMS base URL', 'https://courses.example.edu')).toBeNull();
    expect(urlProblem('LMS base URL', '  https://courses.example.edu/  ')).toBeNull();
    expect(urlProblem('LMS base URL', 'http://127.0.0.1:47801/openedx')).toBeNull();
    expect(urlProblem('LMS base URL', 'http://127.5.0.1')).toBeNull();
    expect(urlProblem('LMS base URL', 'http://localhost:8000')).toBeNull();
    expect(urlProblem('LMS base URL', 'http://LOCALHOST:8000')).toBeNull();
    expect(urlProblem('LMS base URL', 'http://[::1]:8000')).toBeNull();
  });

  it('refuses plain http elsewhere, other schemes, bare host names and passwords', () => {
    expect(urlProblem('LMS base URL', 'http://courses.example.edu')).toBe(
      'The LMS base URL must use https. Plain http is allowed only for this computer (127.0.0.1, localhost).',
    );
    expect(urlProblem('LMS base URL', 'http://localhost.example.edu')).toMatch(/must use https/);
    expect(urlProblem('LMS base URL', 'http://128.0.0.1')).toMatch(/must use https/);
    expect(urlProblem('LMS base URL', 'ftp://courses.example.edu')).toBe(
      'The LMS base URL must be an https address, not ftp:.',
    );
    expect(urlProblem('LMS base URL', 'courses.example.edu')).toMatch(/is not a web address/);
    expect(urlProblem('LMS base URL', 'https://user:pw@courses.example.edu')).toMatch(/keyring/);
    expect(urlProblem('token URL', '   ')).toBe('The token URL is required.');
  });
});

describe('validation', () => {
  it('asks for a kind first', () => {
    expect(validateConnection(emptyFormValues())).toMatchObject({ kind: expect.any(String) as unknown });
  });

  it('passes a complete Open edX connection', () => {
    expect(validateConnection(openedxValues())).toEqual({});
  });

  it('names every missing Open edX field', () => {
    const errors = validateConnection(emptyFormValues('openedx'));
    expect(Object.keys(errors).sort()).toEqual(['name', 'openedx.base_url', 'openedx.client_id']);
    expect(errors.name).toMatch(/Give the connection a name/);
  });

  it('checks provider ids and the name length', () => {
    const values = openedxValues({ providers: ['saml-ubc', 'saml ubc'] });
    values.name = 'x'.repeat(81);
    const errors = validateConnection(values);
    expect(errors['openedx.providers']).toMatch(/"saml ubc" is not a provider id/);
    expect(errors.name).toMatch(/under 80 characters/);
    expect(isProviderId('oa2-google-oauth2')).toBe(true);
    expect(isProviderId('lti-key:1.2+x_y')).toBe(true);
    expect(isProviderId('saml/ubc')).toBe(false);
  });

  it('names every missing OpenLearning and OOAPI field', () => {
    const ol = validateConnection({ ...emptyFormValues('openlearning'), name: 'OL' });
    expect(Object.keys(ol).sort()).toEqual(['openlearning.base_url', 'openlearning.institution_id']);

    const ooapi = validateConnection({ ...emptyFormValues('ooapi'), name: 'Partner' });
    expect(Object.keys(ooapi).sort()).toEqual([
      'ooapi.associations_url',
      'ooapi.client_id',
      'ooapi.persons_url',
      'ooapi.schac_home',
      'ooapi.token_url',
    ]);
  });

  it('wants a client ID with an introspection URL, and checks that URL', () => {
    const values = emptyFormValues('ooapi');
    values.name = 'Partner';
    values.ooapi = {
      ...values.ooapi,
      schac_home: 'partner.example.nl',
      persons_url: 'https://ooapi.partner.example.nl/persons',
      associations_url: 'https://ooapi.partner.example.nl/associations',
      token_url: 'https://auth.partner.example.nl/token',
      client_id: 'crosswalk',
      introspection_url: 'http://auth.example.edu/introspect',
    };
    expect(validateConnection(values)).toEqual({
      'ooapi.introspection_url': expect.stringMatching(/must use https/) as unknown,
      'ooapi.introspection_client_id': 'An introspection URL needs its own client ID.',
    });
  });

  it('checks the network section and says when a problem is in it', () => {
    const values = openedxValues();
    values.network = { ...values.network, proxy_mode: 'manual', proxy_url: '', connect_timeout_secs: 0, total_timeout_secs: '' };
    const errors = validateConnection(values);
    expect(Object.keys(errors).sort()).toEqual([
      'network.connect_timeout_secs',
      'network.proxy_url',
      'network.total_timeout_secs',
    ]);
    expect(hasNetworkProblem(errors)).toBe(true);
    expect(hasNetworkProblem({ name: 'x' })).toBe(false);

    values.network = { ...values.network, proxy_url: 'not a url', connect_timeout_secs: 2.5, total_timeout_secs: 30 };
    expect(validateConnection(values)).toEqual({
      'network.proxy_url': expect.stringMatching(/is not a web address/) as unknown,
      'network.connect_timeout_secs': 'Give a whole number of seconds, at least 1.',
    });
  });

  it('does not check the fields of the kinds not chosen', () => {
    const values = openedxValues();
    values.openlearning.base_url = 'nonsense';
    expect(validateConnection(values)).toEqual({});
  });
});

describe('the draft sent to the back end', () => {
  it('trims text, tidies tag lists and keeps only the chosen kind', () => {
    const values = openedxValues({
      base_url: '  https://courses.example.edu  ',
      client_id: ' crosswalk ',
      token_type: 'bearer',
      client_auth: 'body',
      scopes: [' read ', '', 'tpa:read', 'read'],
      providers: ['saml-ubc ', '  ', 'oa2-google-oauth2'],
    });
    values.name = '  Courses LMS  ';
    values.network.extra_ca_file = '   ';
    expect(toDraft(values)).toEqual({
      name: 'Courses LMS',
      settings: {
        kind: 'openedx',
        base_url: 'https://courses.example.edu',
        client_id: 'crosswalk',
        token_type: 'bearer',
        client_auth: 'body',
        scopes: ['read', 'tpa:read'],
        providers: ['saml-ubc', 'oa2-google-oauth2'],
      },
      network: { proxy: { mode: 'system' }, extra_ca_file: null, connect_timeout_secs: 10, total_timeout_secs: 60 },
      secret_env: null,
    });
  });

  it('writes optional OOAPI fields as null and drops an introspection client ID without its URL', () => {
    const values = emptyFormValues('ooapi');
    values.name = 'Partner';
    values.ooapi = {
      schac_home: ' partner.example.nl ',
      persons_url: 'https://p.example.nl/persons',
      associations_url: 'https://p.example.nl/associations',
      token_url: 'https://p.example.nl/token',
      client_id: 'cw',
      scopes: [],
      audience: '  ',
      introspection_url: '',
      introspection_client_id: 'left over',
      transport: 'direct',
      receiver_url: 'https://left.over',
      receiver_user: 'sis',
      stuck_after_hours: '',
      sis_url: ' ',
      introspection_secret_env: 'CW_INTROSPECT',
    };
    const draft = toDraft(values);
    // No SIS URL, and no introspection secret variable without an introspection URL.
    expect(draft.settings).not.toHaveProperty('sis_url');
    expect(draft.settings).not.toHaveProperty('introspection_secret_env');
    const kept = toDraft({
      ...values,
      ooapi: {
        ...values.ooapi,
        introspection_url: 'https://auth.example.nl/introspect',
        introspection_client_id: 'rs',
        sis_url: ' https://sis.example.nl/enroll ',
      },
    });
    // The CLI's introspection secret variable survives a save from the app.
    expect(kept.settings).toMatchObject({ sis_url: 'https://sis.example.nl/enroll', introspection_secret_env: 'CW_INTROSPECT' });
    expect(draft.settings).toMatchObject({
      kind: 'ooapi',
      schac_home: 'partner.example.nl',
      audience: null,
      introspection_url: null,
      introspection_client_id: null,
    });
    expect(draft.settings).not.toHaveProperty('transport');
    expect(draft.settings).not.toHaveProperty('receiver_url');
    expect(draft.settings).not.toHaveProperty('stuck_after_hours');
    expect(secretFieldsFor(values)).toEqual(['client_secret']);
  });

  it('through an enrollment receiver needs its URL, not a token URL, and its password', () => {
    const values = emptyFormValues('ooapi');
    values.name = 'Via receiver';
    values.ooapi = { ...values.ooapi, schac_home: 'tue.nl', persons_url: 'https://p.example.nl/persons', associations_url: 'https://p.example.nl/associations', transport: 'receiver' };
    expect(validateConnection(values)['ooapi.receiver_url']).toBeTruthy();
    expect(validateConnection(values)['ooapi.token_url']).toBeFalsy();
    values.ooapi.receiver_url = ' https://receiver.example.edu ';
    values.ooapi.receiver_user = ' ';
    expect(validateConnection(values)['ooapi.receiver_url']).toBeFalsy();
    expect(toDraft(values).settings).toMatchObject({ transport: 'receiver', receiver_url: 'https://receiver.example.edu', receiver_user: 'sis' });
    expect(secretFieldsFor(values)).toEqual(['receiver_password']);
  });

  it('sends a manual proxy, the CA file and the timeouts, and keeps the environment variable', () => {
    const values = emptyFormValues('openlearning');
    values.name = 'OL';
    values.openlearning = { base_url: 'https://api.openlearning.com/v2.1/', institution_id: ' inst-1 ', api_key_style: 'query' };
    values.network = {
      proxy_mode: 'manual',
      proxy_url: ' http://proxy.example.edu:3128 ',
      proxy_bypass: ' localhost, .example.edu ',
      extra_ca_file: ' /etc/ssl/uni.pem ',
      connect_timeout_secs: 5,
      total_timeout_secs: '120',
    };
    expect(toDraft(values, 'OL_API_KEY')).toEqual({
      name: 'OL',
      settings: {
        kind: 'openlearning',
        base_url: 'https://api.openlearning.com/v2.1/',
        institution_id: 'inst-1',
        api_key_style: 'query',
      },
      network: {
        proxy: { mode: 'manual', url: 'http://proxy.example.edu:3128', bypass: 'localhost, .example.edu' },
        extra_ca_file: '/etc/ssl/uni.pem',
        connect_timeout_secs: 5,
        total_timeout_secs: 120,
      },
      secret_env: 'OL_API_KEY',
    });
  });

  it('round-trips a saved connection through the form unchanged', () => {
    const profile: Profile = {
      id: 'partner',
      name: 'Partner university',
      settings: {
        kind: 'ooapi',
        schac_home: 'partner.example.nl',
        persons_url: 'https://p.example.nl/persons',
        associations_url: 'https://p.example.nl/associations',
        token_url: 'https://p.example.nl/token',
        client_id: 'cw',
        scopes: ['associations'],
        audience: 'https://p.example.nl',
        introspection_url: 'https://auth.example.edu/introspect',
        introspection_client_id: 'rs',
      },
      network: {
        proxy: { mode: 'manual', url: 'http://proxy:3128', bypass: '' },
        extra_ca_file: '/etc/ca.pem',
        connect_timeout_secs: 7,
        total_timeout_secs: 70,
      },
      secret_env: 'PARTNER_SECRET',
      demo: false,
      created_at: '',
      updated_at: '',
    };
    const { id: _id, demo: _demo, created_at: _c, updated_at: _u, ...draft } = profile;
    expect(toDraft(formValuesFromProfile(profile), profile.secret_env)).toEqual(draft);
    expect(validateConnection(formValuesFromProfile(profile))).toEqual({});
  });

  it('cannot be built before a kind is chosen', () => {
    expect(() => toDraft(emptyFormValues())).toThrow(/kind/);
  });

  it('tidies lists', () => {
    expect(tidyList([' a', 'b ', '', '  ', 'a'])).toEqual(['a', 'b']);
  });
});

describe('secret fields', () => {
  it('follow the kind, with the introspection secret only when there is an introspection URL', () => {
    expect(secretFieldsFor(emptyFormValues())).toEqual([]);
    expect(secretFieldsFor(emptyFormValues('openedx'))).toEqual(['client_secret']);
    expect(secretFieldsFor(emptyFormValues('openlearning'))).toEqual(['api_key']);
    const ooapi = emptyFormValues('ooapi');
    expect(secretFieldsFor(ooapi)).toEqual(['client_secret']);
    ooapi.ooapi.introspection_url = 'https://auth.example.edu/introspect';
    expect(secretFieldsFor(ooapi)).toEqual(['client_secret', 'introspection_secret']);
  });

  it('sends only the secrets that were typed, trimmed', () => {
    const typed: Record<string, string> = { client_secret: '  s3cret\n', introspection_secret: '   ' };
    expect(typedSecrets(['client_secret', 'introspection_secret'], (f) => typed[f] ?? '')).toEqual([
      { field: 'client_secret', value: 's3cret' },
    ]);
  });

  it('say whether a secret is set, never what it is', () => {
    expect(secretPlaceholder({ field: 'client_secret', label: 'client secret', source: 'keyring' }, null)).toBe(
      'Set — type to replace',
    );
    expect(secretPlaceholder({ field: 'client_secret', label: 'client secret', source: 'not_set' }, null)).toBe('Not set');
    expect(secretPlaceholder(null, null)).toMatch(/^Optional/);
  });
});
