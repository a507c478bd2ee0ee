// What the mocked back end knows about grade reports (the Grades screen), in one place: the demo
// course grade report, a problem grade report matched before, and History. The grades part of
// mockBackend.ts answers from these when a spec passes them with `withGrades`; without them it
// knows no report and History is empty.
import type {
  ExportOptions,
  ExportPreview,
  ExportResult,
  GradeFile,
  GradeRow,
  ReconcileRequest,
  ReconciliationRecord,
  RowProblem,
  StatusCounts,
} from '../../src/bindings';
import { remoteIdAt, type MockConfig } from './fixtures';

/** A line of a report after its header: its fields, or why it cannot be read. */
export type ReportLine = { line: number; fields: string[] } | { line: number; problem: string };

export interface ReportFixture {
  file: GradeFile;
  lines: ReportLine[];
}

/** A reconciliation already in History when the page loads. */
export interface HistorySeed {
  record: ReconciliationRecord;
  request: ReconcileRequest;
  /** Its last export's settings (what grades_last_options answers). */
  options: ExportOptions | null;
}

/** What the core answers for a match of one report: canned, row by row. */
export interface MatchResult {
  counts: StatusCounts;
  problems: RowProblem[];
  live_errors: string[];
  /** Every row of the report, in order, with its status and message. */
  rows: GradeRow[];
}

export interface MatchAnswer extends MatchResult {
  /** Usernames the mirror did not know, looked up live (50 a chunk, one progress frame each). */
  live_looked_up: number;
  /** The answer when the live lookups are cancelled after the first chunk; null if no spec cancels. */
  cancelled: MatchResult | null;
}

export interface GradesMockConfig {
  /** Every report the mock can read, by path. */
  reports: Record<string, ReportFixture>;
  /** The report grades_demo_report makes (demo mode only). */
  demoPath: string;
  /** The report the open dialog picks, or null as if it was closed. */
  openPath: string | null;
  /** Where the save dialog saves exports, or null as if it was closed. */
  exportDir: string | null;
  /** How long each chunk of 50 live lookups takes. */
  lookupChunkMs: number;
  /** Newest first. */
  history: HistorySeed[];
  /** The core's answer to a match (or a reopen) of each report, by path. */
  matches: Record<string, MatchAnswer>;
  /** Reports changed on disk since they were matched: reopening them is refused with this message. */
  reopenRefusals: Record<string, string>;
  /** What every export preview answers (the layouts are the core's: see real/grades*.spec.ts). */
  preview: ExportPreview;
  /** What every export answers, its file names relative to `exportDir`. */
  exported: ExportResult;
}

const DATA = '/home/staff/.local/share/crosswalk';
export const DEMO_PATH = `${DATA}/demo/demo_course_grade_report.csv`;
export const PROBLEM_REPORT_PATH = '/home/staff/Downloads/week6_problem_grade_report.csv';
export const CHANGED_REPORT_PATH = '/home/staff/Downloads/final_grade_report.xlsx';
export const EXPORT_DIR = '/home/staff/Documents';

const courseHeaders = [
  'Student ID',
  'Email',
  'Username',
  'Grade',
  'Homework 1: Intro',
  'Homework (Avg)',
  'Exam',
  'Enrollment Track',
  'Verification Status',
  'Certificate Eligible',
  'Certificate Delivered',
  'Certificate Type',
  'Enrollment Status',
];

function fraction(n: number): string {
  return ((n % 101) / 100).toFixed(2);
}

function courseRow(studentId: number, username: string, seed: number, enrollment = 'enrolled'): string[] {
  const grade = fraction(seed * 37);
  return [
    String(studentId),
    `${username}@example.edu`,
    username,
    grade,
    seed % 7 === 0 ? 'Not Attempted' : fraction(seed * 53),
    fraction(seed * 41),
    seed % 10 === 0 ? 'Not Attempted' : fraction(seed * 29),
    seed % 3 === 0 ? 'verified' : 'audit',
    'N/A',
    'N',
    'N',
    'N/A',
    enrollment,
  ];
}

/** Visitors signed up with an email address, not through the university: not linked to any provider. */
export const VISITORS = 57;
/** Linked to two remote IDs on saml-demo-univ. */
export const AMBIGUOUS_USERNAME = 'learner0007';
export const UNENROLLED_USERNAMES = ['learner0011', 'learner0012'];

function demoLines(): ReportLine[] {
  const lines: ReportLine[] = [];
  let line = 2;
  // learner0001…learner0150 are in the saml-demo-univ mirror.
  for (let i = 1; i <= 150; i++) {
    const username = `learner${String(i).padStart(4, '0')}`;
    const enrollment = UNENROLLED_USERNAMES.includes(username) ? 'unenrolled' : 'enrolled';
    lines.push({ line: line++, fields: courseRow(1000 + i, username, i, enrollment) });
  }
  // The mirror holds the first 3,000 learners; these three are found live.
  for (let i = 3001; i <= 3003; i++) {
    lines.push({ line: line++, fields: courseRow(1000 + i, `learner${i}`, i) });
  }
  for (let i = 1; i <= VISITORS; i++) {
    lines.push({ line: line++, fields: courseRow(9000 + i, `visitor${String(i).padStart(3, '0')}`, i + 7) });
  }
  lines.push({ line: line++, fields: courseRow(9999, '', 5) });
  lines.push({ line, problem: 'has 9 fields but the header has 13; check its quoting and delimiters' });
  return lines;
}

