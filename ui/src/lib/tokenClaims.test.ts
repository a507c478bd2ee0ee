import { describe, expect, it } from 'vitest';
import type { JwtClaims } from '../bindings';
import { claimRows, providerAccess } from './tokenClaims';

const restricted: JwtClaims = {
  scopes: ['read', 'write', 'tpa:read'],
  filters: ['tpa_provider:saml-demo-univ', 'tpa_provider:oa2-google-oauth2', 'content_org:DemoX'],
  is_restricted: true,
  exp: 1741949267,
  iat: 1741945667,
  iss: 'http://127.0.0.1:47801/openedx/oauth2',
  preferred_username: 'crosswalk-service',
  grant_type: 'client-credentials',
};

describe('token claims', () => {
  it('always show scopes and filters, and the rest when present', () => {
    const rows = claimRows(restricted);
    expect(rows.map((r) => r.label)).toEqual([
      'Scopes',
      'Filters',
      'Restricted application',
      'Signed in as',
      'Grant',
      'Issued by',
      'Issued',
      'Expires',
    ]);
    expect(rows[0]?.value).toEqual(['read', 'write', 'tpa:read']);

    const bare: JwtClaims = { ...restricted, scopes: [], filters: [], is_restricted: null, exp: null, iat: null, iss: null, preferred_username: null, grant_type: null };
    expect(claimRows(bare)).toEqual([
      { label: 'Scopes', value: [] },
      { label: 'Filters', value: [] },
    ]);
  });

  it('say which watched providers a restricted application may read', () => {
    expect(providerAccess(restricted, ['saml-demo-univ', 'saml-partner'])).toEqual([
      { provider: 'saml-demo-univ', readable: true },
      { provider: 'saml-partner', readable: false },
    ]);
    // Without tpa:read no filter helps.
    expect(providerAccess({ ...restricted, scopes: ['read'] }, ['saml-demo-univ'])).toEqual([
      { provider: 'saml-demo-univ', readable: false },
    ]);
    // An unrestricted application's own permissions decide; the token does not say.
    expect(providerAccess({ ...restricted, is_restricted: false }, ['saml-demo-univ'])).toBeNull();
  });
});
