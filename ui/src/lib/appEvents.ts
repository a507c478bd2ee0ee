// Events the back end sends the window (`job`, `open-file`). Outside the app (the browser test
// suite, Vitest) there is no event channel, and listening does nothing.

/** Calls `handler` with each `event` payload until the returned clean-up runs (for useEffect). */
export function listenWhileMounted<T>(event: string, handler: (payload: T) => void): () => void {
  let stop: (() => void) | undefined;
  let cancelled = false;
  import('@tauri-apps/api/event')
    .then(({ listen }) => listen<T>(event, ({ payload }) => handler(payload)))
    .then((unlisten) => {
      if (cancelled) unlisten();
      else stop = unlisten;
    })
    .catch(() => undefined);
  return () => {
    cancelled = true;
    stop?.();
  };
}