function sizeOf(headers: string[], lines: ReportLine[]): number {
  return [headers, ...lines.map((l) => ('fields' in l ? l.fields : ['broken']))].reduce((n, f) => n + f.join(',').length + 1, 0);
}

function report(file: Omit<GradeFile, 'sample' | 'size_bytes'>, lines: ReportLine[]): ReportFixture {
  const sample = lines.flatMap((l) => ('fields' in l ? [l.fields] : [])).slice(0, 10);
  return { file: { ...file, sample, size_bytes: sizeOf(file.headers, lines) }, lines };
}

const demoReport = report(
  {
    path: DEMO_PATH,
    file_name: 'demo_course_grade_report.csv',
    kind: 'course_grades',
    format: 'csv',
    encoding: 'UTF-8',
    delimiter: ',',
    headers: courseHeaders,
    columns: { student_id: 0, email: 1, username: 2, grade: 3, enrollment_status: 12 },
    grade_columns: [3, 4, 5, 6],
  },
  demoLines(),
);

const problemHeaders = [
  'Student ID',
  'Email',
  'Username',
  'Enrollment Status',
  'Grade',
  'Homework 1: Intro - Problem 1 (Earned)',
  'Homework 1: Intro - Problem 1 (Possible)',
];

const problemReport = report(
  {
    path: PROBLEM_REPORT_PATH,
    file_name: 'week6_problem_grade_report.csv',
    kind: 'problem_grades',
    format: 'csv',
    encoding: 'UTF-8 with BOM',
    delimiter: ';',
    headers: problemHeaders,
    columns: { student_id: 0, email: 1, username: 2, grade: 4, enrollment_status: 3 },
    grade_columns: [4, 5],
  },
  [
    ...Array.from({ length: 8 }, (_, i): ReportLine => {
      const username = `learner${String(i + 1).padStart(4, '0')}`;
      return { line: i + 2, fields: [String(1001 + i), `${username}@example.edu`, username, 'enrolled', fraction((i + 1) * 37), String(i % 3), '2'] };
    }),
    { line: 10, fields: ['9901', 'visitor900@example.edu', 'visitor900', 'enrolled', '0.75', '1', '2'] },
  ],
);

// ---- The core's answers to matches, canned row by row on saml-demo-univ with live lookups ----

const PROVIDER = 'saml-demo-univ';
const NOT_LINKED = `Not linked to ${PROVIDER}: the learner has not signed in through it, or the link was removed`;
const NOT_ASKED = `Not in the ${PROVIDER} mirror, and Open edX could not be asked about it (not asked: the lookup was cancelled first); match again to check it`;
const AMBIGUOUS_IDS = ['demo-univ-2000042', 'demo-univ-7000042'];

/** A row of a report as the core answers it: `status` and `message` are given, never worked out. */
function answered(l: ReportLine, columns: GradeFile['columns'], status: GradeRow['status'], message = ''): GradeRow {
  if ('problem' in l) {
    return { line: l.line, student_id: '', username: '', email: '', grade: '', remote_id: null, candidates: [], status: 'problem', message: `Line ${l.line} ${l.problem}` };
  }
  const at = (i: number | null) => (i === null ? '' : (l.fields[i] ?? ''));
  const username = at(columns.username);
  const number = Number(/\d+$/.exec(username)?.[0] ?? 0);
  return {
    line: l.line,
    student_id: at(columns.student_id),
    username,
    email: at(columns.email),
    grade: at(columns.grade),
    remote_id: status === 'matched' ? remoteIdAt(PROVIDER, number - 1) : null,
    candidates: status === 'ambiguous' ? AMBIGUOUS_IDS : [],
    status,
    message,
  };
}

/** What each username of the fixtures is to the core on saml-demo-univ. */
function statusOf(username: string, cancelledAfter: number | null): [GradeRow['status'], string] {
  if (username === AMBIGUOUS_USERNAME) {
    return ['ambiguous', `Linked to 2 remote ids on ${PROVIDER} (${AMBIGUOUS_IDS.join(', ')}); ask the LMS operator which link is right, or pick another provider`];
  }
  if (UNENROLLED_USERNAMES.includes(username)) return ['unenrolled', 'The learner has unenrolled from the course'];
  if (username.startsWith('visitor')) {
    // The visitors are the last of the 60 usernames looked up live: a cancel after the first
    // chunk of 50 leaves the last 10 of them unasked.
    const n = Number(username.slice('visitor'.length));
    return cancelledAfter !== null && n > cancelledAfter ? ['not_checked', NOT_ASKED] : ['not_linked', NOT_LINKED];
  }
  return ['matched', ''];
}

