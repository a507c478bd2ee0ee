// A stand-in for Crosswalk's Rust back end inside the test browser: it answers `invoke` the way
// Tauri would, from the fixtures, and records every call so tests can check what the UI asked for.
import type { Page } from '@playwright/test';
import type { ActivityEntry, ActivityQuery } from '../../src/bindings';
import { defaultMockConfig, type MockConfig } from './fixtures';

export interface RecordedCall {
  cmd: string;
  args: Record<string, unknown>;
}

interface MockWindow {
  __TAURI_INTERNALS__: unknown;
  __TAURI_EVENT_PLUGIN_INTERNALS__: unknown;
  __CROSSWALK_MOCK__: { calls: RecordedCall[] };
  [callback: `_${number}`]: ((payload: unknown) => void) | undefined;
}

/**
 * Runs in the page before the app's own code. It must be self-contained: Playwright sends only its
 * source text to the browser, so it may use nothing from this module but its argument.
 */
function installMock(config: MockConfig): void {
  const w = window as unknown as MockWindow;
  const calls: RecordedCall[] = [];
  const failures = JSON.parse(JSON.stringify(config.failures)) as MockConfig['failures'];
  const loadedAt = Date.now();
  const entries: ActivityEntry[] = config.activity.map(({ minutesAgo, ...rest }) => ({
    ...rest,
    at: new Date(loadedAt - minutesAgo * 60_000).toISOString(),
  }));
  let nextCallback = 1;

  function reject(code: string, message: string) {
    return { code, message };
  }

  function answer(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case 'app_info':
        return config.appInfo;
      case 'list_connections':
        return config.connections;
      case 'browse_mappings': {
        const connectionId = args.connectionId as string;
        const providerId = args.providerId as string;
        const page = args.page as number;
        const pageSize = args.pageSize as number;
        const connection = config.connections.find((c) => c.profile.id === connectionId)?.profile;
        if (!connection) throw reject('not_found', `There is no connection called ${connectionId}.`);
        const count = config.mappingCounts[providerId];
        const watched = connection.settings.kind === 'openedx' ? connection.settings.providers : [];
        if (count === undefined || !watched.includes(providerId)) {
          throw reject('not_found', `${connection.name} does not watch a provider called ${providerId}.`);
        }
        if (config.denied[connectionId]?.includes(providerId)) throw config.deniedError;
        const numPages = Math.max(1, Math.ceil(count / pageSize));
        if (page < 1 || page > numPages) throw reject('not_found', `There is no page ${page}.`);
        const results = [];
        for (let i = (page - 1) * pageSize; i < Math.min(page * pageSize, count); i++) {
          results.push({
            username: `learner${String(i + 1).padStart(4, '0')}`,
            remote_id: `${providerId.replace('saml-', '')}-${String(2_000_000 + i * 7)}`,
          });
        }
        return {
          provider_id: providerId,
          page,
          page_size: pageSize,
          count,
          num_pages: numPages,
          results,
          envelope: 'current',
          fetched_at: new Date().toISOString(),
        };
      }
      case 'list_activity': {
        const query = args.query as ActivityQuery;
        const text = query.text?.toLowerCase() ?? null;
        const matching = entries.filter(
          (e) =>
            (text === null ||
              [e.action, e.target, e.actor, e.detail].some((f) => f.toLowerCase().includes(text))) &&
            (query.action === null || e.action === query.action) &&
            (query.outcome === null || e.outcome === query.outcome) &&
            (query.since === null || Date.parse(e.at) >= Date.parse(query.since)),
        );
        return {
          entries: matching.slice(0, query.limit ?? 500),
          total: matching.length,
          actions: [...new Set(entries.map((e) => e.action))].sort(),
        };
      }
      case 'open_logs_folder':
        return null;
      default:
        // What Tauri itself says for a command it does not know: a bare string, not {code, message}.
        throw `Command ${cmd} not found`;
    }
  }

  w.__TAURI_INTERNALS__ = {
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
    invoke(cmd: string, args?: Record<string, unknown>) {
      const copy = JSON.parse(JSON.stringify(args ?? {})) as Record<string, unknown>;
      calls.push({ cmd, args: copy });
      return new Promise((resolve, rejectPromise) => {
        setTimeout(() => {
          const failure = failures[cmd];
          if (failure && failure.times > 0) {
            failure.times -= 1;
            rejectPromise(failure.error);
            return;
          }
          try {
            resolve(answer(cmd, copy));
          } catch (error) {
            rejectPromise(error);
          }
        }, config.latencyMs);
      });
    },
    transformCallback(callback?: (payload: unknown) => void, once = false) {
      const id = nextCallback++;
      const key = `_${id}` as const;
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
  w.__CROSSWALK_MOCK__ = { calls };

  // tauri.conf.json sets `freezePrototype`: Tauri freezes Object.prototype before the app runs.
  if (config.freezePrototype) Object.freeze(Object.prototype);
}

/** Call before `page.goto`. */
export async function mockBackend(page: Page, overrides: Partial<MockConfig> = {}): Promise<void> {
  await page.addInitScript(installMock, { ...defaultMockConfig, ...overrides });
}

/** Every call the app made so far, optionally only to one command. */
export async function recordedCalls(page: Page, cmd?: string): Promise<RecordedCall[]> {
  const calls = await page.evaluate(
    () => (window as unknown as { __CROSSWALK_MOCK__: { calls: RecordedCall[] } }).__CROSSWALK_MOCK__.calls,
  );
  return cmd ? calls.filter((c) => c.cmd === cmd) : calls;
}
