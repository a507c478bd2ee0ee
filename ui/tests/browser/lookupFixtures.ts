// The core's answers to lookups, canned per spec: the mocked back end records the page's request and
// answers with these, evaluating nothing (which ids match, what is "not found", how refusals are
// grouped are the core's rules, tested in Rust and in real/learners.spec.ts).
import type { LookupResult, LookupRow, MatchedBy, NotChecked, Source } from '../../src/bindings';
import { deniedError, remoteIdAt } from './fixtures';

/** A result holding `rows`; the other fields default to one request, nothing missing or refused. */
export function result(rows: LookupRow[], fields: Partial<LookupResult> = {}): LookupResult {
  return { rows, not_found: [], not_checked: [], requests: 1, cancelled: false, errors: [], ...fields };
}

export function row(username: string, remoteId: string, provider: string, source: Source, asOf: string, matchedBy: MatchedBy = 'username'): LookupRow {
  return { username, remote_id: remoteId, provider_id: provider, matched_by: matchedBy, source, as_of: asOf };
}

/** An instant `hours` before now, as the `as_of` of a mirror's row. */
export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

export const FOUR_PROVIDERS = ['saml-demo-univ', 'saml-partner', 'oa2-google-oauth2', 'saml-very-long-provider-name'];

/** Live rows for the learners at zero-based `indexes`, on each of `providers`. */
export function liveRows(indexes: number[], providers: string[] = FOUR_PROVIDERS): LookupRow[] {
  const now = new Date().toISOString();
  return providers.flatMap((p) =>
    indexes.map((i) => row(`learner${String(i + 1).padStart(4, '0')}`, remoteIdAt(p, i), p, 'live', now)),
  );
}

/** Ids a refused provider could not answer for, grouped as the core groups them. */
export function refused(providers: string[], ids: string[]): Pick<LookupResult, 'not_checked' | 'errors'> {
  const notChecked: NotChecked[] = providers.map((p) => ({ provider_id: p, reason: deniedError.message, ids }));
  return { not_checked: notChecked, errors: providers.map((p) => `${p}: ${deniedError.message}`) };
}
