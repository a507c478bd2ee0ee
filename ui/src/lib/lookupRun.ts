// One lookup as the Look up tab runs it: the local mirror first (instant, offline), then the LMS,
// whose progress streams in and which can be cancelled.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LookupMode, LookupProgress, LookupRequest, LookupResult } from '../bindings';
import { backend, toAppError, type AppError } from './backend';
import { isBulk } from './ids';
import type { LiveOutcome } from './lookup';
import { newTaskId } from './taskId';

export interface LookupInput {
  connectionId: string;
  providers: string[];
  ids: string[];
  mode: LookupMode;
}

export interface LookupRunState {
  input: LookupInput;
  taskId: string;
  bulk: boolean;
  cache: LookupResult | null;
  cacheError: AppError | null;
  cachePending: boolean;
  live: LiveOutcome | null;
  livePending: boolean;
  progress: LookupProgress | null;
  cancelling: boolean;
}

function requestOf(input: LookupInput): LookupRequest {
  return {
    profile_id: input.connectionId,
    providers: input.providers,
    ids: input.ids,
    mode: input.mode,
    chunk_size: null,
    concurrency: null,
  };
}

export function useLookupRun() {
  const [run, setRun] = useState<LookupRunState | null>(null);
  /** The task of the newest lookup: answers of older ones are ignored. */
  const latest = useRef<string | null>(null);
  const livePending = useRef(false);

  const patch = useCallback((taskId: string, change: (run: LookupRunState) => Partial<LookupRunState>) => {
    if (latest.current !== taskId) return;
    setRun((old) => (old && old.taskId === taskId ? { ...old, ...change(old) } : old));
  }, []);

  const start = useCallback(
    async (input: LookupInput) => {
      const taskId = newTaskId();
      latest.current = taskId;
      setRun({
        input,
        taskId,
        bulk: isBulk(input.ids.length),
        cache: null,
        cacheError: null,
        cachePending: true,
        live: null,
        livePending: true,
        progress: null,
        cancelling: false,
      });
      const request = requestOf(input);

      try {
        const cache = await backend.lookupCached(request);
        patch(taskId, () => ({ cache, cachePending: false }));
      } catch (reason) {
        patch(taskId, () => ({ cacheError: toAppError(reason, 'lookup_cached'), cachePending: false }));
      }
      if (latest.current !== taskId) return;

      livePending.current = true;
      let live: LiveOutcome;
      try {
        const result = await backend.lookupLive(request, taskId, (progress) => patch(taskId, () => ({ progress })));
        live = { kind: 'result', result };
      } catch (reason) {
        const error = toAppError(reason, 'lookup_live');
        live = { kind: 'failed', code: error.code, message: error.message };
      } finally {
        if (latest.current === taskId) livePending.current = false;
      }
      patch(taskId, () => ({ live, livePending: false, cancelling: false }));
    },
    [patch],
  );

  const cancel = useCallback(async () => {
    const taskId = latest.current;
    if (!taskId) return;
    patch(taskId, () => ({ cancelling: true }));
    try {
      await backend.cancelTask(taskId);
    } catch {
      // The lookup ends by itself anyway and says what it got.
    }
  }, [patch]);

  // Leaving the screen stops a lookup still asking the LMS: nobody would see its answer.
  useEffect(
    () => () => {
      const taskId = latest.current;
      latest.current = null;
      if (taskId && livePending.current) void backend.cancelTask(taskId).catch(() => undefined);
    },
    [],
  );

  return { run, start, cancel };
}
