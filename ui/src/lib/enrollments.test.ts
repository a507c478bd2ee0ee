import { describe, expect, it } from 'vitest';
import type { Association, EnrollmentCounts } from '../bindings';
import { badgeOf, countFor, FILTERS, offeringOf, studentOf } from './enrollments';

const base: Association = {
  id: 1,
  profile_id: 'p',
  home: 'home.example.edu',
  association_id: 'a1',
  person_id: 'p1',
  person_name: null,
  person_email: null,
  offering_id: null,
  offering_code: 'DS-101',
  offering_name: 'Data science',
  offering_start: null,
  offering_end: null,
  role: 'student',
  state: 'pending',
  remote_state: 'associated',
  result: null,
  status: 'ok',
  warning: null,
  first_seen: '2026-12-01T00:00:00Z',
  state_since: '2026-12-01T00:00:00Z',
  last_checked: null,
  next_check: null,
  last_error: null,
  offering_result_type: null,
  stuck: false,
};

describe('the Enrollments screen words', () => {
  it('puts what needs attention before the state', () => {
    expect(badgeOf(base)).toEqual({ label: 'pending', color: 'yellow' });
    expect(badgeOf({ ...base, stuck: true }).label).toBe('Stuck');
    expect(badgeOf({ ...base, status: 'unknown', association_id: null }).label).toBe('Unknown — check');
    expect(badgeOf({ ...base, status: 'error' }).label).toBe('Error (pending)');
    expect(badgeOf({ ...base, state: null }).label).toBe('Not read yet');
  });

  it('counts every chip from the back end counts', () => {
    const counts: EnrollmentCounts = { total: 9, pending: 2, queued: 1, associated: 3, denied: 1, canceled: 1, finished: 1, stuck: 1, error: 2 };
    expect(FILTERS.map((f) => countFor(counts, f))).toEqual([9, 2, 1, 3, 1, 1, 1, 2]);
  });

  it('names the student and offering with what is known', () => {
    expect(studentOf(base)).toBe('p1');
    expect(studentOf({ ...base, person_name: 'Zoë de Vries' })).toBe('Zoë de Vries');
    expect(offeringOf(base)).toBe('DS-101 · Data science');
    expect(offeringOf({ ...base, offering_code: null, offering_name: null })).toBe('—');
  });
});
