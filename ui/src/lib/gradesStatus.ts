// How the Grades screen talks about a reconciliation: what each row status means and what to do
// about it, how a running match reads, how old the mirror was. Pure, so the words are tested.
import type { ReconcileProgress, Reconciliation, ReportKind, RowProblem, RowStatus, StatusCounts } from '../bindings';
import { countOf, formatAgo, formatCount, formatTimeLeft } from './format';

/** In the order the summary shows them: good news first, then what needs a look. */
export const rowStatuses: readonly RowStatus[] = ['matched', 'not_linked', 'not_checked', 'ambiguous', 'unenrolled', 'problem'];

/** The statuses worth a card or a word for these counts: `not_checked` only when some rows have it. */
export function shownStatuses(counts: StatusCounts): RowStatus[] {
  return rowStatuses.filter((s) => s !== 'not_checked' || counts.not_checked > 0);
}

export const statusLabels: Record<RowStatus, string> = {
  matched: 'Matched',
  not_linked: 'Not linked',
  not_checked: 'Not checked',
  ambiguous: 'Ambiguous',
  unenrolled: 'Unenrolled',
  problem: 'Problems',
};

export const statusColors: Record<RowStatus, string> = {
  matched: 'teal',
  not_linked: 'orange',
  not_checked: 'yellow',
  ambiguous: 'grape',
  unenrolled: 'gray',
  problem: 'red',
};

/** One line on a summary card. */
export const statusShort: Record<RowStatus, string> = {
  matched: 'Linked to exactly one remote ID: ready to export',
  not_linked: 'No link to this provider',
  not_checked: 'Open edX could not be asked: unknown',
  ambiguous: 'Linked to more than one remote ID',
  unenrolled: 'Left the course',
  problem: 'Lines Crosswalk could not read',
};

/** What the status means and what to do about it, for someone who is not a programmer. */
export const statusExplanations: Record<RowStatus, string> = {
  matched:
    'The username is linked to exactly one remote ID (for example a student number) on this provider. These rows are exported.',
  not_linked:
    'The username has no link to this provider: the learner never signed in to Open edX through it (for example they ' +
    'registered with an email address), or the link was removed. These rows go to the error file. Ask the learner to ' +
    'sign in once through your university’s login, then sync the mirror in Learners and match again.',
  not_checked:
    'The mirror does not know the username, and asking Open edX live failed (the LMS refused or could not be reached, ' +
    'or you cancelled), so Crosswalk cannot say whether the learner is linked. These rows go to the error file. Fix ' +
    'what the message says (often the connection in Connections), then match again.',
  ambiguous:
    'The username is linked to more than one remote ID on this provider, so Crosswalk cannot tell which student it is. ' +
    'These rows go to the error file. Ask the Open edX administrators which link is right and to remove the other one.',
  unenrolled:
    'Open edX says the learner has unenrolled from the course. They are left out of the export unless you tick ' +
    '“Include unenrolled learners” below.',
  problem:
    'The line itself could not be read: it has no username, or its quoting or number of columns is broken. These ' +
    'lines go to the error file with their line number, so you can fix them in the report and load it again.',
};

/** How many rows of the reconciliation have the status. */
export function countFor(counts: StatusCounts, status: RowStatus): number {
  switch (status) {
    case 'matched':
      return counts.matched;
    case 'not_linked':
      return counts.not_linked;
    case 'not_checked':
      return counts.not_checked;
    case 'ambiguous':
      return counts.ambiguous;
    case 'unenrolled':
      return counts.unenrolled;
    case 'problem':
      return counts.problems;
  }
}

export const reportKindLabels: Record<ReportKind, string> = {
  course_grades: 'Course grade report',
  problem_grades: 'Problem grade report',
  custom: 'Custom file',
};

export const reportKindExplanations: Record<ReportKind, string> = {
  course_grades:
    'The grade report Open edX makes under Instructor → Data Download → Generate Grade Report. Its columns were recognised.',
  problem_grades:
    'The problem grade report Open edX makes under Instructor → Data Download. Its columns were recognised.',
  custom:
    'This is not a grade report Crosswalk knows, so it guessed which column is which. Check the columns below: at least ' +
    'the column with the Open edX usernames must be chosen.',
};

const delimiterNames: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon',
  tab: 'tab',
  '\t': 'tab',
  '|': 'vertical bar',
};

/** "comma (,)"; an XLSX has no delimiter. */
export function delimiterLabel(delimiter: string, format: string): string {
  if (format === 'xlsx' || delimiter === '') return 'none (Excel workbook)';
  const name = delimiterNames[delimiter];
  if (!name) return delimiter;
  return name === 'tab' ? 'tab' : `${name} (${delimiter})`;
}

/** "12 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte');
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "Line 14 has no username". The back end's messages start with the verb. */
export function problemText(problem: RowProblem): string {
  return `Line ${formatCount(problem.line)} ${problem.message}`;
}

/** What a running match says about itself. */
export function reconcileProgressText(progress: ReconcileProgress | null): string {
  if (progress === null) return 'Reading the report…';
  if (progress.phase === 'looking_up') {
    return [
      `Looking up learners the mirror does not know: ${formatCount(progress.ids_done)} of ${countOf(progress.ids_total, 'username')}`,
      formatTimeLeft(progress.eta_ms),
    ].join(' · ');
  }
  return `Reading the report: ${countOf(progress.rows_read, 'row')} so far`;
}

/** Percent done, 0–100, or null while it cannot be known (the report is still being read). */
export function reconcilePercent(progress: ReconcileProgress | null): number | null {
  if (progress?.phase !== 'looking_up' || progress.ids_total === 0) return null;
  return Math.min(100, (progress.ids_done / progress.ids_total) * 100);
}

/** "212 rows: 150 matched, 57 not linked, 1 ambiguous, 2 unenrolled, 2 problems". */
export function countsSentence(counts: StatusCounts): string {
  const parts = shownStatuses(counts).map((s) => `${formatCount(countFor(counts, s))} ${statusLabels[s].toLowerCase()}`);
  return `${countOf(counts.rows, 'row')}: ${parts.join(', ')}`;
}

/** A mirror older than this is worth a word when rows came out not linked. */
const OLD_MIRROR_MS = 24 * 3_600_000;

export interface MirrorNote {
  text: string;
  /** Worth acting on (an old or missing mirror with rows not linked). */
  warn: boolean;
}

/** Where the links came from: the mirror (and how old it was), and how many usernames were asked live. */
export function mirrorNote(r: Reconciliation, now: Date = new Date()): MirrorNote {
  const provider = r.request.provider_id;
  const live = r.request.live
    ? r.live_looked_up === 0
      ? ' Every username was in the mirror, so Open edX was not asked.'
      : ` ${countOf(r.live_looked_up, 'username')} the mirror did not know ${r.live_looked_up === 1 ? 'was' : 'were'} looked up live in Open edX.`
    : ' Live lookups were off: usernames the mirror does not know count as not linked.';
  if (r.mirror_synced_at === null) {
    return {
      text: `There is no local mirror of ${provider} yet.${live}`,
      warn: !r.request.live,
    };
  }
  const age = now.getTime() - new Date(r.mirror_synced_at).getTime();
  const old = age > OLD_MIRROR_MS;
  const advice =
    old && !r.request.live && r.counts.not_linked > 0
      ? ' Learners linked since then show as not linked: sync the mirror in Learners → Mirror, or match again with live lookups on.'
      : '';
  return {
    text: `Matched with the local mirror of ${provider}, synced ${formatAgo(r.mirror_synced_at, now)}.${live}${advice}`,
    warn: advice !== '',
  };
}
