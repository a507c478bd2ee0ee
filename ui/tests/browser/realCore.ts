// The browser suite's way to the real core: every `invoke` the page makes goes, as Tauri's own IPC
// would, to http://ipc.localhost/<command> (which the app's CSP allows); Playwright hands it to
// `crosswalk-bridge` (src-tauri/src/bridge.rs), which runs the command through the app's own
// handler and capability file on Tauri's mock runtime, in demo mode with the sandbox behind it.
// So these specs test the rules in Rust, not a copy of them. The bridge is started by
// playwright.config.ts (project "real-core") on BRIDGE_URL.
import type { Page } from '@playwright/test';

export const BRIDGE_PORT = 41732;
export const BRIDGE_URL = `http://127.0.0.1:${BRIDGE_PORT}`;

/** The bridge's data folder: `chosen/` holds what its save dialogs "chose", `opened/` what it
 * "opened in the browser", `crosswalk/` the database and logs. */
export function bridgeData(): string {
  const dir = process.env.CROSSWALK_BRIDGE_DATA;
  if (!dir) throw new Error('CROSSWALK_BRIDGE_DATA is not set: run the real-core specs through playwright.config.ts');
  return dir;
}

/** One command straight to the core, as the page would send it; throws the core's message. */
export async function core<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${BRIDGE_URL}/invoke/${cmd}`, { method: 'POST', body: JSON.stringify(args) });
  const answer = (await response.json()) as { ok?: T; error?: { message: string } };
  if (answer.error) throw new Error(`${cmd}: ${answer.error.message}`);
  return answer.ok as T;
}

/** Installs the forwarding `invoke` before the app's scripts run. */
export async function realCore(page: Page): Promise<void> {
  await page.route('http://ipc.localhost/**', async (route) => {
    const cmd = new URL(route.request().url()).pathname.slice(1);
    const answer = await fetch(`${BRIDGE_URL}/invoke/${cmd}`, {
      method: 'POST',
      body: route.request().postData() ?? '{}',
    });
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: await answer.text(),
    });
  });
  await page.addInitScript(() => {
    type Callback = (payload: unknown) => void;
    const w = window as unknown as Record<string, unknown>;
    let nextCallback = 1;
    w.__TAURI_INTERNALS__ = {
      metadata: {
        currentWindow: { label: 'main' },
        currentWebview: { windowLabel: 'main', label: 'main' },
      },
      async invoke(cmd: string, args?: Record<string, unknown>) {
        // A simple request (text/plain), as the answer comes from another origin.
        const response = await fetch(`http://ipc.localhost/${encodeURIComponent(cmd)}`, {
          method: 'POST',
          body: JSON.stringify(args ?? {}),
        });
        const answer = (await response.json()) as { ok?: unknown; error?: unknown };
        if ('error' in answer) throw answer.error;
        return answer.ok;
      },
      transformCallback(callback?: Callback, once = false) {
        const id = nextCallback++;
        const key = `_${id}`;
        w[key] = (payload: unknown) => {
          if (once) delete w[key];
          callback?.(payload);
        };
        return id;
      },
      unregisterCallback(id: number) {
        delete w[`_${id}`];
      },
      convertFileSrc(path: string) {
        return path;
      },
    };
    w.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener() {} };
  });
}