function match(fixture: ReportFixture, cancelledAfter: number | null): MatchResult {
  const rows = fixture.lines.map((l) => {
    if ('problem' in l) return answered(l, fixture.file.columns, 'problem');
    const username = l.fields[fixture.file.columns.username ?? 0] ?? '';
    if (username === '') return answered(l, fixture.file.columns, 'problem', `Line ${l.line} has no username`);
    const [status, message] = statusOf(username, cancelledAfter);
    return answered(l, fixture.file.columns, status, message);
  });
  const count = (status: GradeRow['status']) => rows.filter((r) => r.status === status).length;
  return {
    counts: {
      rows: rows.length,
      matched: count('matched'),
      not_linked: count('not_linked'),
      not_checked: count('not_checked'),
      ambiguous: count('ambiguous'),
      unenrolled: count('unenrolled'),
      problems: count('problem'),
    },
    problems: rows.filter((r) => r.status === 'problem').map((r) => ({ line: r.line, message: r.message.replace(/^Line \d+ /, '') })),
    live_errors: [],
    rows,
  };
}

const demoMatch: MatchAnswer = { ...match(demoReport, null), live_looked_up: 60, cancelled: match(demoReport, VISITORS - 10) };
const problemMatch: MatchAnswer = { ...match(problemReport, null), live_looked_up: 1, cancelled: null };

/** The demo report's counts, as the core matches it on saml-demo-univ with live lookups. */
export const demoCounts = demoMatch.counts;

/** Exported to Moodle before: reopening it brings those settings back. */
export const moodleOptions: ExportOptions = {
  template: 'moodle',
  format: 'csv',
  bom: true,
  grade_column: null,
  item_name: 'Week 6 problems',
  scale: { kind: 'percent' },
  decimals: 1,
  letters: [],
  not_attempted: 'zero',
  include_unenrolled: false,
  columns: [],
};

const history: HistorySeed[] = [
  {
    record: {
      id: 2,
      created_at: '2025-03-12T14:05:00Z',
      file_name: 'final_grade_report.xlsx',
      file_path: CHANGED_REPORT_PATH,
      checksum: 'b'.repeat(64),
      kind: 'course_grades',
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      counts: { rows: 480, matched: 471, not_linked: 6, not_checked: 0, ambiguous: 0, unenrolled: 3, problems: 0 },
      template: null,
      export_path: null,
      errors_path: null,
      exported_at: null,
    },
    request: {
      path: CHANGED_REPORT_PATH,
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      columns: { student_id: 0, email: 1, username: 2, grade: 3, enrollment_status: 12 },
      live: true,
    },
    options: null,
  },
  {
    record: {
      id: 1,
      created_at: '2025-03-10T09:15:00Z',
      file_name: 'week6_problem_grade_report.csv',
      file_path: PROBLEM_REPORT_PATH,
      checksum: 'a'.repeat(64),
      kind: 'problem_grades',
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      counts: { rows: 9, matched: 7, not_linked: 1, not_checked: 0, ambiguous: 1, unenrolled: 0, problems: 0 },
      template: 'moodle',
      export_path: `${EXPORT_DIR}/week6_problem_grade_report-moodle.csv`,
      errors_path: `${EXPORT_DIR}/week6_problem_grade_report-moodle.errors.csv`,
      exported_at: '2025-03-10T09:20:00Z',
    },
    request: {
      path: PROBLEM_REPORT_PATH,
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      columns: { student_id: 0, email: 1, username: 2, grade: 4, enrollment_status: 3 },
      live: true,
    },
    options: moodleOptions,
  },
];

export const defaultGradesMock: GradesMockConfig = {
  reports: { [DEMO_PATH]: demoReport, [PROBLEM_REPORT_PATH]: problemReport },
  demoPath: DEMO_PATH,
  openPath: PROBLEM_REPORT_PATH,
  exportDir: EXPORT_DIR,
  lookupChunkMs: 40,
  history,
  matches: { [DEMO_PATH]: demoMatch, [PROBLEM_REPORT_PATH]: problemMatch },
  reopenRefusals: {
    [CHANGED_REPORT_PATH]:
      'final_grade_report.xlsx has changed since it was matched, so this reconciliation cannot be reopened as it was. Load the file again as a new report to match the version it has now.',
  },
  preview: {
    header: ['remote_id', 'username', 'grade'],
    rows: [['demo-univ-2000000', 'learner0001', '37.00']],
    rows_to_write: 150,
    skipped: 2,
    errors: 60,
  },
  exported: {
    out_path: 'demo_course_grade_report-canvas.csv',
    errors_path: 'demo_course_grade_report-canvas.errors.csv',
    rows_written: 150,
    errors_written: 60,
    skipped: 2,
  },
};


/** The mock's configuration with the grades fixtures in it: `mockBackend(page, withGrades({ … }))`. */
export function withGrades(grades: Partial<GradesMockConfig> = {}, overrides: Partial<MockConfig> = {}): Partial<MockConfig> {
  const config: Partial<MockConfig> & { grades: GradesMockConfig } = { ...overrides, grades: { ...defaultGradesMock, ...grades } };
  return config;
}
