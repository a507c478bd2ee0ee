import { describe, expect, it } from 'vitest';
import {
  countOf,
  formatAgo,
  formatClockTime,
  formatCount,
  formatLocalTime,
  formatRelative,
  formatTimeLeft,
  pageSummary,
} from './format';

describe('counts', () => {
  it('groups digits the way the locale does', () => {
    expect(formatCount(3003, 'en-US')).toBe('3,003');
    expect(formatCount(1234567, 'de-DE')).toBe('1.234.567');
    expect(formatCount(0, 'en-US')).toBe('0');
    expect(formatCount(4458, 'en-US')).toBe('4,458');
  });

  it('groups four-digit counts even where the locale would not by default', () => {
    expect(formatCount(4458, 'es-ES')).toBe('4.458');
    expect(formatCount(999, 'es-ES')).toBe('999');
  });

  it('says "1 learner" but "3,003 learners"', () => {
    expect(countOf(1, 'learner', undefined, 'en-US')).toBe('1 learner');
    expect(countOf(0, 'learner', undefined, 'en-US')).toBe('0 learners');
    expect(countOf(3003, 'learner', undefined, 'en-US')).toBe('3,003 learners');
    expect(countOf(2, 'entry', 'entries', 'en-US')).toBe('2 entries');
  });
});

describe('relative time', () => {
  const now = new Date('2025-03-14T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const min = 60_000;

  it.each([
    [0, 'just now'],
    [30_000, 'just now'],
    [50_000, '1 minute ago'],
    [5 * min, '5 minutes ago'],
    [59 * min, '59 minutes ago'],
    [60 * min, '1 hour ago'],
    [3 * 60 * min, '3 hours ago'],
    [24 * 60 * min, 'yesterday'],
    [3 * 24 * 60 * min, '3 days ago'],
    [8 * 24 * 60 * min, 'last week'],
    [40 * 24 * 60 * min, 'last month'],
    [400 * 24 * 60 * min, 'last year'],
  ])('%i ms ago is "%s"', (ms, expected) => {
    expect(formatRelative(ago(ms), now, 'en-US')).toBe(expected);
  });

  it('handles the future and RFC 3339 strings', () => {
    expect(formatRelative('2025-03-14T14:00:00Z', now, 'en-US')).toBe('in 2 hours');
    expect(formatRelative('2025-03-14T11:55:00Z', now, 'en-US')).toBe('5 minutes ago');
  });

  it('gives nothing for an unreadable time', () => {
    expect(formatRelative('not a time', now, 'en-US')).toBe('');
  });
});

describe('local time', () => {
  it('writes date and time in the locale and time zone', () => {
    expect(formatLocalTime('2025-03-14T09:41:07Z', 'en-GB', 'UTC')).toBe('14 Mar 2025, 09:41:07');
    expect(formatClockTime('2025-03-14T09:41:07Z', 'en-GB', 'UTC')).toBe('09:41:07');
  });

  it('shows an unreadable value as it came', () => {
    expect(formatLocalTime('yesterday-ish')).toBe('yesterday-ish');
    expect(formatClockTime('')).toBe('');
  });
});

describe('page summary', () => {
  it('says which rows a page holds', () => {
    expect(pageSummary({ page: 1, page_size: 100, count: 3003, num_pages: 31 }, 'learners', 'en-US')).toBe(
      'Page 1 of 31, showing learners 1–100',
    );
    expect(pageSummary({ page: 31, page_size: 100, count: 3003, num_pages: 31 }, 'learners', 'en-US')).toBe(
      'Page 31 of 31, showing learners 3,001–3,003',
    );
  });

  it('copes with empty lists and pages past the end', () => {
    expect(pageSummary({ page: 1, page_size: 100, count: 0, num_pages: 0 }, 'learners')).toBe('No learners to show.');
    expect(pageSummary({ page: 9, page_size: 100, count: 42, num_pages: 1 }, 'learners', 'en-US')).toBe(
      'Page 9 is past the end of the list.',
    );
  });
});

describe('short ages', () => {
  const now = new Date('2025-03-14T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('reads like a table cell', () => {
    expect(formatAgo(ago(10_000), now)).toBe('just now');
    expect(formatAgo(ago(60_000), now)).toBe('1 min ago');
    expect(formatAgo(ago(12 * 60_000), now)).toBe('12 min ago');
    expect(formatAgo(ago(3 * 3_600_000), now)).toBe('3 h ago');
    expect(formatAgo(ago(5 * 86_400_000), now)).toBe('5 d ago');
  });

  it('is empty for no time at all, and never in the future', () => {
    expect(formatAgo('', now)).toBe('');
    expect(formatAgo('yesterday', now)).toBe('');
    expect(formatAgo(new Date(now.getTime() + 60_000), now)).toBe('just now');
  });
});

describe('time left', () => {
  it('rounds to what a person can use', () => {
    expect(formatTimeLeft(null)).toBe('working out the time left');
    expect(formatTimeLeft(800)).toBe('almost done');
    expect(formatTimeLeft(40_200)).toBe('about 40 s left');
    expect(formatTimeLeft(59_700)).toBe('about 1 min left');
    expect(formatTimeLeft(3 * 60_000 + 10_000)).toBe('about 3 min left');
    expect(formatTimeLeft(80 * 60_000)).toBe('about 1 h 20 min left');
    expect(formatTimeLeft(2 * 3_600_000)).toBe('about 2 h left');
  });

  it('never shows a nonsense estimate', () => {
    expect(formatTimeLeft(-5)).toBe('working out the time left');
    expect(formatTimeLeft(Number.POSITIVE_INFINITY)).toBe('working out the time left');
  });
});
