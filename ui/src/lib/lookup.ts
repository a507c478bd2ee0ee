// What the Look up tab shows: the mirror's answer at once, then the LMS's live answer over it.
// Pure functions, so the rules (which rows win, what counts as not found, how progress reads) are
// tested without a window.
import type {
  LookupMode,
  LookupProgress,
  LookupResult,
  LookupRow,
  LookupRowInput,
  MatchedBy,
  MirrorStatus,
  Source,
} from '../bindings';
import { countOf, formatAgo, formatCount, formatTimeLeft } from './format';

export const modeLabels: Record<LookupMode, string> = {
  username: 'Username',
  remote_id: 'Remote ID',
  auto: 'Auto',
};

export const modeExplanations: Record<LookupMode, string> = {
  username: 'The identifiers are Open edX usernames.',
  remote_id: "The identifiers are remote IDs from the identity provider (for example student numbers).",
  auto: 'Not sure? Each identifier is tried both as a username and as a remote ID; the table says which one matched.',
};

export const matchedByLabels: Record<MatchedBy, string> = {
  username: 'Username',
  remote_id: 'Remote ID',
  both: 'Both',
};

export const sourceLabels: Record<Source, string> = { cache: 'Cache', live: 'Live' };

/** The live lookup as it ended: a result, or the failure of the whole call. */
export type LiveOutcome = { kind: 'result'; result: LookupResult } | { kind: 'failed'; code: string; message: string };

/** Identifiers Open edX could not be asked about on a provider (or on any, when `providerId` is null). */
export interface NotCheckedGroup {
  providerId: string | null;
  reason: string;
  ids: string[];
}

export interface MergedLookup {
  rows: LookupRow[];
  /**
   * Identifiers Open edX answered for on every provider asked, with no row: truly not linked.
   * Never an identifier whose request failed, was refused or was cancelled (those are `notChecked`).
   */
  notFound: string[];
  /** Identifiers with no row that some provider could not check, grouped by provider and reason. */
  notChecked: NotCheckedGroup[];
  /**
   * Providers whose live answer is incomplete (a failed chunk, a cancel, or no live answer at all):
   * their mirror rows are kept where the LMS said nothing about the same learner.
   */
  incomplete: string[];
  /** The LMS answered nothing at all: what is shown is the mirror only. */
  offline: boolean;
}

function rowKey(row: LookupRow): string {
  return `${row.provider_id}\u0000${row.username}\u0000${row.remote_id}`;
}

/** The identifiers a row answers. */
function answers(row: LookupRow): string[] {
  switch (row.matched_by) {
    case 'username':
      return [row.username];
    case 'remote_id':
      return [row.remote_id];
    case 'both':
      return [row.username, row.remote_id];
  }
}

/** The providers a live result is incomplete for. A failed chunk's message starts with its provider. */
function incompleteProviders(result: LookupResult, providers: string[]): string[] {
  if (result.cancelled) return providers;
  const failed = new Set<string>();
  for (const error of result.errors) {
    const provider = providers.find((p) => error.startsWith(`${p}: `));
    // A failure that names no provider may have hit any of them.
    if (provider === undefined) return providers;
    failed.add(provider);
  }
  return providers.filter((p) => failed.has(p));
}

/** Identifiers no row answers, in the order given. */
export function notFoundIn(ids: string[], rows: LookupRow[]): string[] {
  const answered = new Set(rows.flatMap(answers));
  return ids.filter((id) => !answered.has(id));
}

/**
 * The rows to show. The live answer is authoritative for every provider it fully answered: the
 * mirror's rows for those providers are dropped (a learner the LMS no longer links is gone). Where
 * the live answer is missing or incomplete, mirror rows stay, unless the LMS returned the same
 * learner (same username or remote ID on that provider), whose live row wins.
 * Rows come in the order of the identifiers that found them, then by provider.
 */
