import { describe, expect, it } from 'vitest';
import type { LookupResult, LookupRow, MatchedBy, MirrorStatus, SyncRecord } from '../bindings';
import {
  lookupPercent,
  lookupPhase,
  lookupProgressText,
  lookupSummary,
  mergeLookup,
  mirrorAge,
  notCheckedIds,
  notFoundIn,
  offlineNotice,
  rowAge,
  rowAsText,
  toExportRows,
  type LiveOutcome,
} from './lookup';

const SYNCED = '2025-03-14T09:00:00Z';
const NOW = '2025-03-14T12:00:00Z';

function row(username: string, remote: string, provider: string, source: 'cache' | 'live', matched: MatchedBy = 'username'): LookupRow {
  return { username, remote_id: remote, provider_id: provider, matched_by: matched, source, as_of: source === 'cache' ? SYNCED : NOW };
}

function result(rows: LookupRow[], extra: Partial<LookupResult> = {}): LookupResult {
  return { rows, not_found: [], not_checked: [], requests: 1, cancelled: false, errors: [], ...extra };
}

const live = (r: LookupResult): LiveOutcome => ({ kind: 'result', result: r });

describe('merging the mirror’s answer with the live one', () => {
  const ids = ['ann', 'bob', 'carl'];
  const providers = ['saml-a', 'saml-b'];
  const cache = result([
    row('ann', 's1', 'saml-a', 'cache'),
    row('bob', 's2-old', 'saml-a', 'cache'),
    row('carl', 's3', 'saml-b', 'cache'),
  ]);

  it('shows the mirror alone until the LMS answers', () => {
    const merged = mergeLookup(ids, providers, cache, null);
    expect(merged.rows.map((r) => r.source)).toEqual(['cache', 'cache', 'cache']);
    expect(merged.notFound).toEqual([]);
    expect(merged.offline).toBe(false);
    expect(lookupPhase(null, merged)).toBe('mirror');
  });

  it('lets a complete live answer replace the mirror: a learner the LMS no longer links is gone', () => {
    const answer = result([row('bob', 's2-new', 'saml-a', 'live'), row('ann', 's1', 'saml-a', 'live')]);
    const merged = mergeLookup(ids, providers, cache, live(answer));
    expect(merged.rows).toEqual([row('ann', 's1', 'saml-a', 'live'), row('bob', 's2-new', 'saml-a', 'live')]);
    expect(merged.notFound).toEqual(['carl']);
    expect(merged.incomplete).toEqual([]);
    expect(lookupPhase(live(answer), merged)).toBe('live');
  });

  it('keeps the mirror and says so when the LMS cannot be reached', () => {
    const failed: LiveOutcome = { kind: 'failed', code: 'unreachable', message: 'Could not reach Open edX.' };
    const merged = mergeLookup(ids, providers, cache, failed);
    expect(merged.rows).toHaveLength(3);
    expect(merged.rows.every((r) => r.source === 'cache')).toBe(true);
    expect(merged.offline).toBe(true);
    expect(lookupPhase(failed, merged)).toBe('offline');
  });

  it('never calls an identifier "not found" when Open edX could not be asked about it', () => {
    const failed: LiveOutcome = { kind: 'failed', code: 'unreachable', message: 'Could not reach Open edX.' };
    const merged = mergeLookup(['ann', 'zed'], providers, cache, failed);
    expect(merged.notFound).toEqual([]);
    expect(merged.notChecked).toEqual([{ providerId: null, reason: 'Could not reach Open edX.', ids: ['zed'] }]);

    const refused = result([], {
      not_checked: [{ provider_id: 'saml-x', reason: 'The Open edX LMS answered 403: not permitted', ids: ['u1', 'u2'] }],
      errors: ['saml-x: The Open edX LMS answered 403: not permitted'],
    });
    const both = mergeLookup(['u1', 'u2'], ['saml-x'], null, live(refused));
    expect(both.notFound).toEqual([]);
    expect(both.notChecked).toEqual([{ providerId: 'saml-x', reason: 'The Open edX LMS answered 403: not permitted', ids: ['u1', 'u2'] }]);
    expect(notCheckedIds(both.notChecked)).toEqual(['u1', 'u2']);
  });

  it('treats a live answer whose every request failed as no answer', () => {
    const answer = result([], { errors: ['saml-a: connection refused', 'saml-b: connection refused'], requests: 0 });
    const merged = mergeLookup(ids, providers, cache, live(answer));
    expect(merged.rows).toHaveLength(3);
    expect(merged.offline).toBe(true);
  });

  it('keeps mirror rows only for the provider whose requests failed', () => {
    const answer = result([row('ann', 's1', 'saml-a', 'live')], {
      errors: ['saml-b: Open edX refused (403)'],
      not_checked: [{ provider_id: 'saml-b', reason: 'Open edX refused (403)', ids: ['ann', 'bob', 'carl'] }],
    });
    const merged = mergeLookup(ids, providers, cache, live(answer));
    expect(merged.incomplete).toEqual(['saml-b']);
    expect(merged.rows).toEqual([row('ann', 's1', 'saml-a', 'live'), row('carl', 's3', 'saml-b', 'cache')]);
    // saml-a answered "no" for bob, but saml-b was not asked: bob is not checked, not "not found".
    expect(merged.notFound).toEqual([]);
    expect(merged.notChecked).toEqual([{ providerId: 'saml-b', reason: 'Open edX refused (403)', ids: ['bob'] }]);
    expect(merged.offline).toBe(false);
    expect(lookupPhase(live(answer), merged)).toBe('partial');
  });

  it('after a cancel keeps what arrived, and the mirror for the rest, live rows winning', () => {
    const answer = result([row('bob', 's2-new', 'saml-a', 'live')], { cancelled: true });
    const merged = mergeLookup(ids, providers, cache, live(answer));
    expect(merged.rows).toEqual([
      row('ann', 's1', 'saml-a', 'cache'),
      row('bob', 's2-new', 'saml-a', 'live'),
      row('carl', 's3', 'saml-b', 'cache'),
    ]);
    expect(lookupPhase(live(answer), merged)).toBe('cancelled');
  });

  it('drops a mirror row when the LMS returned the same remote ID for someone else', () => {
    const byRemote = result([row('ann', 's1', 'saml-a', 'cache', 'remote_id')]);
    const answer = result([row('ann-renamed', 's1', 'saml-a', 'live', 'remote_id')], { cancelled: true });
    const merged = mergeLookup(['s1'], ['saml-a'], byRemote, live(answer));
    expect(merged.rows.map((r) => r.username)).toEqual(['ann-renamed']);
  });

  it('orders rows by the identifier that found them, then by provider', () => {
    const answer = result([
      row('carl', 'x3', 'saml-b', 'live'),
      row('ann', 'x1', 'saml-b', 'live'),
      row('ann', 'y1', 'saml-a', 'live'),
    ]);
    const merged = mergeLookup(ids, providers, null, live(answer));
    expect(merged.rows.map((r) => `${r.username}@${r.provider_id}`)).toEqual(['ann@saml-a', 'ann@saml-b', 'carl@saml-b']);
  });

  it('counts an identifier answered by either side of an Auto match', () => {
    const rows = [row('ann', 's9', 'saml-a', 'live', 'both'), row('zed', 's2', 'saml-a', 'live', 'remote_id')];
    expect(notFoundIn(['ann', 's9', 's2', 'zed', 'ghost'], rows)).toEqual(['zed', 'ghost']);
  });

  it('has nothing to show before either answer', () => {
    expect(mergeLookup(ids, providers, null, null)).toEqual({
      rows: [],
      notFound: ids,
      notChecked: [],
      incomplete: providers,
      offline: false,
    });
  });
});

