import type { Channel } from '@tauri-apps/api/core';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgress, SyncRecord } from '../bindings';
import { createQueryClient } from './queries';
import { cancelSync, currentSyncs, resetSyncs, startSync, syncKey, syncProgressText, syncRecordSummary } from './syncs';

const record: SyncRecord = {
  id: 7,
  profile_id: 'lms',
  provider_id: 'saml-a',
  started_at: '2025-03-14T12:00:00Z',
  finished_at: '2025-03-14T12:00:05Z',
  status: 'done',
  count: 3003,
  added: 3,
  removed: 1,
  changed: 2,
  note: '',
};

afterEach(() => {
  clearMocks();
  resetSyncs();
});

describe('a mirror sync', () => {
  it('streams its progress and ends with what it did', async () => {
    let release = () => {};
    mockIPC(async (cmd, args) => {
      expect(cmd).toBe('sync_provider');
      const a = args as { connectionId: string; providerId: string; taskId: string; onProgress: Channel<SyncProgress> };
      expect(a).toMatchObject({ connectionId: 'lms', providerId: 'saml-a' });
      expect(a.taskId).toMatch(/^[0-9a-f-]{36}$/);
      a.onProgress.onmessage({ pages_done: 1, pages_total: 31, rows: 100, count: 3003 });
      await new Promise<void>((resolve) => (release = resolve));
      return record;
    });
    const key = syncKey('lms', 'saml-a');
    const running = startSync(createQueryClient(), 'lms', 'saml-a');
    await new Promise((r) => setTimeout(r, 0));
    expect(currentSyncs().running[key]?.progress).toEqual({ pages_done: 1, pages_total: 31, rows: 100, count: 3003 });
    // The same provider is not synced twice at once.
    expect(await startSync(createQueryClient(), 'lms', 'saml-a')).toBeNull();
    release();
    expect(await running).toEqual({ kind: 'done', record });
    expect(currentSyncs().running[key]).toBeUndefined();
    expect(currentSyncs().outcomes[key]).toEqual({ kind: 'done', record });
  });

  it('ends as cancelled, keeping the previous mirror, when the person cancels', async () => {
    const cancelled: unknown[] = [];
    let reject: (reason: unknown) => void = () => {};
    mockIPC((cmd, args) => {
      if (cmd === 'cancel_task') {
        cancelled.push(args);
        reject({ code: 'cancelled', message: 'Cancelled. Nothing more was sent; what was already done is kept.' });
        return true;
      }
      return new Promise((_resolve, rej) => (reject = rej));
    });
    const running = startSync(createQueryClient(), 'lms', 'saml-a');
    await new Promise((r) => setTimeout(r, 0));
    await cancelSync('lms', 'saml-a');
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: 'cancelled' });
    expect(cancelled).toHaveLength(1);
    expect(currentSyncs().outcomes[syncKey('lms', 'saml-a')]).toMatchObject({ kind: 'cancelled' });
  });

  it('reports a failure with the back end’s message', async () => {
    mockIPC(() => {
      throw { code: 'remote', message: 'Open edX refused (403). Ask the LMS operator.' };
    });
    expect(await startSync(createQueryClient(), 'lms', 'saml-a')).toEqual({
      kind: 'failed',
      message: 'Open edX refused (403). Ask the LMS operator.',
    });
  });
});

describe('sync texts', () => {
  it('reads like progress', () => {
    expect(syncProgressText(null)).toBe('Asking the LMS for the first page…');
    expect(syncProgressText({ pages_done: 3, pages_total: 31, rows: 300, count: 3003 })).toMatch(
      /^Page 3 of 31 · 300 of 3[,.\s\u00a0\u202f’']003 learners$/,
    );
    expect(syncRecordSummary({ ...record, count: 42 })).toBe('42 learners copied: 3 added, 1 removed, 2 changed.');
  });
});