export function mergeLookup(
  ids: string[],
  providers: string[],
  cache: LookupResult | null,
  live: LiveOutcome | null,
): MergedLookup {
  const cacheRows = cache?.rows ?? [];
  let rows: LookupRow[];
  let incomplete: string[];
  let offline = false;

  if (live === null || live.kind === 'failed') {
    rows = [...cacheRows];
    incomplete = providers;
    offline = live !== null;
  } else {
    const { result } = live;
    incomplete = incompleteProviders(result, providers);
    const partial = new Set(incomplete);
    const seen = new Set(result.rows.map(rowKey));
    const liveUsers = new Set(result.rows.map((r) => `${r.provider_id}\u0000u\u0000${r.username}`));
    const liveRemotes = new Set(result.rows.map((r) => `${r.provider_id}\u0000r\u0000${r.remote_id}`));
    const kept = cacheRows.filter(
      (r) =>
        partial.has(r.provider_id) &&
        !seen.has(rowKey(r)) &&
        !liveUsers.has(`${r.provider_id}\u0000u\u0000${r.username}`) &&
        !liveRemotes.has(`${r.provider_id}\u0000r\u0000${r.remote_id}`),
    );
    rows = [...result.rows, ...kept];
    offline =
      !result.cancelled &&
      result.rows.length === 0 &&
      result.errors.length > 0 &&
      incomplete.length === providers.length;
  }

  // Deduplicate (the first of equal rows wins: live rows come first), then order by input.
  const unique = new Map<string, LookupRow>();
  for (const row of rows) if (!unique.has(rowKey(row))) unique.set(rowKey(row), row);
  const position = new Map(ids.map((id, i) => [id, i]));
  const firstInput = (row: LookupRow) =>
    Math.min(...answers(row).map((id) => position.get(id) ?? Number.MAX_SAFE_INTEGER));
  const sorted = [...unique.values()]
    .map((row, i) => ({ row, i, at: firstInput(row) }))
    .sort((a, b) => a.at - b.at || a.row.provider_id.localeCompare(b.row.provider_id) || a.i - b.i)
    .map((x) => x.row);

  const unanswered = notFoundIn(ids, sorted);
  let notChecked: NotCheckedGroup[] = [];
  let notFound = unanswered;
  if (live?.kind === 'failed') {
    notChecked = unanswered.length > 0 ? [{ providerId: null, reason: live.message, ids: unanswered }] : [];
    notFound = [];
  } else if (live?.kind === 'result') {
    const open = new Set(unanswered);
    notChecked = live.result.not_checked
      .map((g) => ({ providerId: g.provider_id, reason: g.reason, ids: g.ids.filter((id) => open.has(id)) }))
      .filter((g) => g.ids.length > 0);
    const unchecked = new Set(notChecked.flatMap((g) => g.ids));
    notFound = unanswered.filter((id) => !unchecked.has(id));
  }
  return { rows: sorted, notFound, notChecked, incomplete, offline };
}

/** Every identifier in the groups, once, in the order first listed. */
export function notCheckedIds(groups: NotCheckedGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => g.ids))];
}

/** "1,200 of 10,000 identifiers · 24 requests · about 40 s left". */
export function lookupProgressText(
  progress: LookupProgress | null,
  idCount: number,
  providerCount: number,
  locale?: string,
): string {
  const n = (x: number) => formatCount(x, locale);
  const per = providerCount > 1 ? ` (${n(idCount)} on each of ${providerCount} providers)` : '';
  if (progress === null) {
    const total = idCount * Math.max(providerCount, 1);
    return `0 of ${n(total)} identifiers${per} · starting`;
  }
  return [
    `${n(progress.done_ids)} of ${n(progress.total_ids)} identifiers${per}`,
    countOf(progress.requests, 'request', undefined, locale),
    formatTimeLeft(progress.eta_ms),
  ].join(' · ');
}

/** Percent done, 0–100. */
export function lookupPercent(progress: LookupProgress | null): number {
  if (!progress || progress.total_ids === 0) return 0;
  return Math.min(100, (progress.done_ids / progress.total_ids) * 100);
}

