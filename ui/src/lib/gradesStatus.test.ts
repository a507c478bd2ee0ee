import { describe, expect, it } from 'vitest';
import type { Reconciliation, StatusCounts } from '../bindings';
import {
  countFor,
  countsSentence,
  delimiterLabel,
  formatSize,
  mirrorNote,
  problemText,
  reconcilePercent,
  reconcileProgressText,
  rowStatuses,
  statusExplanations,
  statusLabels,
} from './gradesStatus';

const counts: StatusCounts = { rows: 1212, matched: 1150, not_linked: 57, not_checked: 0, ambiguous: 1, unenrolled: 2, problems: 2 };

function reconciliation(change: Partial<Reconciliation> = {}): Reconciliation {
  return {
    id: 3,
    file: {
      path: '/tmp/r.csv',
      file_name: 'r.csv',
      kind: 'course_grades',
      format: 'csv',
      encoding: 'UTF-8',
      delimiter: ',',
      headers: ['Username'],
      columns: { username: 0, student_id: null, email: null, grade: null, enrollment_status: null },
      grade_columns: [],
      sample: [],
      size_bytes: 10,
    },
    request: {
      path: '/tmp/r.csv',
      profile_id: 'demo-staff',
      provider_id: 'saml-demo-univ',
      columns: { username: 0, student_id: null, email: null, grade: null, enrollment_status: null },
      live: true,
    },
    checksum: 'x',
    counts,
    problems: [],
    live_looked_up: 60,
    live_errors: [],
    cancelled: false,
    mirror_synced_at: '2025-03-14T06:00:00Z',
    created_at: '2025-03-14T09:00:00Z',
    ...change,
  };
}

const now = new Date('2025-03-14T09:00:00Z');

describe('row statuses', () => {
  it('counts each status from the back end’s counts, problems included', () => {
    expect(rowStatuses.map((s) => countFor(counts, s))).toEqual([1150, 57, 0, 1, 2, 2]);
    expect(rowStatuses.reduce((n, s) => n + countFor(counts, s), 0)).toBe(counts.rows);
  });

  it('explains every status and says what to do', () => {
    for (const status of rowStatuses) {
      expect(statusLabels[status]).not.toBe('');
      expect(statusExplanations[status].length).toBeGreaterThan(60);
    }
    expect(statusExplanations.ambiguous).toContain('more than one remote ID');
    expect(statusExplanations.not_linked).toContain('sync the mirror');
  });

  it('sums a reconciliation up in a sentence', () => {
    expect(countsSentence(counts)).toBe('1,212 rows: 1,150 matched, 57 not linked, 1 ambiguous, 2 unenrolled, 2 problems');
  });
});

describe('progress', () => {
  it('reads the report first, then looks usernames up with the time left', () => {
    expect(reconcileProgressText(null)).toBe('Reading the report…');
    expect(reconcileProgressText({ phase: 'reading', rows_read: 40_000, ids_done: 0, ids_total: 0, eta_ms: null })).toBe(
      'Reading the report: 40,000 rows so far',
    );
    expect(reconcileProgressText({ phase: 'looking_up', rows_read: 212, ids_done: 50, ids_total: 60, eta_ms: 40_000 })).toBe(
      'Looking up learners the mirror does not know: 50 of 60 usernames · about 40 s left',
    );
  });

  it('knows how far along it is only while looking up', () => {
    expect(reconcilePercent(null)).toBeNull();
    expect(reconcilePercent({ phase: 'reading', rows_read: 5, ids_done: 0, ids_total: 0, eta_ms: null })).toBeNull();
    expect(reconcilePercent({ phase: 'looking_up', rows_read: 5, ids_done: 30, ids_total: 60, eta_ms: null })).toBe(50);
    expect(reconcilePercent({ phase: 'looking_up', rows_read: 5, ids_done: 0, ids_total: 0, eta_ms: null })).toBeNull();
  });
});

describe('file facts', () => {
  it('names delimiters in words', () => {
    expect(delimiterLabel(',', 'csv')).toBe('comma (,)');
    expect(delimiterLabel(';', 'csv')).toBe('semicolon (;)');
    expect(delimiterLabel('tab', 'csv')).toBe('tab');
    expect(delimiterLabel('|', 'csv')).toBe('vertical bar (|)');
    expect(delimiterLabel('', 'xlsx')).toBe('none (Excel workbook)');
  });

  it('writes sizes people read', () => {
    expect(formatSize(900)).toBe('900 bytes');
    expect(formatSize(19_500)).toBe('19 KB');
    expect(formatSize(3_500_000)).toBe('3.3 MB');
  });

  it('puts the line number in front of the back end’s words', () => {
    expect(problemText({ line: 1212, message: 'has no username' })).toBe('Line 1,212 has no username');
  });
});

describe('mirrorNote', () => {
  it('says how old the mirror was and how many usernames were asked live', () => {
    expect(mirrorNote(reconciliation(), now)).toEqual({
      text: 'Matched with the local mirror of saml-demo-univ, synced 3 h ago. 60 usernames the mirror did not know were looked up live in Open edX.',
      warn: false,
    });
    expect(mirrorNote(reconciliation({ live_looked_up: 1 }), now).text).toContain('1 username the mirror did not know was looked up live');
    expect(mirrorNote(reconciliation({ live_looked_up: 0 }), now).text).toContain('Every username was in the mirror');
  });

  it('warns about an old mirror used without live lookups when rows came out not linked', () => {
    const old = reconciliation({
      mirror_synced_at: '2025-03-10T09:00:00Z',
      request: { ...reconciliation().request, live: false },
    });
    const note = mirrorNote(old, now);
    expect(note.warn).toBe(true);
    expect(note.text).toContain('Live lookups were off');
    expect(note.text).toContain('sync the mirror in Learners → Mirror');
    // Live lookups settle what the mirror missed: nothing to warn about.
    expect(mirrorNote({ ...old, request: { ...old.request, live: true } }, now).warn).toBe(false);
  });

  it('says when there is no mirror at all', () => {
    const none = mirrorNote(reconciliation({ mirror_synced_at: null }), now);
    expect(none.text).toMatch(/^There is no local mirror of saml-demo-univ yet\./);
    expect(none.warn).toBe(false);
    expect(mirrorNote(reconciliation({ mirror_synced_at: null, request: { ...reconciliation().request, live: false } }), now).warn).toBe(
      true,
    );
  });
});
