// Files dropped on the window. Tauri hands the webview the dropped files' paths (the page itself
// never sees their contents); outside Tauri (a browser, the tests) there is nothing to listen to.
import { isTauri } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { useEffect, useEffectEvent, useState } from 'react';

/** Calls `onDrop` with the paths of files dropped anywhere on the window; true while files are dragged over it. */
export function useFileDrop(onDrop: (paths: string[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const dropped = useEffectEvent((paths: string[]) => onDrop(paths));

  useEffect(() => {
    if (!isTauri()) return;
    let unlisten: (() => void) | null = null;
    let gone = false;
    getCurrentWebview()
      .onDragDropEvent((event) => {
        const payload = event.payload;
        if (payload.type === 'enter' || payload.type === 'over') setDragging(true);
        else if (payload.type === 'leave') setDragging(false);
        else {
          setDragging(false);
          if (payload.paths.length > 0) dropped(payload.paths);
        }
      })
      .then(
        (stop) => {
          if (gone) stop();
          else unlisten = stop;
        },
        () => {
          // No drag and drop in this window: "Choose file…" still opens reports.
        },
      );
    return () => {
      gone = true;
      unlisten?.();
    };
  }, []);

  return dragging;
}