/** The Age column: "synced 3 h ago" for a mirror row, "fetched just now" for a live one. */
export function rowAge(row: Pick<LookupRow, 'source' | 'as_of'>, now: Date = new Date()): string {
  const ago = formatAgo(row.as_of, now);
  if (row.source === 'live') return ago ? `fetched ${ago}` : 'fetched live';
  return ago ? `synced ${ago}` : 'mirror never synced';
}

/**
 * How old the mirror's answer is for these providers: the oldest last sync among those ever synced
 * (the others have nothing in the mirror), or null when none was.
 */
export function mirrorAge(statuses: MirrorStatus[] | undefined, providers: string[], now: Date = new Date()): string | null {
  if (!statuses) return null;
  let oldest: number | null = null;
  for (const provider of providers) {
    const finished = statuses.find((s) => s.provider_id === provider)?.last_sync?.finished_at;
    const at = finished ? Date.parse(finished) : Number.NaN;
    if (!Number.isNaN(at) && (oldest === null || at < oldest)) oldest = at;
  }
  return oldest === null ? null : formatAgo(new Date(oldest), now);
}

/** The notice shown when the LMS gave no live answer and the rows come from the mirror. */
export function offlineNotice(age: string | null, message: string): string {
  const from = age ? `Showing the local mirror from ${age}` : 'Showing the local mirror only';
  return `${from}: the LMS could not be reached — ${message}`;
}

/** The rows as export_lookup takes them: plain strings, as written to the file. */
export function toExportRows(rows: LookupRow[]): LookupRowInput[] {
  return rows.map((r) => ({
    username: r.username,
    remote_id: r.remote_id,
    provider_id: r.provider_id,
    matched_by: r.matched_by,
    source: r.source,
    as_of: r.as_of,
  }));
}

/** A row as copied to the clipboard: tab-separated, so it pastes into a spreadsheet as cells. */
export function rowAsText(row: LookupRow): string {
  return [row.username, row.remote_id, row.provider_id, row.matched_by, row.source, row.as_of].join('\t');
}

/** One line per identifier, ready to paste into a spreadsheet column. */
export function idsAsText(ids: string[]): string {
  return ids.join('\n');
}

/** Where a lookup stands, for its one-line summary. */
export type LookupPhase = 'mirror' | 'live' | 'partial' | 'cancelled' | 'offline';

export function lookupPhase(live: LiveOutcome | null, merged: Pick<MergedLookup, 'offline' | 'incomplete'>): LookupPhase {
  if (live === null) return 'mirror';
  if (live.kind === 'failed' || merged.offline) return 'offline';
  if (live.result.cancelled) return 'cancelled';
  return merged.incomplete.length > 0 ? 'partial' : 'live';
}

/** "3 identifiers: 4 rows found, 1 not found · live answer from Open edX (2 requests)". */
export function lookupSummary(
  phase: LookupPhase,
  counts: { ids: number; rows: number; notFound: number; notChecked?: number; requests: number },
  locale?: string,
): string {
  const ids = countOf(counts.ids, 'identifier', undefined, locale);
  const rows = countOf(counts.rows, 'row', undefined, locale);
  const unchecked = counts.notChecked ? `, ${formatCount(counts.notChecked, locale)} not checked` : '';
  const missing = `${formatCount(counts.notFound, locale)} not found${unchecked}`;
  switch (phase) {
    case 'mirror':
      return `${ids}: ${rows} found in the local mirror so far · asking Open edX for the live answer…`;
    case 'live':
      return `${ids}: ${rows} found, ${missing} · live answer from Open edX (${countOf(counts.requests, 'request', undefined, locale)})`;
    case 'partial':
      return `${ids}: ${rows} found, ${missing} · some requests failed, so rows for those providers come from the local mirror`;
    case 'cancelled':
      return `${ids}: cancelled · ${rows} found so far, ${missing} · where Open edX was not asked yet, rows come from the local mirror`;
    case 'offline':
      return `${ids}: ${rows} found in the local mirror${unchecked} · no live answer from Open edX`;
  }
}
