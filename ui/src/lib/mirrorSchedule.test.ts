import { afterEach, describe, expect, it } from 'vitest';
import type { MirrorStatus } from '../bindings';
import { DEFAULT_SCHEDULE, dueProviders, resetSchedules, scheduleOf, setSchedule } from './mirrorSchedule';

const HOUR = 3_600_000;
const NOW = Date.parse('2025-03-14T12:00:00Z');

function status(provider: string, hoursAgo: number | null): MirrorStatus {
  const at = hoursAgo === null ? null : new Date(NOW - hoursAgo * HOUR).toISOString();
  return {
    provider_id: provider,
    size: 10,
    last_sync: at
      ? { id: 1, profile_id: 'p', provider_id: provider, started_at: at, finished_at: at, status: 'done', count: 10, added: 0, removed: 0, changed: 0, note: '' }
      : null,
  };
}

afterEach(() => {
  window.localStorage.clear();
  resetSchedules();
});

describe('periodic sync', () => {
  it('syncs providers never synced or synced longer ago than the interval', () => {
    const statuses = [status('fresh', 1), status('stale', 7), status('never', null)];
    expect(dueProviders(statuses, 6, NOW, () => undefined)).toEqual(['stale', 'never']);
  });

  it('does not ask again and again for a provider whose automatic sync keeps failing', () => {
    const statuses = [status('failing', 30)];
    expect(dueProviders(statuses, 6, NOW, () => NOW - 2 * HOUR)).toEqual([]);
    expect(dueProviders(statuses, 6, NOW, () => NOW - 6 * HOUR)).toEqual(['failing']);
  });

  it('keeps each connection’s setting in localStorage, within sensible bounds', () => {
    expect(scheduleOf({}, 'lms')).toEqual(DEFAULT_SCHEDULE);
    setSchedule('lms', { enabled: true, hours: 0 });
    setSchedule('other', { enabled: false, hours: 1000 });
    resetSchedules(); // as if Crosswalk started again
    const stored = JSON.parse(window.localStorage.getItem('crosswalk.mirrorSchedules') ?? '{}') as unknown;
    expect(stored).toEqual({ lms: { enabled: true, hours: 1 }, other: { enabled: false, hours: 168 } });
  });
});
