import { afterEach, describe, expect, it, vi } from 'vitest';
import { newTaskId } from './taskId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => vi.unstubAllGlobals());

describe('task ids', () => {
  it('are random version-4 UUIDs', () => {
    const a = newTaskId();
    expect(a).toMatch(UUID);
    expect(newTaskId()).not.toBe(a);
  });

  it('are made by hand where crypto.randomUUID is missing (not a secure context)', () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes.fill(0xff) });
    expect(newTaskId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});
