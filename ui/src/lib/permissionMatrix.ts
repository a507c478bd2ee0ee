// The Permissions tab's matrix: one row per Open edX connection, one column per provider id any of
// them watches, each cell what the LMS said when Crosswalk asked for one learner of that provider.
import type { Access, PermissionCell, PermissionRow } from '../bindings';

/** A filter entry holds at most 32 characters and `tpa_provider:` takes 13 of them. */
export const MAX_GRANTABLE_PROVIDER_ID = 19;

export const accessLabels: Record<Access, string> = {
  granted: 'Granted',
  not_permitted: 'Not permitted',
  unknown_provider: 'Unknown provider',
  error: 'Error',
};

export const accessColors: Record<Access, string> = {
  granted: 'teal',
  not_permitted: 'red',
  unknown_provider: 'orange',
  error: 'gray',
};

export interface PermissionCellView {
  provider: string;
  /** `not_watched` when this connection does not watch the column's provider. */
  access: Access | 'not_watched';
  label: string;
  color: string;
  /** What the LMS answered: "Not permitted (HTTP 403): …". */
  answer: string;
  /** Shown in the tooltip: what the LMS answered, and what the token says. */
  tooltip: string;
  /** The steps for the LMS operator, when there is something to grant. */
  fix: string | null;
  /** False when a restricted JWT lacks the scope or filter for this provider. */
  tokenAllows: boolean | null;
}

export function cellView(cell: PermissionCell): PermissionCellView {
  const status = cell.status === null ? '' : ` (HTTP ${cell.status})`;
  const answer = cell.detail
    ? `${accessLabels[cell.access]}${status}: ${cell.detail}`
    : `${accessLabels[cell.access]}${status}.`;
  const lines = [answer];
  if (cell.token_allows === false) {
    lines.push(
      `The access token does not allow this provider: it needs the scope tpa:read and the filter tpa_provider:${cell.provider_id}.`,
    );
  } else if (cell.token_allows === true) {
    lines.push('The access token has the scope and filter for this provider.');
  }
  if (cell.fix) lines.push('Click to see how to grant it.');
  return {
    provider: cell.provider_id,
    access: cell.access,
    label: accessLabels[cell.access],
    answer,
    color: accessColors[cell.access],
    tooltip: lines.join(' '),
    fix: cell.fix,
    tokenAllows: cell.token_allows,
  };
}

function notWatched(provider: string): PermissionCellView {
  return {
    provider,
    access: 'not_watched',
    label: 'Not watched',
    answer: 'Not checked.',
    color: 'gray',
    tooltip: 'This connection does not watch this provider, so it was not checked.',
    fix: null,
    tokenAllows: null,
  };
}

export interface PermissionMatrix {
  /** Every provider any connection watches, in the order first seen. */
  providers: string[];
  rows: { row: PermissionRow; cells: PermissionCellView[] }[];
}

export function permissionMatrix(rows: PermissionRow[]): PermissionMatrix {
  const providers: string[] = [];
  for (const row of rows) for (const cell of row.cells) if (!providers.includes(cell.provider_id)) providers.push(cell.provider_id);
  return {
    providers,
    rows: rows.map((row) => ({
      row,
      cells: providers.map((p) => {
        const cell = row.cells.find((c) => c.provider_id === p);
        return cell ? cellView(cell) : notWatched(p);
      }),
    })),
  };
}

/** "3 of 4 providers readable". */
export function rowSummary(row: PermissionRow): string {
  if (row.problem) return 'Not checked';
  const granted = row.cells.filter((c) => c.access === 'granted').length;
  return `${granted} of ${row.cells.length} provider${row.cells.length === 1 ? '' : 's'} readable`;
}

/** Provider ids too long to be granted with a `tpa_provider:` filter. */
export function tooLongToGrant(providers: string[]): string[] {
  return providers.filter((p) => p.length > MAX_GRANTABLE_PROVIDER_ID);
}
