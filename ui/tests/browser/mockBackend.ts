// A stand-in for Crosswalk's Rust back end inside the test browser: it answers `invoke` the way
// Tauri would, from the fixtures, and records every call so tests can check what the UI asked for.
import type { Page } from '@playwright/test';
import type {
  ActivityEntry,
  ActivityQuery,
  Mapping,
  MirrorChange,
  PermissionCell,
  PermissionRow,
  ProfileView,
  SyncRecord,
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

  function reject(code: string, message: string) {
    return { code, message };
  }

  /**
   * What the mock does not answer: flows the real core runs in tests/browser/real/ (saving,
   * editing, copying and deleting connections, secrets, imports). The mock copies none of the
   * core's rules (names, secrets per kind, refusals); a spec that needs a refusal sets a canned
   * one in `failures`.
   */
  function notMocked(cmd: string): never {
    throw reject('not_mocked', `The mocked back end does not answer ${cmd}: test this flow against the real core (tests/browser/real/).`);
  }

  function replace(view: ProfileView): ProfileView {
    views = views.map((v) => (v.profile.id === view.profile.id ? view : v));
    return view;
  }

  // ---- Learners: the LMS's provider lists, the local mirrors, long tasks with progress ----------

  function sleep(ms: number) {
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  }

  /** Every learner the LMS links to `provider` (the same generator browse_mappings pages through). */
  function mappingAt(provider: string, index: number): Mapping {
    return {
      username: `learner${String(index + 1).padStart(4, '0')}`,
      remote_id: `${provider.replace('saml-', '')}-${String(2_000_000 + index * 7)}`,
    };
  }

  function lmsList(provider: string): Mapping[] {
    const count = config.mappingCounts[provider] ?? 0;
    return Array.from({ length: count }, (_, i) => mappingAt(provider, i));
  }

  function connectionOf(id: unknown) {
    const profile = views.find((v) => v.profile.id === id)?.profile;
    if (!profile) throw reject('not_found', `There is no connection "${String(id)}".`);
    if (profile.settings.kind !== 'openedx') throw reject('invalid', `"${profile.name}" is not an Open edX connection.`);
    return { profile, settings: profile.settings };
  }

  function isDenied(connectionId: string, provider: string): boolean {
    return config.denied[connectionId]?.includes(provider) ?? false;
  }

  /** A provider's local mirror as the core would describe it: its size and its syncs. */
  interface Mirror {
    size: number;
    history: SyncRecord[];
  }
  const mirrors = new Map<string, Mirror>();
  const changesBySync = new Map<number, MirrorChange[]>();
  let nextSyncId = 100;

  function record(connectionId: string, provider: string, fields: Partial<SyncRecord>): SyncRecord {
    return {
      id: nextSyncId++,
      profile_id: connectionId,
      provider_id: provider,
      started_at: new Date().toISOString(),
      finished_at: null,
      status: 'running',
      count: 0,
      added: 0,
      removed: 0,
      changed: 0,
      note: '',
      ...fields,
    };
  }

  /** The rows a provider's seeded mirror holds: its size, and the changes its seeded syncs list. */
  function seededRows(connectionId: string, provider: string): Mapping[] {
    const seed = config.mirrors[provider];
    if (!seed || isDenied(connectionId, provider)) return [];
    const rows = lmsList(provider).slice(0, seed.size);
    // One learner's remote ID changed at the LMS since the mirror's sync.
    if (rows[1]) rows[1] = { ...rows[1], remote_id: `${provider.replace('saml-', '')}-old-${String(2_000_007)}` };
    return rows;
  }

  function mirrorOf(connectionId: string, provider: string): Mirror {
    const key = `${connectionId}\u0000${provider}`;
    let mirror = mirrors.get(key);
    if (!mirror) {
      mirror = { size: 0, history: [] };
      const seed = config.mirrors[provider];
      if (seed && !isDenied(connectionId, provider)) {
        const rows = seededRows(connectionId, provider);
        mirror.size = rows.length;
        const at = (hours: number) => new Date(loadedAt - hours * 3_600_000).toISOString();
        const first = record(connectionId, provider, {
          started_at: at(seed.hoursAgo + 48),
          finished_at: at(seed.hoursAgo + 48),
          status: 'done',
          count: seed.size - 2,
          added: seed.size - 2,
        });
        changesBySync.set(
          first.id,
          rows.slice(0, seed.size - 2).map((m) => ({ kind: 'added', username: m.username, old_remote_id: null, new_remote_id: m.remote_id })),
        );
        const failed = record(connectionId, provider, {
          started_at: at(seed.hoursAgo + 24),
          finished_at: at(seed.hoursAgo + 24),
          status: 'failed',
          note: 'Could not reach Open edX (connection refused). The mirror before this sync was kept.',
        });
        const latest = record(connectionId, provider, {
          started_at: at(seed.hoursAgo),
          finished_at: at(seed.hoursAgo),
          status: 'done',
          count: seed.size,
          added: 2,
          changed: 1,
          note: 'The provider changed while it was read; it was read again and the counts agreed.',
        });
        changesBySync.set(latest.id, [
          ...rows.slice(seed.size - 2).map((m) => ({ kind: 'added', username: m.username, old_remote_id: null, new_remote_id: m.remote_id })),
          { kind: 'changed', username: rows[1]?.username ?? '', old_remote_id: `${provider.replace('saml-', '')}-older-1`, new_remote_id: rows[1]?.remote_id ?? '' },
        ]);
        mirror.history = [latest, failed, first];
      }
      mirrors.set(key, mirror);
    }
    return mirror;
  }

  function lastDone(mirror: Mirror): SyncRecord | null {
    return mirror.history.find((r) => r.status === 'done') ?? null;
  }

  /** Long tasks the page can cancel with cancel_task. */
  const tasks = new Map<string, { cancelled: boolean }>();

  /** Sends `message` down a Tauri channel the way the Rust side does: `{index, message}`, then `{index, end}`. */
  function channel(serialised: unknown) {
    const id = Number(String(serialised).replace('__CHANNEL__:', ''));
    let index = 0;
    return {
      send(message: unknown) {
        w[`_${id}`]?.({ index: index++, message });
      },
      end() {
        w[`_${id}`]?.({ index: index++, end: true });
      },
    };
  }

  /** lookup_live: canned progress frames, then the canned answer (or the cancelled one). */
  async function lookupLive(taskId: string, onProgress: unknown) {
    const answers = config.lookup;
    const progress = channel(onProgress);
    const task = { cancelled: false };
    tasks.set(taskId, task);
    const started = Date.now();
    const { rounds, total } = answers.progress;
    let cancelled = false;
    for (let round = 1; round <= rounds; round++) {
      await sleep(config.liveRoundMs);
      if (task.cancelled) {
        cancelled = true;
        break;
      }
      const done = Math.round((total * round) / rounds);
      const elapsed = Date.now() - started;
      progress.send({
        done_ids: done,
        total_ids: total,
        requests: round * 4,
        rows: Math.round((answers.live.rows.length * round) / rounds),
        elapsed_ms: elapsed,
        eta_ms: Math.round((elapsed * (total - done)) / done),
      });
    }
    progress.end();
    tasks.delete(taskId);
    if (!cancelled) return answers.live;
    return answers.cancelled ?? notMocked('a cancelled lookup_live (give the spec a `cancelled` answer)');
  }

  async function syncProvider(connectionId: string, provider: string, taskId: string, onProgress: unknown) {
    const { settings } = connectionOf(connectionId);
    if (!settings.providers.includes(provider)) throw reject('not_found', `This connection does not watch ${provider}.`);
    const mirror = mirrorOf(connectionId, provider);
    const progress = channel(onProgress);
    const task = { cancelled: false };
    tasks.set(taskId, task);
    const run = record(connectionId, provider, {});
    mirror.history = [run, ...mirror.history];
    const finish = (status: string, note: string) => {
      Object.assign(run, { status, note, finished_at: new Date().toISOString() });
      progress.end();
      tasks.delete(taskId);
    };

    const total = config.syncOutcome.count;
    const pages = Math.max(1, Math.ceil(total / 100));
    for (let page = 1; page <= pages; page++) {
      await sleep(config.syncPageMs);
      if (task.cancelled) {
        const message = 'Cancelled. Nothing more was sent; what was already done is kept.';
        finish('cancelled', `${message} The mirror before this sync was kept.`);
        throw reject('cancelled', message);
      }
      if (isDenied(connectionId, provider)) {
        finish('failed', `${config.deniedError.message} The mirror before this sync was kept.`);
        throw config.deniedError;
      }
      progress.send({ pages_done: page, pages_total: pages, rows: Math.min(page * 100, total), count: total });
    }

    // What the core's comparison of the two copies found: canned, as the spec says.
    const outcome = config.syncOutcome;
    mirror.size = outcome.count;
    changesBySync.set(run.id, outcome.changes);
    Object.assign(run, { count: outcome.count, added: outcome.added, removed: outcome.removed, changed: outcome.changed });
    finish('done', '');
    return { ...run };
  }

  /** check_permissions: each watched provider's cell as the LMS answered it, canned per connection. */
  function permissions(ids: string[]): PermissionRow[] {
    const chosen = views.filter(
      (v) => v.profile.settings.kind === 'openedx' && (ids.length === 0 || ids.includes(v.profile.id)),
    );
    return chosen.map(({ profile }) => {
      const settings = connectionOf(profile.id).settings;
      const answers = config.permissionCells[profile.id] ?? {};
      return {
        profile_id: profile.id,
        profile_name: profile.name,
        client_id: settings.client_id,
        token_type: settings.token_type,
        claims: config.checks[profile.id]?.claims ?? null,
        problem: '',
        cells: settings.providers.map((p): PermissionCell => answers[p] ?? notMocked(`check_permissions for ${profile.id} / ${p}`)),
      };
    });
  }

  const association = (id: number, state: string | null, extra: Record<string, unknown> = {}) => ({
    id,
    profile_id: 'ooapi-partner',
    home: 'partner.example.nl',
    association_id: `00000000-0000-4000-8000-00000000000${id}`,
    person_id: `p${id}`,
    person_name: ['Zoë de Vries', 'Jan Jansen', 'Ana Costa', 'Li Wei'][id - 1] ?? null,
    person_email: null,
    offering_id: null,
    offering_code: 'DS-101-2027',
    offering_name: 'Introduction to Data Science',
    offering_start: null,
    offering_end: null,
    role: 'student',
    state,
    remote_state: 'associated',
    result: null,
    status: 'ok',
    warning: null,
    first_seen: '2026-11-01T09:00:00Z',
    state_since: '2026-11-01T09:00:00Z',
    last_checked: '2026-12-05T09:00:00Z',
    next_check: null,
    last_error: null,
    offering_result_type: null,
    stuck: false,
    ...extra,
  });
  const enrollmentRows = [
    association(1, 'pending', { stuck: true }),
    association(2, 'associated'),
    association(3, 'denied'),
    association(4, null, { association_id: null, status: 'unknown' }),
  ];
  const enrollmentCounts = { total: 4, pending: 1, queued: 0, associated: 1, denied: 1, canceled: 0, finished: 0, stuck: 1, error: 1 };
  const enrollmentDetail = (id: number, remote: string | null) => {
    const row = enrollmentRows.find((r) => r.id === id) ?? association(id, 'pending');
    return {
      association: remote ? { ...row, remote_state: remote } : row,
      events: [
        { id: 1, at: '2026-11-01T09:00:00Z', who: 'host', field: 'created', from_value: null, to_value: 'associated', message: 'sent to the home institution', request_id: null },
        { id: 2, at: '2026-11-01T09:00:01Z', who: 'home', field: 'state', from_value: null, to_value: 'pending', message: 'Received; under review.', request_id: null },
      ],
      last_request: 'GET https://ooapi.partner.example.nl/associations/x',
      last_answer: '200 application/json',
      state_explained: 'The home institution has not decided yet.',
      advice: row.stuck ? 'Pending for more than 72 hours. Contact the home institution.' : null,
    };
  };

  let jobs: Record<string, unknown>[] = [];

  // Offering templates: one saved, kept as the UI saves and deletes them (the core's check of a
  // template is not re-implemented: every save is accepted).
  const exampleOffering = {
    offering: { offeringId: 'example-offering', primaryCode: { codeType: 'offeringCode', code: 'EX-1' } },
    issuer: { primaryCode: { codeType: 'schacHome', code: 'host.example.edu' } },
  };
  let studentToken: Record<string, unknown> | null = null;
  let offeringTemplates: Record<string, unknown>[] = [
    {
      profile_id: 'partner',
      offering_id: 'ds-101-2027',
      code: 'DS-101-2027',
      name: 'Introduction to Data Science',
      start_date: '2027-02-01',
      end_date: '2027-06-30',
      template: { offering: { offeringId: 'ds-101-2027', primaryCode: { codeType: 'offeringCode', code: 'DS-101-2027' } } },
      saved_at: '2026-12-01T10:00:00Z',
      last_used: '2026-12-02T10:00:00Z',
    },
  ];

  function answer(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case 'app_info':
        return config.appInfo;
      // No file was handed to the app from outside.
      case 'take_opened_file':
        return null;
      case 'list_connections':
        return views;
      // Enrollments: fixed fixture answers (no Rust rule is re-implemented: the list is the same
      // whatever the filter; the specs check what the UI asks for and how it shows the answer).
      case 'enrollments_list':
        return { rows: enrollmentRows, counts: enrollmentCounts };
      case 'enrollments_detail':
        return enrollmentDetail(Number(args.id), null);
      case 'enrollments_set_state':
        return [enrollmentDetail(Number(args.id), String(args.remoteState)), 'The home institution has been told.'];
      case 'enrollments_check':
        return enrollmentDetail(Number(args.id), null);
      case 'enrollments_template':
        return exampleOffering;
      case 'enrollments_templates':
        return offeringTemplates.filter((t) => t.profile_id === args.connectionId);
      case 'enrollments_save_template': {
        const template = args.template as { offering: { offeringId: string; primaryCode?: { code?: string } } };
        const saved = {
          profile_id: String(args.connectionId),
          offering_id: template.offering.offeringId,
          code: template.offering.primaryCode?.code ?? null,
          name: null,
          start_date: null,
          end_date: null,
          template,
          saved_at: '2026-12-05T12:00:00Z',
          last_used: null,
        };
        offeringTemplates = [saved, ...offeringTemplates.filter((t) => t.offering_id !== saved.offering_id)];
        return saved;
      }
      // A pasted student token: whose it is comes back, never the token (the core checks it).
      case 'enrollments_student_token':
        return studentToken;
      case 'enrollments_paste_student_token':
        studentToken = {
          profile_id: String(args.connectionId),
          person_id: 'p-zoe',
          name: 'Zoë de Vries',
          email: 'zoe@home.example.nl',
          expires_at: '2030-01-01T12:00:00Z',
          pasted_at: '2026-12-05T12:00:00Z',
        };
        return studentToken;
      case 'enrollments_forget_student_token':
        studentToken = null;
        return null;
      case 'enrollments_delete_template':
        offeringTemplates = offeringTemplates.filter((t) => t.offering_id !== args.offeringId);
        return null;
      // Schedules: kept as saved (the core computes next runs; the fixture only echoes them).
      case 'jobs_list':
        return jobs;
      case 'jobs_set': {
        const job = {
          kind: String(args.kind),
          profile_id: String(args.connectionId),
          every_minutes: Number(args.everyMinutes),
          enabled: Boolean(args.enabled),
          next_run_at: '2026-12-05T12:00:00Z',
          last_run_at: null,
          last_outcome: null,
          last_detail: null,
        };
        jobs = [...jobs.filter((j) => !(j.kind === job.kind && j.profile_id === job.profile_id)), job];
        return job;
      }
      case 'create_connection':
      case 'update_connection':
      case 'duplicate_connection':
      case 'delete_connection':
      case 'set_secret':
      case 'clear_secret':
        return notMocked(cmd);
      case 'test_connection':
        return config.checks[String(args.id)] ?? notMocked(cmd);
      case 'export_connections':
        return config.exportPath;
      case 'import_connections':
        // The dialog closed (a refusal is a canned failure).
        return null;
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
        // Canned per filter (which entries match is the core's rule, tested in Rust and in
        // real/permissions_activity.spec.ts): the key is text|action|outcome|since.
        const query = args.query as ActivityQuery;
        const key = `${query.text ?? ''}|${query.action ?? ''}|${query.outcome ?? ''}|${query.since === null ? '' : 'since'}`;
        const ids = key === '|||' ? entries.map((e) => e.id) : (config.activityAnswers[key] ?? notMocked(`${cmd} for ${key}`));
        const matching = entries.filter((e) => ids.includes(e.id));
        return {
          entries: matching.slice(0, query.limit ?? 500),
          total: matching.length,
          actions: [...new Set(entries.map((e) => e.action))].sort(),
        };
      }
      case 'open_logs_folder':
        return null;
      case 'lookup_cached':
        return config.lookup.cached;
      case 'lookup_live':
        return lookupLive(args.taskId as string, args.onProgress);
      case 'cancel_task': {
        const task = tasks.get(args.taskId as string);
        if (!task) return false;
        task.cancelled = true;
        return true;
      }
      case 'sync_provider':
        return syncProvider(args.connectionId as string, args.providerId as string, args.taskId as string, args.onProgress);
      case 'mirror_status': {
        const { profile, settings } = connectionOf(args.connectionId);
        return settings.providers.map((provider) => {
          const mirror = mirrorOf(profile.id, provider);
          return { provider_id: provider, size: mirror.size, last_sync: lastDone(mirror) };
        });
      }
      case 'mirror_history':
        return mirrorOf(connectionOf(args.connectionId).profile.id, args.providerId as string).history.map((r) => ({ ...r }));
      case 'mirror_changes':
        return changesBySync.get(args.syncId as number) ?? [];
      case 'search_mirror':
        // Canned per provider and text: what matches is the core's search, tested in Rust.
        return config.mirrorSearch[`${String(args.providerId)}:${String(args.text)}`] ?? notMocked(`${cmd} for "${String(args.text)}"`);
      case 'learner_links':
        return config.learnerLinks[String(args.connectionId)] ?? notMocked(cmd);
      case 'check_permissions':
        return permissions(args.connectionIds as string[]);
      case 'set_watched_providers': {
        // The page's request is echoed back; the core's checks are tested in Rust.
        const old = views.find((v) => v.profile.id === args.connectionId);
        if (!old || old.profile.settings.kind !== 'openedx') return notMocked(cmd);
        return replace({
          ...old,
          profile: { ...old.profile, settings: { ...old.profile.settings, providers: args.providers as string[] }, updated_at: new Date().toISOString() },
        });
      }
      case 'import_ids':
        return config.idFile;
      case 'export_lookup':
        return config.lookupExportPath === null ? null : config.lookupExportPath.replace(/\.[a-z]+$/, `.${String(args.format)}`);
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

  // ---- launch mock (begin) ----
  // OpenLearning: finding learners and making single-use launches (the Launch screen). These commands
  // are not in `answer`: the invoke above records each call, waits, applies `failures`, then says it
  // does not know the command, and only then does this block answer. It answers only when the spec
  // passed launch fixtures (launchFixtures.ts `withLaunch`), which also add an OpenLearning connection.
  // Like the Rust back end it keeps every signed launch to itself: the page gets a summary with the
  // signature and nonce masked, never the form that went to the "browser", "clipboard" or "file".
  /* eslint-disable @typescript-eslint/consistent-type-imports -- this block leaves the file's imports alone */
  type LaunchMock = import('./launchFixtures').LaunchMock;
  type LaunchRequestArg = import('../../src/bindings').LaunchRequest;
  type LaunchSummaryAnswer = import('../../src/bindings').LaunchSummary;
  type KnownUserAnswer = import('../../src/bindings').KnownUser;
  /* eslint-enable @typescript-eslint/consistent-type-imports */
  const launchMock = (config as MockConfig & { launch?: LaunchMock }).launch;
  if (launchMock) {
    const ol = launchMock;
    views = [...views, ...ol.connections.filter((c) => !views.some((v) => v.profile.id === c.profile.id))];
    const knownByConnection = new Map<string, KnownUserAnswer[]>(
      ol.connections.map((c) => [c.profile.id, JSON.parse(JSON.stringify(ol.known)) as KnownUserAnswer[]]),
    );
    /** Every signed launch handed out, with where it went. Never sent to the page. */
    const delivered: { to: string; form: string }[] = [];
    /** Only where each launch went, for specs to check. */
    const destinations: string[] = [];
    (w.__CROSSWALK_MOCK__ as { launchDestinations?: string[] }).launchDestinations = destinations;
    let signedCount = 0;

    const openLearningOf = (id: unknown) => {
      const profile = views.find((v) => v.profile.id === id)?.profile;
      if (!profile) throw reject('not_found', `There is no connection "${String(id)}".`);
      if (profile.settings.kind !== 'openlearning') {
        throw reject('invalid', `The connection "${profile.name}" is not an OpenLearning connection. Pick an OpenLearning one.`);
      }
      return { profile, settings: profile.settings };
    };

    const knownOf = (id: string) => knownByConnection.get(id) ?? [];

    const findOpenLearningUser = (connectionId: unknown, externalId: string) => {
      const { profile, settings } = openLearningOf(connectionId);
      const wanted = externalId.trim();
      if (wanted === '') throw reject('invalid', "Type the learner's external id (student number, email or the id your system uses).");
      const user = ol.users.find((u) => u.external_id === wanted);
      if (!user) {
        throw reject(
          'not_found',
          `No OpenLearning user has external id "${wanted}" in institution "${settings.institution_id}". The learner must be a managed user of the institution (or invited into its portal) with that institution external ID.`,
        );
      }
      const found: KnownUserAnswer = { ...user, found_at: new Date().toISOString() };
      knownByConnection.set(profile.id, [found, ...knownOf(profile.id).filter((k) => k.external_id !== wanted)]);
      return { user_id: user.user_id, external_id: user.external_id, full_name: user.full_name, email: user.email };
    };

    // Which parameters are masked is the core's rule (`is_secret_param`): real/launch.spec.ts
    // tests it. The mock's sign-on lists its parameters with the masking already decided.
    const MASKED = new Set(['oauth_nonce', 'oauth_signature']);

    const signOn = (request: LaunchRequestArg): { summary: LaunchSummaryAnswer; form: string } => {
      const { profile, settings } = openLearningOf(request.profile_id);
      const id = request.user.id.trim();
      if (id === '') throw reject('invalid', "Choose the learner: an OpenLearning user id or the institution's external id.");
      let userId = id;
      if (request.user.by === 'external_id') {
        userId = knownOf(profile.id).find((k) => k.external_id === id)?.user_id ?? findOpenLearningUser(profile.id, id).user_id;
      } else if (!ol.users.some((u) => u.user_id === id)) {
        throw reject(
          'remote',
          `OpenLearning answered 404: OpenLearning did not find the sign-on (404). A learner can only be signed on when they are a managed user of institution "${settings.institution_id}" (or were invited into its portal) and have an institution external ID; a class id must exist.`,
        );
      }
      const clean = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim());
      const classId = clean(request.class_id);
      const contextId = clean(request.context_id);
      signedCount += 1;
      const params: [string, string][] = [
        ['lti_message_type', 'basic-lti-launch-request'],
        ['lti_version', 'LTI-1p0'],
        ['oauth_consumer_key', `${settings.institution_id}-sso`],
        ['oauth_nonce', `${signedCount}${Math.random().toString(36).slice(2)}`],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
        ['oauth_version', '1.0'],
        ['user_id', userId],
        ['roles', 'Learner'],
      ];
      if (contextId !== null) params.push(['context_id', contextId]);
      else if (classId !== null) params.push(['custom_class_id', classId]);
      const email = clean(request.email);
      const fullName = clean(request.full_name);
      if (email !== null) params.push(['lis_person_contact_email_primary', email]);
      if (fullName !== null) params.push(['lis_person_name_full', fullName]);
      params.push(['oauth_signature', `${ol.signingSecret}-${signedCount}`]);
      return {
        form: `<form method="POST" action="${ol.launchUrl}">${params.map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('')}</form>`,
        summary: {
          user_id: userId,
          class_id: classId,
          context_id: contextId,
          action: ol.launchUrl,
          method: 'POST',
          params: params.map(([name, value]) => ({ name, value: MASKED.has(name) ? '••••••' : value, masked: MASKED.has(name) })),
          notes:
            classId !== null && contextId !== null
              ? ['Both a class id and a context id were given: OpenLearning uses the context id and ignores the class id.']
              : [],
          expires_at: null,
        },
      };
    };

    const deliver = (to: string, request: LaunchRequestArg): LaunchSummaryAnswer => {
      const { summary, form } = signOn(request);
      delivered.push({ to, form });
      destinations.push(to);
      return summary;
    };

    const answerLaunch = (cmd: string, args: Record<string, unknown>): unknown => {
      switch (cmd) {
        case 'openlearning_find_user':
          return findOpenLearningUser(args.connectionId, String(args.externalId));
        case 'openlearning_known_users':
          return knownOf(openLearningOf(args.connectionId).profile.id);
        case 'launch_open': {
          const summary = deliver('browser', args.request as LaunchRequestArg);
          const expires = new Date(Date.now() + ol.ttlSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          return { ...summary, expires_at: expires };
        }
        case 'launch_copy_html':
          return deliver('clipboard', args.request as LaunchRequestArg);
        case 'launch_save_html':
          // The save dialog comes first: closing it makes no launch.
          if (ol.savePath === null) return null;
          deliver(ol.savePath, args.request as LaunchRequestArg);
          return ol.savePath;
        case 'launch_show':
          // Made only to be shown, then dropped.
          return signOn(args.request as LaunchRequestArg).summary;
        case 'launch_import_roster':
          return ol.roster;
        default:
          throw `Command ${cmd} not found`;
      }
    };

    const internals = w.__TAURI_INTERNALS__ as {
      invoke: (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
    };
    const answerOthers = internals.invoke;
    internals.invoke = (cmd, args) => {
      const answered = answerOthers(cmd, args);
      if (!cmd.startsWith('openlearning_') && !cmd.startsWith('launch_')) return answered;
      return answered.catch((reason: unknown) => {
        if (reason !== `Command ${cmd} not found`) throw reason;
        return answerLaunch(cmd, JSON.parse(JSON.stringify(args ?? {})) as Record<string, unknown>);
      });
    };
  }
  // ---- launch mock (end) ----

  // ---- grades mock (begin) ----
  // Grade reports (the Grades screen): reading reports, matching them with progress and cancel, their
  // rows, export previews and exports, History, and reveal_path. As with the launch block, these
  // commands are not in `answer`: the invoke above records each call, waits, applies `failures`, then
  // says it does not know the command, and only then does this block answer. Reports come from the
  // fixtures a spec passes with `withGrades` (gradesFixtures.ts); without them no report exists and
  // History is empty. A match's answer (its counts, rows, statuses and messages) is canned per report
  // in the fixtures: which row gets which status is the core's rule (crates/core/src/grades), tested
  // in Rust and in real/grades*.spec.ts.
  /* eslint-disable @typescript-eslint/consistent-type-imports -- this block leaves the file's imports alone */
  type GradesMock = import('./gradesFixtures').GradesMockConfig;
  type GradesMatch = import('./gradesFixtures').MatchResult;
  type GradesRequest = import('../../src/bindings').ReconcileRequest;
  type GradesSummary = import('../../src/bindings').Reconciliation;
  type GradesRecord = import('../../src/bindings').ReconciliationRecord;
  type GradesRowAnswer = import('../../src/bindings').GradeRow;
  type GradesOptions = import('../../src/bindings').ExportOptions;
  /* eslint-enable @typescript-eslint/consistent-type-imports */
  {
    const gm: GradesMock = (config as MockConfig & { grades?: GradesMock }).grades ?? {
      reports: {},
      demoPath: '',
      openPath: null,
      exportDir: null,
      lookupChunkMs: 0,
      history: [],
      matches: {},
      reopenRefusals: {},
      preview: { header: [], rows: [], rows_to_write: 0, skipped: 0, errors: 0 },
      exported: { out_path: '', errors_path: null, rows_written: 0, errors_written: 0, skipped: 0 },
    };
    const records: GradesRecord[] = gm.history.map((h) => JSON.parse(JSON.stringify(h.record)) as GradesRecord);
    const requests = new Map<number, GradesRequest>(gm.history.map((h) => [h.record.id, h.request]));
    const lastOptions = new Map<number, GradesOptions>();
    for (const h of gm.history) if (h.options) lastOptions.set(h.record.id, h.options);
    let nextRecordId = Math.max(0, ...records.map((r) => r.id)) + 1;
    /** Reconciliations opened since the page loaded (History's older ones must be reopened first). */
    type GradesSession = { summary: GradesSummary; rows: GradesRowAnswer[] };
    const opened = new Map<number, GradesSession>();
    const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

    const reportAt = (path: string) => gm.reports[path] ?? notMocked(`a grade report at ${path}`);

    /**
     * grades_reconcile and grades_reopen: progress frames (reading, then the live lookups 50 at a
     * time), then the core's answer for this report as the spec cans it, or its cancelled answer.
     */
    const reconcile = async (request: GradesRequest, taskId: string, onProgress: unknown, existing: number | null) => {
      const report = reportAt(request.path);
      const answer = gm.matches[request.path] ?? notMocked(`a match of ${request.path}`);
      const progress = channel(onProgress);
      const task = { cancelled: false };
      tasks.set(taskId, task);
      const rowsRead = answer.counts.rows;
      progress.send({ phase: 'reading', rows_read: 0, ids_done: 0, ids_total: 0, eta_ms: null });
      await sleep(gm.lookupChunkMs);
      progress.send({ phase: 'reading', rows_read: rowsRead, ids_done: 0, ids_total: 0, eta_ms: null });
      let result: GradesMatch = answer;
      const total = request.live ? answer.live_looked_up : 0;
      const started = Date.now();
      for (let done = 0; done < total; ) {
        await sleep(gm.lookupChunkMs);
        if (task.cancelled) {
          result = answer.cancelled ?? notMocked(`a cancelled match of ${request.path}`);
          break;
        }
        done = Math.min(done + 50, total);
        const elapsed = Date.now() - started;
        progress.send({ phase: 'looking_up', rows_read: rowsRead, ids_done: done, ids_total: total, eta_ms: Math.round((elapsed * (total - done)) / done) });
      }
      progress.end();
      tasks.delete(taskId);

      const id = existing ?? nextRecordId++;
      const createdAt = stamp();
      const checksum = [...request.path].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(16).padStart(64, '0');
      const summary: GradesSummary = {
        id,
        file: report.file,
        request,
        checksum,
        counts: { ...result.counts },
        problems: result.problems,
        live_looked_up: request.live ? answer.live_looked_up : 0,
        live_errors: result.live_errors,
        cancelled: result !== answer,
        mirror_synced_at: lastDone(mirrorOf(request.profile_id, request.provider_id))?.finished_at ?? null,
        created_at: createdAt,
      };
      opened.set(id, { summary, rows: result.rows });
      requests.set(id, request);
      const fields = {
        created_at: createdAt,
        file_name: report.file.file_name,
        file_path: report.file.path,
        checksum,
        kind: report.file.kind,
        profile_id: request.profile_id,
        provider_id: request.provider_id,
        counts: { ...result.counts },
      };
      const old = records.find((r) => r.id === id);
      if (old) Object.assign(old, fields);
      else records.unshift({ id, ...fields, template: null, export_path: null, errors_path: null, exported_at: null });
      return summary;
    };

    const openSession = (id: unknown) => opened.get(id as number) ?? notMocked(`reconciliation ${String(id)}, not open`);

    const answerGrades = async (cmd: string, args: Record<string, unknown>): Promise<unknown> => {
      switch (cmd) {
        case 'grades_open_report':
          return gm.openPath === null ? null : reportAt(gm.openPath).file;
        case 'grades_inspect':
          return reportAt(String(args.path)).file;
        case 'grades_demo_report':
          return reportAt(gm.demoPath).file;
        case 'grades_reconcile':
          return reconcile(args.request as GradesRequest, String(args.taskId), args.onProgress, null);
        case 'grades_reopen': {
          const record = records.find((r) => r.id === args.id);
          const request = requests.get(args.id as number);
          if (!record || !request) return notMocked(`reopening reconciliation ${String(args.id)}`);
          const refusal = gm.reopenRefusals[record.file_path];
          if (refusal) throw reject('invalid', refusal);
          return reconcile(request, String(args.taskId), args.onProgress, record.id);
        }
        case 'grades_rows': {
          const { rows } = openSession(args.id);
          const matching = args.status === null ? rows : rows.filter((r) => r.status === args.status);
          const offset = Number(args.offset);
          return { rows: matching.slice(offset, offset + Math.min(Number(args.limit), 1000)), total: matching.length };
        }
        // What an export writes is the core's rule (layouts, grade conversion, what goes to the
        // error file): the real-core specs (real/grades*.spec.ts) test it. The mock answers every
        // preview and export with the same canned figures from gradesFixtures.ts.
        case 'grades_preview':
          openSession(args.id);
          return JSON.parse(JSON.stringify(gm.preview)) as typeof gm.preview;
        case 'grades_export': {
          const options = args.options as GradesOptions;
          openSession(args.id);
          // The save dialog: closing it writes nothing.
          if (gm.exportDir === null) return null;
          const { out_path, errors_path } = gm.exported;
          const outPath = `${gm.exportDir}/${out_path}`;
          const errorsPath = errors_path === null ? null : `${gm.exportDir}/${errors_path}`;
          const record = records.find((r) => r.id === args.id);
          if (record) Object.assign(record, { template: options.template, export_path: outPath, errors_path: errorsPath, exported_at: stamp() });
          lastOptions.set(args.id as number, options);
          return { ...gm.exported, out_path: outPath, errors_path: errorsPath };
        }
        case 'grades_history':
          return records.slice(0, Number(args.limit)).map((r) => JSON.parse(JSON.stringify(r)) as GradesRecord);
        case 'grades_last_options':
          return lastOptions.get(args.id as number) ?? null;
        case 'reveal_path':
          return null;
        default:
          throw `Command ${cmd} not found`;
      }
    };

    const internals = w.__TAURI_INTERNALS__ as {
      invoke: (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
    };
    const answerOthers = internals.invoke;
    internals.invoke = (cmd, args) => {
      const answered = answerOthers(cmd, args);
      if (!cmd.startsWith('grades_') && cmd !== 'reveal_path') return answered;
      return answered.catch((reason: unknown) => {
        if (reason !== `Command ${cmd} not found`) throw reason;
        return answerGrades(cmd, JSON.parse(JSON.stringify(args ?? {})) as Record<string, unknown>);
      });
    };
  }
  // ---- grades mock (end) ----

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
