import { describe, expect, it, vi } from 'vitest';
import type { IdFile } from '../bindings';
import { offerIds, takeOfferedIds } from './offeredIds';

const file = (ids: string[]): IdFile => ({ file: '/tmp/ids.csv', ids, mode: null });

describe('offered identifiers', () => {
  it('wait for the lookup when it is not mounted, and go straight to it when it is', async () => {
    offerIds(file(['ann']));
    const take = vi.fn<(f: IdFile) => void>();
    const stop = takeOfferedIds(take);
    await Promise.resolve();
    expect(take).toHaveBeenCalledExactlyOnceWith(file(['ann']));
    offerIds(file(['bob']));
    expect(take).toHaveBeenLastCalledWith(file(['bob']));
    stop();
    // Taken once only: a new lookup does not get the old file again.
    const later = vi.fn<(f: IdFile) => void>();
    takeOfferedIds(later)();
    await Promise.resolve();
    expect(later).not.toHaveBeenCalled();
  });
});