describe('progress', () => {
  const progress = { done_ids: 1200, total_ids: 10_000, requests: 24, rows: 1180, elapsed_ms: 5000, eta_ms: 40_000 };

  it('reads "1,200 of 10,000 identifiers · 24 requests · about 40 s left"', () => {
    expect(lookupProgressText(progress, 10_000, 1, 'en-US')).toBe(
      '1,200 of 10,000 identifiers · 24 requests · about 40 s left',
    );
    expect(lookupPercent(progress)).toBe(12);
  });

  it('says how the total is made up when several providers are asked', () => {
    expect(lookupProgressText({ ...progress, total_ids: 20_000 }, 10_000, 2, 'en-US')).toBe(
      '1,200 of 20,000 identifiers (10,000 on each of 2 providers) · 24 requests · about 40 s left',
    );
  });

  it('has something to say before the first chunk is back', () => {
    expect(lookupProgressText(null, 5000, 1, 'en-US')).toBe('0 of 5,000 identifiers · starting');
    expect(lookupProgressText({ ...progress, requests: 1, eta_ms: null }, 10_000, 1, 'en-US')).toBe(
      '1,200 of 10,000 identifiers · 1 request · working out the time left',
    );
    expect(lookupPercent(null)).toBe(0);
  });
});

describe('summary', () => {
  const counts = { ids: 3, rows: 4, notFound: 1, requests: 2 };
  it('says where the rows come from', () => {
    expect(lookupSummary('live', counts, 'en-US')).toBe(
      '3 identifiers: 4 rows found, 1 not found · live answer from Open edX (2 requests)',
    );
    expect(lookupSummary('mirror', { ...counts, ids: 1, rows: 1 }, 'en-US')).toBe(
      '1 identifier: 1 row found in the local mirror so far · asking Open edX for the live answer…',
    );
    expect(lookupSummary('offline', counts, 'en-US')).toContain('no live answer from Open edX');
    expect(lookupSummary('partial', { ...counts, notChecked: 2 }, 'en-US')).toBe(
      '3 identifiers: 4 rows found, 1 not found, 2 not checked · some requests failed, so rows for those providers come from the local mirror',
    );
    expect(lookupSummary('offline', { ...counts, notChecked: 2 }, 'en-US')).toBe(
      '3 identifiers: 4 rows found in the local mirror, 2 not checked · no live answer from Open edX',
    );
    expect(lookupSummary('cancelled', counts, 'en-US')).toContain('cancelled');
    expect(lookupSummary('partial', counts, 'en-US')).toContain('some requests failed');
  });
});

