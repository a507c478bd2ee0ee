// "Sync every N hours while Crosswalk is open": a per-connection setting kept in this computer's
// localStorage (it is a preference of the person at this desk, not of the connection).
import { useSyncExternalStore } from 'react';
import type { MirrorStatus } from '../bindings';

export interface MirrorSchedule {
  enabled: boolean;
  hours: number;
}

export const DEFAULT_SCHEDULE: MirrorSchedule = { enabled: false, hours: 6 };
export const MIN_HOURS = 1;
export const MAX_HOURS = 168;

const STORAGE_KEY = 'crosswalk.mirrorSchedules';
const HOUR_MS = 3_600_000;

type Schedules = Readonly<Record<string, MirrorSchedule>>;

function clampHours(hours: unknown): number {
  const n = typeof hours === 'number' && Number.isFinite(hours) ? Math.round(hours) : DEFAULT_SCHEDULE.hours;
  return Math.min(MAX_HOURS, Math.max(MIN_HOURS, n));
}

function read(): Schedules {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, MirrorSchedule> = {};
    for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) continue;
      const v = value as Record<string, unknown>;
      out[id] = { enabled: v.enabled === true, hours: clampHours(v.hours) };
    }
    return out;
  } catch {
    return {};
  }
}

let schedules: Schedules | null = null;
const listeners = new Set<() => void>();

function snapshot(): Schedules {
  schedules ??= read();
  return schedules;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) {
      schedules = read();
      listener();
    }
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function scheduleOf(all: Schedules, connectionId: string): MirrorSchedule {
  return all[connectionId] ?? DEFAULT_SCHEDULE;
}

export function setSchedule(connectionId: string, schedule: MirrorSchedule): void {
  schedules = { ...snapshot(), [connectionId]: { enabled: schedule.enabled, hours: clampHours(schedule.hours) } };
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(schedules));
  } catch {
    // Storage full or disabled: the setting lasts until Crosswalk closes.
  }
  for (const listener of listeners) listener();
}

/** Every connection's schedule, kept current. */
export function useMirrorSchedules(): Schedules {
  return useSyncExternalStore(subscribe, snapshot);
}

/**
 * The providers due for a periodic sync: never synced, or last synced more than `hours` ago, and not
 * tried automatically in the last `hours` either (so a failing provider is not asked again and again).
 */
export function dueProviders(
  statuses: MirrorStatus[],
  hours: number,
  now: number,
  lastAttempt: (providerId: string) => number | undefined,
): string[] {
  const every = clampHours(hours) * HOUR_MS;
  return statuses
    .filter((s) => {
      const finished = s.last_sync?.finished_at ?? s.last_sync?.started_at ?? null;
      const syncedAt = finished ? Date.parse(finished) : Number.NaN;
      const stale = Number.isNaN(syncedAt) || now - syncedAt >= every;
      const tried = lastAttempt(s.provider_id);
      return stale && (tried === undefined || now - tried >= every);
    })
    .map((s) => s.provider_id);
}

/** For tests: forget what was read from storage. */
export function resetSchedules(): void {
  schedules = null;
}
