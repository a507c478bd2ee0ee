// What "Test connection" shows about the access token it got. For Open edX, a restricted
// application's JWT may read a provider's learners only with the scope `tpa:read` and the filter
// `tpa_provider:<provider id>`; these rows let support staff see which is missing.
import type { JwtClaims } from '../bindings';
import { formatLocalTime } from './format';

export interface ClaimRow {
  label: string;
  /** A list is shown as tags; an empty list as "none". */
  value: string | string[];
}

export const PROVIDER_READ_SCOPE = 'tpa:read';

function when(seconds: number | null): string | null {
  return seconds === null ? null : formatLocalTime(new Date(seconds * 1000));
}

/** Scopes and filters always; the rest when the token carries them. */
export function claimRows(claims: JwtClaims): ClaimRow[] {
  const rows: ClaimRow[] = [
    { label: 'Scopes', value: claims.scopes },
    { label: 'Filters', value: claims.filters },
  ];
  const optional: [string, string | null][] = [
    [
      'Restricted application',
      claims.is_restricted === null ? null : claims.is_restricted ? 'Yes: only what its filters allow' : 'No',
    ],
    ['Signed in as', claims.preferred_username],
    ['Grant', claims.grant_type],
    ['Issued by', claims.iss],
    ['Issued', when(claims.iat)],
    ['Expires', when(claims.exp)],
  ];
  for (const [label, value] of optional) if (value !== null && value !== '') rows.push({ label, value });
  return rows;
}

export interface ProviderAccess {
  provider: string;
  readable: boolean;
}

/**
 * For a restricted Open edX application: which of the watched providers its token lets Crosswalk
 * read. Null when the token is not restricted (then the application's own permissions decide,
 * which the token does not show).
 */
export function providerAccess(claims: JwtClaims, providers: string[]): ProviderAccess[] | null {
  if (claims.is_restricted !== true) return null;
  const canRead = claims.scopes.includes(PROVIDER_READ_SCOPE);
  const filtered = new Set(
    claims.filters
      .map((f) => /^tpa_provider:(.+)$/.exec(f)?.[1])
      .filter((p): p is string => p !== undefined),
  );
  return providers.map((provider) => ({ provider, readable: canRead && filtered.has(provider) }));
}
