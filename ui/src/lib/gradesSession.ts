// The Grades screen's work in progress: the report being checked, the match running, the
// reconciliation being reviewed and its export settings. Kept outside React, like the mirror syncs,
// so that leaving the screen (to sync a mirror in Learners, say) loses nothing and a match keeps
// running, with its progress, until it ends.
import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { ErrorPayload, GradeFile, ReconcileProgress, ReconcileRequest, Reconciliation } from '../bindings';
import { backend, toAppError } from './backend';
import { draftFromFile, type MatchDraft } from './gradesColumns';
import { defaultExportForm, fromExportOptions, type ExportForm } from './gradesExport';
import { gradesKeys } from './gradesQueries';
import { newTaskId } from './taskId';

export type GradesStep = 'load' | 'check' | 'review';

export type RunKind = 'match' | 'reopen';

export interface GradesRun {
  kind: RunKind;
  taskId: string;
  /** The History entry being reopened. */
  recordId: number | null;
  progress: ReconcileProgress | null;
  cancelling: boolean;
}

export interface GradesRunError extends ErrorPayload {
  kind: RunKind;
  recordId: number | null;
}

export interface GradesSession {
  step: GradesStep;
  file: GradeFile | null;
  draft: MatchDraft | null;
  run: GradesRun | null;
  /** How the last match or reopen failed (cleared by the next one). */
  error: GradesRunError | null;
  reconciliation: Reconciliation | null;
  /** The export settings of `reconciliation`; null while its last settings are read. */
  exportForm: ExportForm | null;
}

const empty: GradesSession = {
  step: 'load',
  file: null,
  draft: null,
  run: null,
  error: null,
  reconciliation: null,
  exportForm: null,
};

let state: GradesSession = empty;
const listeners = new Set<() => void>();

function update(change: (old: GradesSession) => GradesSession): void {
  state = change(state);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useGradesSession(): GradesSession {
  return useSyncExternalStore(subscribe, () => state);
}

/** The session right now, outside React. */
export function currentGradesSession(): GradesSession {
  return state;
}

/** A report was opened, dropped or made: check it next. The reconciliation before it is in History. */
export function loadFile(file: GradeFile): void {
  update((s) => ({ ...s, step: 'check', file, draft: draftFromFile(file), error: null, reconciliation: null, exportForm: null }));
}

export function changeDraft(change: Partial<MatchDraft>): void {
  update((s) => (s.draft ? { ...s, draft: { ...s.draft, ...change } } : s));
}

/** Goes back to a step whose data is there. */
export function goToStep(step: GradesStep): void {
  update((s) => {
    if (step === 'check' && !s.file) return s;
    if (step === 'review' && !s.reconciliation) return s;
    return { ...s, step };
  });
}

export function changeExportForm(change: (form: ExportForm) => ExportForm): void {
  update((s) => (s.exportForm ? { ...s, exportForm: change(s.exportForm) } : s));
}

export type RunOutcome = { ok: true; reconciliation: Reconciliation } | { ok: false; error: GradesRunError };

function patchRun(taskId: string, change: (run: GradesRun) => Partial<GradesRun>): void {
  update((s) => (s.run?.taskId === taskId ? { ...s, run: { ...s.run, ...change(s.run) } } : s));
}

async function execute(
  client: QueryClient,
  kind: RunKind,
  recordId: number | null,
  call: (taskId: string, onProgress: (p: ReconcileProgress) => void) => Promise<Reconciliation>,
): Promise<RunOutcome | null> {
  if (state.run) return null;
  const taskId = newTaskId();
  update((s) => ({ ...s, run: { kind, taskId, recordId, progress: null, cancelling: false }, error: null }));
  let reconciliation: Reconciliation;
  try {
    reconciliation = await call(taskId, (progress) => patchRun(taskId, () => ({ progress })));
  } catch (reason) {
    const { code, message } = toAppError(reason, kind === 'match' ? 'grades_reconcile' : 'grades_reopen');
    const error: GradesRunError = { kind, recordId, code, message };
    update((s) => ({ ...s, run: null, error }));
    void client.invalidateQueries({ queryKey: gradesKeys.history });
    return { ok: false, error };
  }
  // Matched again (a reopen keeps its id, and times are to the second): forget its old rows and previews.
  client.removeQueries({ queryKey: gradesKeys.reconciliation(reconciliation.id) });
  update((s) => ({
    ...s,
    run: null,
    step: 'review',
    file: reconciliation.file,
    draft: kind === 'reopen' ? { ...draftFromFile(reconciliation.file), ...draftOf(reconciliation) } : s.draft,
    reconciliation,
    exportForm: null,
  }));
  // A match is saved in History; a reopen changes its entry's counts.
  void client.invalidateQueries({ queryKey: gradesKeys.history });
  await loadExportForm(reconciliation);
  return { ok: true, reconciliation };
}

function draftOf(r: Reconciliation): MatchDraft {
  return {
    columns: { ...r.request.columns },
    connectionId: r.request.profile_id,
    providerId: r.request.provider_id,
    live: r.request.live,
  };
}

/** The settings of the reconciliation's last export, else the defaults. */
async function loadExportForm(r: Reconciliation): Promise<void> {
  let form = defaultExportForm();
  try {
    const last = await backend.gradesLastOptions(r.id);
    if (last) form = fromExportOptions(last);
  } catch {
    // Only a convenience: the defaults are a fine start.
  }
  update((s) => (s.reconciliation?.id === r.id && s.reconciliation.created_at === r.created_at ? { ...s, exportForm: form } : s));
}

/** Matches the loaded report. Resolves with how it ended; null when a match or reopen is already running. */
export function startMatch(client: QueryClient, request: ReconcileRequest): Promise<RunOutcome | null> {
  return execute(client, 'match', null, (taskId, onProgress) => backend.gradesReconcile(request, taskId, onProgress));
}

/** Reads a saved reconciliation's file again and matches it again. */
export function startReopen(client: QueryClient, recordId: number): Promise<RunOutcome | null> {
  return execute(client, 'reopen', recordId, (taskId, onProgress) => backend.gradesReopen(recordId, taskId, onProgress));
}

/** Stops the live lookups; the match ends with what is known (a match still reading the file ends `cancelled`). */
export async function cancelRun(): Promise<void> {
  const run = state.run;
  if (!run || run.cancelling) return;
  patchRun(run.taskId, () => ({ cancelling: true }));
  try {
    await backend.cancelTask(run.taskId);
  } catch {
    // The match ends by itself anyway and says what it got.
  }
}

export function dismissError(): void {
  update((s) => ({ ...s, error: null }));
}

/** For tests: start from nothing. */
export function resetGradesSession(): void {
  update(() => empty);
}
