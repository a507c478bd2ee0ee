// Mirror syncs in progress, and how the last one of each provider ended. Kept outside React so a
// sync keeps running (and keeps its progress) when the person leaves the Learners screen, and so the
// periodic sync and the "Sync now" button never run the same provider twice at once.
import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { SyncProgress, SyncRecord } from '../bindings';
import { backend, toAppError } from './backend';
import { formatCount } from './format';
import { queryKeys } from './queries';
import { newTaskId } from './taskId';

export interface RunningSync {
  connectionId: string;
  providerId: string;
  taskId: string;
  progress: SyncProgress | null;
  /** Started by the periodic sync, not by a person. */
  automatic: boolean;
  cancelling: boolean;
}

export type SyncOutcome =
  | { kind: 'done'; record: SyncRecord }
  | { kind: 'cancelled'; message: string }
  | { kind: 'failed'; message: string };

export interface SyncState {
  running: Readonly<Record<string, RunningSync>>;
  outcomes: Readonly<Record<string, SyncOutcome>>;
}

let state: SyncState = { running: {}, outcomes: {} };
const listeners = new Set<() => void>();

function update(change: (old: SyncState) => SyncState): void {
  state = change(state);
  for (const listener of listeners) listener();
}

export function syncKey(connectionId: string, providerId: string): string {
  return `${connectionId}\u0000${providerId}`;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSyncs(): SyncState {
  return useSyncExternalStore(subscribe, () => state);
}

/** The state right now, outside React. */
export function currentSyncs(): SyncState {
  return state;
}

/**
 * Copies a provider into the mirror. Resolves with how it ended (never rejects); does nothing and
 * resolves null when that provider is already syncing.
 */
export async function startSync(
  client: QueryClient,
  connectionId: string,
  providerId: string,
  automatic = false,
): Promise<SyncOutcome | null> {
  const key = syncKey(connectionId, providerId);
  if (key in state.running) return null;
  const taskId = newTaskId();
  update((s) => ({
    running: { ...s.running, [key]: { connectionId, providerId, taskId, progress: null, automatic, cancelling: false } },
    outcomes: s.outcomes,
  }));

  let outcome: SyncOutcome;
  try {
    const record = await backend.syncProvider(connectionId, providerId, taskId, (progress) => {
      update((s) => {
        const run = s.running[key];
        if (run?.taskId !== taskId) return s;
        return { ...s, running: { ...s.running, [key]: { ...run, progress } } };
      });
    });
    outcome = { kind: 'done', record };
  } catch (reason) {
    const error = toAppError(reason, 'sync_provider');
    outcome = { kind: error.code === 'cancelled' ? 'cancelled' : 'failed', message: error.message };
  }

  update((s) => {
    const { [key]: _finished, ...running } = s.running;
    return { running, outcomes: { ...s.outcomes, [key]: outcome } };
  });
  await client.invalidateQueries({ queryKey: queryKeys.mirror(connectionId) });
  return outcome;
}

/** Asks the back end to stop the sync; it ends as `cancelled` and the previous mirror stays. */
export async function cancelSync(connectionId: string, providerId: string): Promise<void> {
  const key = syncKey(connectionId, providerId);
  const run = state.running[key];
  if (!run || run.cancelling) return;
  update((s) => ({ ...s, running: { ...s.running, [key]: { ...run, cancelling: true } } }));
  try {
    await backend.cancelTask(run.taskId);
  } catch {
    // The sync ends by itself anyway; its outcome says what happened.
  }
}

/** Forgets how a sync ended (the person closed the message). */
export function dismissOutcome(connectionId: string, providerId: string): void {
  const key = syncKey(connectionId, providerId);
  if (!(key in state.outcomes)) return;
  update((s) => {
    const { [key]: _gone, ...outcomes } = s.outcomes;
    return { ...s, outcomes };
  });
}

/** "Page 3 of 31 · 300 of 3,003 learners". */
export function syncProgressText(progress: SyncProgress | null): string {
  if (!progress) return 'Asking the LMS for the first page…';
  const pages = `Page ${formatCount(progress.pages_done)} of ${formatCount(Math.max(progress.pages_total, progress.pages_done))}`;
  return `${pages} · ${formatCount(progress.rows)} of ${formatCount(progress.count)} learners`;
}

export function syncPercent(progress: SyncProgress | null): number {
  if (!progress || progress.pages_total === 0) return 0;
  return Math.min(100, (progress.pages_done / progress.pages_total) * 100);
}

/** What a finished sync did, in a sentence. */
export function syncRecordSummary(record: SyncRecord): string {
  const changes = `${formatCount(record.added)} added, ${formatCount(record.removed)} removed, ${formatCount(record.changed)} changed`;
  return `${formatCount(record.count)} learners copied: ${changes}.`;
}

/** For tests: start from nothing. */
export function resetSyncs(): void {
  update(() => ({ running: {}, outcomes: {} }));
}
