// Identifiers handed to the app from outside (a file given on the command line or to a second
// launch), for the Learners lookup. Kept outside React: the screen may mount after the file
// arrives, so a file nobody took yet waits for the next taker.
import type { IdFile } from '../bindings';

let pending: IdFile | null = null;
let taker: ((file: IdFile) => void) | null = null;

/** Hands `file`'s identifiers to the lookup now, or when it next mounts. */
export function offerIds(file: IdFile): void {
  if (taker) taker(file);
  else pending = file;
}

/** The lookup takes offered identifiers while mounted (at once, if some are waiting). */
export function takeOfferedIds(take: (file: IdFile) => void): () => void {
  taker = take;
  if (pending) {
    const file = pending;
    pending = null;
    queueMicrotask(() => take(file));
  }
  return () => {
    if (taker === take) taker = null;
  };
}
