import type { Channel } from '@tauri-apps/api/core';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportOptions, GradeFile, ReconcileProgress, ReconcileRequest, Reconciliation } from '../bindings';
import { createQueryClient } from './queries';
import {
  cancelRun,
  changeDraft,
  currentGradesSession,
  goToStep,
  loadFile,
  resetGradesSession,
  startMatch,
  startReopen,
} from './gradesSession';

const file: GradeFile = {
  path: '/home/staff/grades.csv',
  file_name: 'grades.csv',
  kind: 'course_grades',
  format: 'csv',
  encoding: 'UTF-8',
  delimiter: ',',
  headers: ['Username', 'Grade'],
  columns: { username: 0, student_id: null, email: null, grade: 1, enrollment_status: null },
  grade_columns: [1],
  sample: [['learner0001', '0.5']],
  size_bytes: 30,
};

const request: ReconcileRequest = {
  path: file.path,
  profile_id: 'demo-staff',
  provider_id: 'saml-demo-univ',
  columns: file.columns,
  live: true,
};

const reconciliation: Reconciliation = {
  id: 7,
  file,
  request,
  checksum: 'x',
  counts: { rows: 1, matched: 1, not_linked: 0, not_checked: 0, ambiguous: 0, unenrolled: 0, problems: 0 },
  problems: [],
  live_looked_up: 0,
  live_errors: [],
  cancelled: false,
  mirror_synced_at: null,
  created_at: '2025-03-14T09:00:00Z',
};

const saved: ExportOptions = {
  template: 'moodle',
  format: 'xlsx',
  bom: false,
  grade_column: null,
  item_name: 'Quiz',
  scale: { kind: 'points', max: 10 },
  decimals: 0,
  letters: [],
  not_attempted: 'zero',
  include_unenrolled: false,
  columns: [],
};

afterEach(() => {
  clearMocks();
  resetGradesSession();
});

describe('the Grades session', () => {
  it('goes from a loaded file to its check, and only to steps whose data is there', () => {
    goToStep('check');
    expect(currentGradesSession().step).toBe('load');
    loadFile(file);
    expect(currentGradesSession()).toMatchObject({ step: 'check', file, draft: { columns: file.columns, live: true } });
    changeDraft({ live: false, providerId: 'saml-x' });
    expect(currentGradesSession().draft).toMatchObject({ live: false, providerId: 'saml-x' });
    goToStep('review');
    expect(currentGradesSession().step).toBe('check');
    goToStep('load');
    expect(currentGradesSession().step).toBe('load');
  });

  it('matches with progress, then reviews with the defaults when the reconciliation was never exported', async () => {
    const progress: (ReconcileProgress | null)[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'grades_reconcile') {
        const { onProgress } = args as { onProgress: Channel<ReconcileProgress> };
        onProgress.onmessage({ phase: 'looking_up', rows_read: 1, ids_done: 1, ids_total: 2, eta_ms: 100 });
        progress.push(currentGradesSession().run?.progress ?? null);
        return reconciliation;
      }
      if (cmd === 'grades_last_options') return null;
      throw `unexpected ${cmd}`;
    });
    loadFile(file);
    const running = startMatch(createQueryClient(), request);
    expect(currentGradesSession().run).toMatchObject({ kind: 'match', recordId: null, cancelling: false });
    // Only one match at a time.
    expect(await startMatch(createQueryClient(), request)).toBeNull();

    expect(await running).toEqual({ ok: true, reconciliation });
    expect(progress).toEqual([{ phase: 'looking_up', rows_read: 1, ids_done: 1, ids_total: 2, eta_ms: 100 }]);
    const session = currentGradesSession();
    expect(session).toMatchObject({ step: 'review', run: null, error: null, reconciliation });
    expect(session.exportForm).toMatchObject({ template: 'generic', scale: 'percent', decimals: 2 });
  });

  it('reopens with the last export’s settings and the request’s columns and target', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'grades_reopen') return { ...reconciliation, id: (args as { id: number }).id };
      if (cmd === 'grades_last_options') return saved;
      throw `unexpected ${cmd}`;
    });
    const outcome = await startReopen(createQueryClient(), 7);
    expect(outcome?.ok).toBe(true);
    expect(currentGradesSession()).toMatchObject({
      step: 'review',
      file,
      draft: { connectionId: 'demo-staff', providerId: 'saml-demo-univ', live: true },
      exportForm: { template: 'moodle', format: 'xlsx', itemName: 'Quiz', scale: 'points', pointsMax: 10, notAttempted: 'zero' },
    });
  });

  it('keeps the failure with its message, and stays on the step it was on', async () => {
    mockIPC((cmd) => {
      if (cmd === 'grades_reconcile') throw { code: 'invalid', message: 'Choose the username column.' };
      throw `unexpected ${cmd}`;
    });
    loadFile(file);
    const outcome = await startMatch(createQueryClient(), request);
    expect(outcome).toEqual({ ok: false, error: { kind: 'match', recordId: null, code: 'invalid', message: 'Choose the username column.' } });
    expect(currentGradesSession()).toMatchObject({ step: 'check', run: null, reconciliation: null });
    expect(currentGradesSession().error?.message).toBe('Choose the username column.');
  });

  it('Cancel asks the back end to stop the running task', async () => {
    const asked: unknown[] = [];
    let finish: (r: Reconciliation) => void = () => undefined;
    mockIPC((cmd, args) => {
      asked.push([cmd, args]);
      if (cmd === 'grades_reconcile') return new Promise<Reconciliation>((resolve) => (finish = resolve));
      if (cmd === 'cancel_task') return true;
      if (cmd === 'grades_last_options') return null;
      throw `unexpected ${cmd}`;
    });
    loadFile(file);
    const running = startMatch(createQueryClient(), request);
    const taskId = currentGradesSession().run?.taskId;
    await cancelRun();
    expect(currentGradesSession().run?.cancelling).toBe(true);
    expect(asked).toContainEqual(['cancel_task', { taskId }]);
    finish({ ...reconciliation, cancelled: true });
    expect(await running).toMatchObject({ ok: true, reconciliation: { cancelled: true } });
  });
});
