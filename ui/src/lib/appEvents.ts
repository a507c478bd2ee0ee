// Events the back end sends the window (`job`, `open-file`). Outside the app (the browser test
// suite, Vitest) there is no event channel, and listening does nothing.

/**
 * Calls `handler` with each `event` payload until the returned clean-up runs (for useEffect).
 * `onListening` runs once the window is listening (or could not listen): what was sent before
 * then was missed, so that is the moment to ask for it.
 */
export function listenWhileMounted<T>(event: string, handler: (payload: T) => void, onListening?: () => void): () => void {
  let stop: (() => void) | undefined;
  let cancelled = false;
  import('@tauri-apps/api/event')
    .then(({ listen }) => listen<T>(event, ({ payload }) => handler(payload)))
    .then((unlisten) => {
      if (cancelled) unlisten();
      else stop = unlisten;
    })
    .catch(() => undefined)
    .finally(() => {
      if (!cancelled) onListening?.();
    });
  return () => {
    cancelled = true;
    stop?.();
  };
}
