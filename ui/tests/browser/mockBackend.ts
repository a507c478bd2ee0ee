// A stand-in for Crosswalk's Rust back end inside the test browser: it answers `invoke` the way
// Tauri would, from the fixtures, and records every call so tests can check what the UI asked for.
import type { Page } from '@playwright/test';
import type {
  ActivityEntry,
  ActivityQuery,
  ConnectionCheck,
  ImportReport,
  ProfileDraft,
  ProfileView,
  SecretField,
  SecretStatus,
} from '../../src/bindings';
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
  // The connections as the back end knows them now: the Connections screen changes them.
  let views = JSON.parse(JSON.stringify(config.connections)) as ProfileView[];
  let nextId = 1;

  function reject(code: string, message: string) {
    return { code, message };
  }

  const secretLabels: Record<SecretField, string> = {
    client_secret: 'client secret',
    api_key: 'API key',
    introspection_secret: 'introspection client secret',
  };

  function secretFields(draft: ProfileDraft): SecretField[] {
    const s = draft.settings;
    if (s.kind === 'openedx') return ['client_secret'];
    if (s.kind === 'openlearning') return ['api_key'];
    return s.introspection_url ? ['client_secret', 'introspection_secret'] : ['client_secret'];
  }

  function secretsFor(draft: ProfileDraft, old: SecretStatus[] = []): SecretStatus[] {
    return secretFields(draft).map((field) => ({
      field,
      label: secretLabels[field],
      source: old.find((o) => o.field === field)?.source ?? 'not_set',
    }));
  }

  /** A saved (not demo) connection, or the error the back end gives. */
  function savedView(id: unknown): ProfileView {
    const view = views.find((v) => v.profile.id === id && !v.profile.demo);
    if (!view) throw reject('not_found', `There is no saved connection "${String(id)}". Demo connections cannot be changed.`);
    return view;
  }

  function checkName(name: string, exceptId?: string) {
    if (name.trim() === '') throw reject('invalid', 'Give the connection a name, e.g. "Courses LMS (production)".');
    if (views.some((v) => v.profile.name === name && v.profile.id !== exceptId)) {
      throw reject('invalid', `A connection named "${name}" already exists. Choose another name.`);
    }
  }

  function freeName(wanted: string): string {
    let name = wanted;
    for (let n = 2; views.some((v) => v.profile.name === name); n++) name = `${wanted} (${n})`;
    return name;
  }

  function add(draft: ProfileDraft, secrets?: SecretStatus[]): ProfileView {
    const now = new Date().toISOString();
    const view: ProfileView = {
      profile: { ...draft, id: `saved-${nextId++}`, demo: false, created_at: now, updated_at: now },
      secrets: secrets ?? secretsFor(draft),
    };
    views = [...views, view];
    return view;
  }

  function replace(view: ProfileView): ProfileView {
    views = views.map((v) => (v.profile.id === view.profile.id ? view : v));
    return view;
  }

  function withSecret(view: ProfileView, field: SecretField, source: SecretStatus['source']): ProfileView {
    if (!view.secrets.some((s) => s.field === field)) {
      throw reject('invalid', `A ${view.profile.settings.kind} connection has no ${secretLabels[field]}.`);
    }
    return replace({ ...view, secrets: view.secrets.map((s) => (s.field === field ? { ...s, source } : s)) });
  }

  function defaultCheck(view: ProfileView): ConnectionCheck {
    const missing = view.secrets.find((s) => s.source === 'not_set');
    if (missing) {
      throw reject(
        'secret_missing',
        `The ${missing.label} of "${view.profile.name}" is not set. Set it with Edit in Connections, then test again.`,
      );
    }
    return {
      ok: true,
      summary: `"${view.profile.name}" works.`,
      steps: [{ name: 'Token', ok: true, detail: 'The server issued a token.' }],
      claims: null,
    };
  }

  function answer(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case 'app_info':
        return config.appInfo;
      case 'list_connections':
        return views;
      case 'create_connection': {
        const draft = args.draft as ProfileDraft;
        checkName(draft.name);
        return add(draft);
      }
      case 'update_connection': {
        const old = savedView(args.id);
        const draft = args.draft as ProfileDraft;
        if (draft.settings.kind !== old.profile.settings.kind) {
          throw reject('invalid', 'A connection cannot change its kind. Create a new connection instead.');
        }
        checkName(draft.name, old.profile.id);
        return replace({
          profile: { ...old.profile, ...draft, updated_at: new Date().toISOString() },
          secrets: secretsFor(draft, old.secrets),
        });
      }
      case 'duplicate_connection': {
        const old = savedView(args.id);
        const { id: _id, demo: _demo, created_at: _c, updated_at: _u, ...draft } = old.profile;
        return add({ ...draft, name: freeName(`${old.profile.name} (copy)`) });
      }
      case 'delete_connection': {
        const old = savedView(args.id);
        views = views.filter((v) => v !== old);
        return null;
      }
      case 'set_secret':
        return withSecret(savedView(args.id), args.field as SecretField, 'keyring');
      case 'clear_secret':
        return withSecret(savedView(args.id), args.field as SecretField, 'not_set');
      case 'test_connection': {
        const view = views.find((v) => v.profile.id === args.id);
        if (!view) throw reject('not_found', `There is no connection "${String(args.id)}".`);
        return config.checks[view.profile.id] ?? defaultCheck(view);
      }
      case 'export_connections':
        return config.exportPath;
      case 'import_connections': {
        if (config.importFile === null) return null;
        const report: ImportReport = { imported: [], renamed: [] };
        for (const draft of config.importFile) {
          const name = freeName(draft.name);
          if (name !== draft.name) report.renamed.push([draft.name, name]);
          add({ ...draft, name });
          report.imported.push(name);
        }
        return report;
      }
      case 'browse_mappings': {
        const connectionId = args.connectionId as string;
        const providerId = args.providerId as string;
        const page = args.page as number;
        const pageSize = args.pageSize as number;
        const connection = views.find((c) => c.profile.id === connectionId)?.profile;
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
