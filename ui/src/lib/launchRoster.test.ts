import { describe, expect, it } from 'vitest';
import type { Roster } from '../bindings';
import { rosterColumns, rosterExample, rosterLaunchText, rosterSummary } from './launchRoster';

describe('rosterLaunchText', () => {
  it('says what the row’s latest launch did', () => {
    expect(rosterLaunchText(undefined)).toBe('');
    expect(rosterLaunchText({ state: 'opening', taskId: 't-1' })).toBe('Opening…');
    expect(
      rosterLaunchText({ state: 'opened', at: '2025-03-14T09:41:07Z', expiresAt: null, notes: [] }, 'en-GB', 'UTC'),
    ).toBe('Opened at 09:41:07');
    expect(rosterLaunchText({ state: 'failed', code: 'remote', message: 'OpenLearning answered 404: …' })).toBe(
      'OpenLearning answered 404: …',
    );
  });
});

describe('rosterSummary', () => {
  const roster: Roster = {
    file_name: 'roster.csv',
    rows: [{ line: 2, external_id: 's1', class_id: null, context_id: null, email: null, full_name: null }],
    problems: [],
  };

  it('counts the learners and the lines that could not be read', () => {
    expect(rosterSummary(roster)).toBe('1 learner from roster.csv');
    expect(rosterSummary({ ...roster, problems: [{ line: 3, message: 'Line 3 has no external id' }] })).toBe(
      '1 learner from roster.csv; 1 line could not be read',
    );
  });
});

describe('the roster format shown on screen', () => {
  it('needs only the external id, and its example uses every column', () => {
    expect(rosterColumns.filter((c) => c.required).map((c) => c.name)).toEqual(['external_id']);
    const header = rosterExample.split('\n')[0]?.split(',');
    expect(header).toEqual(rosterColumns.map((c) => c.name));
  });
});
