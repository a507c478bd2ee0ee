// Which column of a grade report holds what, and the request that matches it. The back end guesses
// the columns (`GradeFile.columns`); the person checks and corrects them before matching.
import type { ColumnMap, GradeFile, ReconcileRequest } from '../bindings';

export type ColumnRole = keyof ColumnMap;

export interface ColumnRoleInfo {
  role: ColumnRole;
  label: string;
  description: string;
  required: boolean;
}

export const columnRoles: readonly ColumnRoleInfo[] = [
  {
    role: 'username',
    label: 'Username',
    description: 'The Open edX usernames: learners are matched by these (required)',
    required: true,
  },
  { role: 'student_id', label: 'Student ID', description: 'Open edX’s own numeric user ID (copied to the error file)', required: false },
  { role: 'email', label: 'Email', description: 'The learner’s email (Moodle’s template uses it)', required: false },
  { role: 'grade', label: 'Grade', description: 'The grade to export (you can pick another grade column when exporting)', required: false },
  {
    role: 'enrollment_status',
    label: 'Enrollment Status',
    description: 'Says “unenrolled” for learners who left the course',
    required: false,
  },
];

/** What the person chose on the Check step, before matching. */
export interface MatchDraft {
  columns: ColumnMap;
  /** Null: the first Open edX connection. */
  connectionId: string | null;
  /** Null: the connection's first watched provider. Free text is allowed. */
  providerId: string | null;
  /** Look usernames missing from the mirror up in Open edX. */
  live: boolean;
}

export function draftFromFile(file: GradeFile): MatchDraft {
  return { columns: { ...file.columns }, connectionId: null, providerId: null, live: true };
}

/** "Username (column C)": spreadsheet letters, since that is what people see in Excel. */
export function columnLabel(headers: string[], index: number): string {
  const header = headers[index]?.trim();
  const name = header ? header : '(no header)';
  return `${name} (column ${columnLetter(index)})`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The choices of a column select: every column of the file. */
export function columnOptions(headers: string[]): { value: string; label: string }[] {
  return headers.map((_, i) => ({ value: String(i), label: columnLabel(headers, i) }));
}

/** Roles that share a column, in words ("Username and Email both use column C"), for a warning. */
export function sharedColumns(columns: ColumnMap, headers: string[]): string[] {
  const byColumn = new Map<number, string[]>();
  for (const { role, label } of columnRoles) {
    const index = columns[role];
    if (index === null) continue;
    byColumn.set(index, [...(byColumn.get(index) ?? []), label]);
  }
  return [...byColumn]
    .filter(([, labels]) => labels.length > 1)
    .map(([index, labels]) => `${labels.join(' and ')} both use ${columnLabel(headers, index)}.`);
}

/** The connection and provider a draft ends up with, once nulls take their defaults. */
export function resolveTarget(
  draft: MatchDraft,
  connections: { id: string; settings: { providers: string[] } }[],
): { connectionId: string | null; providerId: string } {
  const connection = connections.find((c) => c.id === draft.connectionId) ?? connections[0] ?? null;
  const providerId = draft.providerId ?? connection?.settings.providers[0] ?? '';
  return { connectionId: connection?.id ?? null, providerId };
}

/** Why Match cannot be pressed yet, in plain words; empty when it can. */
export function matchBlockers(draft: MatchDraft, connectionId: string | null, providerId: string): string[] {
  const blockers: string[] = [];
  if (draft.columns.username === null) blockers.push('Choose the column that holds the Open edX usernames.');
  if (connectionId === null) blockers.push('Add an Open edX connection in Connections first.');
  if (providerId.trim() === '') blockers.push('Choose or type the identity provider whose IDs your LMS or SIS knows.');
  return blockers;
}

export function reconcileRequest(file: GradeFile, draft: MatchDraft, connectionId: string, providerId: string): ReconcileRequest {
  return {
    path: file.path,
    profile_id: connectionId,
    provider_id: providerId.trim(),
    columns: { ...draft.columns },
    live: draft.live,
  };
}
