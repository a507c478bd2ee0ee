import { describe, expect, it } from 'vitest';
import { ACTIVITY_LIMIT, hasFilters, noActivityFilters, toActivityQuery } from './activityFilters';
import { isSincePreset, sinceInstant, sincePresets } from './since';

const now = new Date('2025-03-14T12:00:00Z');

describe('since presets', () => {
  it('count back from now', () => {
    expect(sinceInstant('hour', now)).toBe('2025-03-14T11:00:00.000Z');
    expect(sinceInstant('day', now)).toBe('2025-03-13T12:00:00.000Z');
    expect(sinceInstant('week', now)).toBe('2025-03-07T12:00:00.000Z');
    expect(sinceInstant('all', now)).toBeNull();
  });

  it('are recognised by value', () => {
    expect(sincePresets.map((p) => p.value)).toEqual(['hour', 'day', 'week', 'all']);
    expect(isSincePreset('week')).toBe(true);
    expect(isSincePreset('month')).toBe(false);
  });
});

describe('toActivityQuery', () => {
  it('asks for everything, newest first, up to the limit, when nothing is chosen', () => {
    expect(toActivityQuery(noActivityFilters, now)).toEqual({
      text: null,
      action: null,
      outcome: null,
      since: null,
      limit: ACTIVITY_LIMIT,
    });
    expect(hasFilters(noActivityFilters)).toBe(false);
  });

  it('sends every chosen filter, with blank search as none', () => {
    const filters = { text: '  token ', action: 'fetch_token', outcome: 'error' as const, since: 'hour' as const };
    expect(toActivityQuery(filters, now)).toEqual({
      text: 'token',
      action: 'fetch_token',
      outcome: 'error',
      since: '2025-03-14T11:00:00.000Z',
      limit: ACTIVITY_LIMIT,
    });
    expect(hasFilters(filters)).toBe(true);
    expect(toActivityQuery({ ...noActivityFilters, text: '   ' }, now).text).toBeNull();
    expect(hasFilters({ ...noActivityFilters, text: '   ' })).toBe(false);
  });
});
