import { describe, expect, it } from 'vitest';
import type { GradeFile } from '../bindings';
import {
  columnLabel,
  columnLetter,
  columnOptions,
  draftFromFile,
  matchBlockers,
  reconcileRequest,
  resolveTarget,
  sharedColumns,
} from './gradesColumns';

const file: GradeFile = {
  path: '/home/staff/grades.csv',
  file_name: 'grades.csv',
  kind: 'course_grades',
  format: 'csv',
  encoding: 'UTF-8',
  delimiter: ',',
  headers: ['Student ID', 'Email', 'Username', 'Grade', ''],
  columns: { username: 2, student_id: 0, email: 1, grade: 3, enrollment_status: null },
  grade_columns: [3],
  sample: [],
  size_bytes: 100,
};

const connections = [
  { id: 'a', settings: { providers: ['saml-a', 'saml-b'] } },
  { id: 'b', settings: { providers: [] } },
];

describe('columns', () => {
  it('names columns by their spreadsheet letter', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(columnLabel(file.headers, 2)).toBe('Username (column C)');
    expect(columnLabel(file.headers, 4)).toBe('(no header) (column E)');
    expect(columnOptions(file.headers)[3]).toEqual({ value: '3', label: 'Grade (column D)' });
  });

  it('starts from what Crosswalk recognised, with live lookups on', () => {
    const draft = draftFromFile(file);
    expect(draft).toEqual({ columns: file.columns, connectionId: null, providerId: null, live: true });
    expect(draft.columns).not.toBe(file.columns);
  });

  it('notices two roles sharing a column', () => {
    expect(sharedColumns(file.columns, file.headers)).toEqual([]);
    expect(sharedColumns({ ...file.columns, email: 2 }, file.headers)).toEqual(['Username and Email both use Username (column C).']);
  });
});

describe('the match request', () => {
  it('defaults to the first connection and its first watched provider', () => {
    expect(resolveTarget(draftFromFile(file), connections)).toEqual({ connectionId: 'a', providerId: 'saml-a' });
    expect(resolveTarget({ ...draftFromFile(file), connectionId: 'b' }, connections)).toEqual({ connectionId: 'b', providerId: '' });
    expect(resolveTarget({ ...draftFromFile(file), providerId: 'typed' }, connections)).toEqual({ connectionId: 'a', providerId: 'typed' });
    // A connection that is gone falls back to the first.
    expect(resolveTarget({ ...draftFromFile(file), connectionId: 'gone' }, connections).connectionId).toBe('a');
    expect(resolveTarget(draftFromFile(file), [])).toEqual({ connectionId: null, providerId: '' });
  });

  it('says why Match cannot be pressed yet', () => {
    const draft = draftFromFile(file);
    expect(matchBlockers(draft, 'a', 'saml-a')).toEqual([]);
    expect(matchBlockers({ ...draft, columns: { ...draft.columns, username: null } }, 'a', 'saml-a')).toEqual([
      'Choose the column that holds the Open edX usernames.',
    ]);
    expect(matchBlockers(draft, null, '')).toEqual([
      'Add an Open edX connection in Connections first.',
      'Choose or type the identity provider whose IDs your LMS or SIS knows.',
    ]);
    expect(matchBlockers(draft, 'a', '   ')).toHaveLength(1);
  });

  it('sends the file, the columns chosen and the trimmed provider', () => {
    const draft = { ...draftFromFile(file), live: false };
    expect(reconcileRequest(file, draft, 'a', ' saml-b ')).toEqual({
      path: '/home/staff/grades.csv',
      profile_id: 'a',
      provider_id: 'saml-b',
      columns: file.columns,
      live: false,
    });
  });
});