describe('ages', () => {
  const now = new Date(NOW);
  it('says how old each row is', () => {
    expect(rowAge({ source: 'cache', as_of: SYNCED }, now)).toBe('synced 3 h ago');
    expect(rowAge({ source: 'cache', as_of: '' }, now)).toBe('mirror never synced');
    expect(rowAge({ source: 'live', as_of: NOW }, now)).toBe('fetched just now');
  });

  function status(provider: string, finished: string | null): MirrorStatus {
    const last: SyncRecord | null = finished
      ? { id: 1, profile_id: 'p', provider_id: provider, started_at: finished, finished_at: finished, status: 'done', count: 1, added: 1, removed: 0, changed: 0, note: '' }
      : null;
    return { provider_id: provider, size: 1, last_sync: last };
  }

  it('gives the mirror’s age as its oldest sync, leaving out providers never synced', () => {
    const statuses = [status('saml-a', SYNCED), status('saml-b', '2025-03-13T12:00:00Z'), status('saml-c', null)];
    expect(mirrorAge(statuses, ['saml-a'], now)).toBe('3 h ago');
    expect(mirrorAge(statuses, ['saml-a', 'saml-b'], now)).toBe('1 d ago');
    expect(mirrorAge(statuses, ['saml-a', 'saml-c'], now)).toBe('3 h ago');
    expect(mirrorAge(statuses, ['saml-c'], now)).toBeNull();
    expect(mirrorAge(undefined, ['saml-a'], now)).toBeNull();
  });

  it('puts the age and the back end’s message in the offline notice', () => {
    expect(offlineNotice('3 h ago', 'Could not reach Open edX. Check that you are online.')).toBe(
      'Showing the local mirror from 3 h ago: the LMS could not be reached — Could not reach Open edX. Check that you are online.',
    );
    expect(offlineNotice(null, 'x')).toBe('Showing the local mirror only: the LMS could not be reached — x');
  });
});

describe('copy and export', () => {
  const r = row('ann', 's1', 'saml-a', 'live', 'both');
  it('copies a row as tab-separated cells', () => {
    expect(rowAsText(r)).toBe(`ann\ts1\tsaml-a\tboth\tlive\t${NOW}`);
  });
  it('exports rows as plain strings', () => {
    expect(toExportRows([r])).toEqual([
      { username: 'ann', remote_id: 's1', provider_id: 'saml-a', matched_by: 'both', source: 'live', as_of: NOW },
    ]);
  });
});
