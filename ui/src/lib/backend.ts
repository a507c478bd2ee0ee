// The one door to Crosswalk's Rust back end. Every screen calls these functions (through TanStack
// Query) and never `invoke` directly, so every failure reaches the UI as an `AppError` with a stable
// `code` and a message written for the person using the app.
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type {
  BundleSummary,
  OpenedFile,
  CheckInput,
  CheckReport,
  AssociationDetail,
  AssociationImport,
  AssociationList,
  AssociationQuery,
  CreateOutcome,
  CreateRequest,
  OfferingTemplate,
  StudentToken,
  Job,
  JobKind,
  PollProgress,
  PollReport,
  ResultsPreview,
  ResultsProgress,
  ResultsRequest,
  ResultsSent,
  ActivityList,
  ActivityQuery,
  AppInfo,
  ConnectionCheck,
  ErrorPayload,
  ExportOptions,
  ExportPreview,
  ExportResult,
  GradeFile,
  GradeRowPage,
  IdFile,
  KnownUser,
  LaunchRequest,
  LaunchSummary,
  OpenLearningUser,
  ReconcileProgress,
  ReconcileRequest,
  Reconciliation,
  ReconciliationRecord,
  Roster,
  RowStatus,
  ImportReport,
  LearnerLinks,
  LookupProgress,
  LookupRequest,
  LookupResult,
  LookupRowInput,
  NotChecked,
  Mapping,
  MappingPage,
  MirrorChange,
  MirrorStatus,
  PermissionRow,
  ProfileDraft,
  ProfileView,
  SecretField,
  SyncProgress,
  SyncRecord,
} from '../bindings';
import { commandDescriptions, type Command } from './commands.gen';

export { commandDescriptions, type Command };

/** A failure the UI can show as is: `message` says what happened and what to do next. */
export class AppError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** The code given to anything that did not arrive as a proper `{code, message}` from the back end. */
export const INTERNAL = 'internal';


export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && code !== '' && typeof message === 'string' && message !== '';
}

const NEXT_STEP =
  'Try again. If it keeps happening, open the logs folder (press Ctrl+K, then choose "Open logs folder") ' +
  'and send the newest log file to whoever looks after Crosswalk for you.';

/** False in an ordinary browser: only Tauri's webview gives the page its `invoke`. */
export function backendIsReachable(): boolean {
  if (typeof window === 'undefined') return false;
  const internals = (window as { __TAURI_INTERNALS__?: { invoke?: unknown } }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === 'function';
}

/**
 * Turns whatever a failed command produced into an `AppError`.
 * The back end rejects with `{code, message}`; that passes through untouched. Anything else
 * (a bare string from Tauri itself, a JavaScript error, no back end at all) becomes `internal`.
 */
export function toAppError(reason: unknown, command?: Command): AppError {
  if (reason instanceof AppError) return reason;
  if (isErrorPayload(reason)) return new AppError(reason.code, reason.message, { cause: reason });

  const doing = command ? commandDescriptions[command] : 'talking to its back end';
  if (!backendIsReachable()) {
    return new AppError(
      INTERNAL,
      `Crosswalk could not reach its back end while ${doing}. These screens only work inside the ` +
        'Crosswalk app: if you opened them in an ordinary web browser, start the Crosswalk app instead.',
      { cause: reason },
    );
  }

  const detail = describe(reason);
  const what = detail
    ? `Something went wrong while ${doing}: ${detail}`
    : `Something unexpected went wrong while ${doing}.`;
  return new AppError(INTERNAL, `${what} ${NEXT_STEP}`, { cause: reason });
}

function describe(reason: unknown): string {
  let text = '';
  if (typeof reason === 'string') text = reason;
  else if (reason instanceof Error) text = reason.message;
  else if (typeof reason === 'object' && reason !== null && 'message' in reason) {
    const message: unknown = reason.message;
    if (typeof message === 'string') text = message;
  }
  text = text.trim();
  if (text === '') return '';
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

async function call<T>(command: Command, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason, command);
  }
}

export interface BrowseMappingsArgs {
  connectionId: string;
  providerId: string;
  page: number;
  pageSize: number;
}

/** Exports take the rows as plain strings, exactly as they are written to the file. */
export type ExportFormat = 'csv' | 'xlsx';

/** A Tauri channel that hands every message to `onMessage`. */
function channelTo<T>(onMessage: (message: T) => void): Channel<T> {
  const channel = new Channel<T>();
  channel.onmessage = onMessage;
  return channel;
}

export const backend = {
  appInfo: () => call<AppInfo>('app_info'),
  listConnections: () => call<ProfileView[]>('list_connections'),
  createConnection: (draft: ProfileDraft) => call<ProfileView>('create_connection', { draft }),
  updateConnection: (id: string, draft: ProfileDraft) => call<ProfileView>('update_connection', { id, draft }),
  duplicateConnection: (id: string) => call<ProfileView>('duplicate_connection', { id }),
  deleteConnection: (id: string) => call<null>('delete_connection', { id }),
  /** The value goes to the keyring and nowhere else; nothing ever sends it back. */
  setSecret: (id: string, field: SecretField, value: string) => call<ProfileView>('set_secret', { id, field, value }),
  clearSecret: (id: string, field: SecretField) => call<ProfileView>('clear_secret', { id, field }),
  testConnection: (id: string) => call<ConnectionCheck>('test_connection', { id }),
  /** The path written, or null when the person closed the save dialog. Empty `ids` means all. */
  exportConnections: (ids: string[]) => call<string | null>('export_connections', { ids }),
  /** Null when the person closed the open dialog. */
  importConnections: () => call<ImportReport | null>('import_connections'),
  browseMappings: (args: BrowseMappingsArgs) => call<MappingPage>('browse_mappings', { ...args }),
  listActivity: (query: ActivityQuery) => call<ActivityList>('list_activity', { query }),
  openLogsFolder: () => call<null>('open_logs_folder'),

  /** From the local mirrors only: instant, and works offline. */
  lookupCached: (request: LookupRequest) => call<LookupResult>('lookup_cached', { request }),
  /** Asks the LMS in chunks; `cancelTask(taskId)` stops it and keeps what arrived. */
  lookupLive: (request: LookupRequest, taskId: string, onProgress: (progress: LookupProgress) => void) =>
    call<LookupResult>('lookup_live', { request, taskId, onProgress: channelTo(onProgress) }),
  /** False when the task had already finished (or never started). */
  cancelTask: (taskId: string) => call<boolean>('cancel_task', { taskId }),
  /** A failed or cancelled sync rejects and leaves the previous mirror as it was. */
  syncProvider: (connectionId: string, providerId: string, taskId: string, onProgress: (progress: SyncProgress) => void) =>
    call<SyncRecord>('sync_provider', { connectionId, providerId, taskId, onProgress: channelTo(onProgress) }),
  mirrorStatus: (connectionId: string) => call<MirrorStatus[]>('mirror_status', { connectionId }),
  mirrorHistory: (connectionId: string, providerId: string) =>
    call<SyncRecord[]>('mirror_history', { connectionId, providerId }),
  mirrorChanges: (syncId: number) => call<MirrorChange[]>('mirror_changes', { syncId }),
  searchMirror: (connectionId: string, providerId: string, text: string) =>
    call<Mapping[]>('search_mirror', { connectionId, providerId, text }),
  learnerLinks: (connectionId: string, username: string) => call<LearnerLinks>('learner_links', { connectionId, username }),
  /** Empty `connectionIds` means every Open edX connection. */
  checkPermissions: (connectionIds: string[]) => call<PermissionRow[]>('check_permissions', { connectionIds }),
  setWatchedProviders: (connectionId: string, providers: string[]) =>
    call<ProfileView>('set_watched_providers', { connectionId, providers }),
  /** Null when the person closed the open dialog. */
  importIds: () => call<IdFile | null>('import_ids'),
  /** The path written, or null when the person closed the save dialog. */
  exportLookup: (rows: LookupRowInput[], notFound: string[], notChecked: NotChecked[], format: ExportFormat) =>
    call<string | null>('export_lookup', { rows, notFound, notChecked, format }),
  /** Shows a file the app wrote in the system's file manager. */
  revealPath: (path: string) => call<null>('reveal_path', { path }),
  /** Puts versions, OS and the last log lines (redacted) on the clipboard, for a support ticket; returns them. */
  copyProblemReport: () => call<string>('copy_problem_report'),
  /** Native save dialog; what the zip holds, or null when closed. */
  saveDiagnostics: () => call<BundleSummary | null>('save_diagnostics'),
  /** The file handed to the app (command line or a second launch) not taken yet; null when none. */
  takeOpenedFile: () => call<OpenedFile | null>('take_opened_file'),

  // ---- Grades ----------------------------------------------------------------------------------
  /** Native open dialog; null when the person closed it. */
  gradesOpenReport: () => call<GradeFile | null>('grades_open_report'),
  /** A file dropped on the window (its path from Tauri's drag-and-drop event). */
  gradesInspect: (path: string) => call<GradeFile>('grades_inspect', { path }),
  /** Demo mode only: writes a demo course grade report (matched, not linked, ambiguous, unenrolled and broken rows). */
  gradesDemoReport: () => call<GradeFile>('grades_demo_report'),
  /** Matches every row; `cancelTask(taskId)` stops the live lookups and keeps what is known. */
  gradesReconcile: (request: ReconcileRequest, taskId: string, onProgress: (progress: ReconcileProgress) => void) =>
    call<Reconciliation>('grades_reconcile', { request, taskId, onProgress: channelTo(onProgress) }),
  /** Reads a saved reconciliation's file again (refused if it changed) and matches it again. */
  gradesReopen: (id: number, taskId: string, onProgress: (progress: ReconcileProgress) => void) =>
    call<Reconciliation>('grades_reopen', { id, taskId, onProgress: channelTo(onProgress) }),
  /** A page of rows; `status` null means every row. */
  gradesRows: (id: number, status: RowStatus | null, offset: number, limit: number) =>
    call<GradeRowPage>('grades_rows', { id, status, offset, limit }),
  gradesPreview: (id: number, options: ExportOptions) => call<ExportPreview>('grades_preview', { id, options }),
  /** Native save dialog for the export (the error file goes beside it); null when closed. */
  gradesExport: (id: number, options: ExportOptions) => call<ExportResult | null>('grades_export', { id, options }),
  gradesHistory: (limit: number) => call<ReconciliationRecord[]>('grades_history', { limit }),
  gradesLastOptions: (id: number) => call<ExportOptions | null>('grades_last_options', { id }),

  // ---- Launch (OpenLearning) -------------------------------------------------------------------
  /** `cancelTask(taskId)` stops it (nobody is remembered then). */
  openlearningFindUser: (connectionId: string, externalId: string, taskId: string) =>
    call<OpenLearningUser>('openlearning_find_user', { connectionId, externalId, taskId }),
  openlearningKnownUsers: (connectionId: string) => call<KnownUser[]>('openlearning_known_users', { connectionId }),
  /** Makes a fresh launch and opens it once in the system browser (never in this window). */
  launchOpen: (request: LaunchRequest, taskId: string) => call<LaunchSummary>('launch_open', { request, taskId }),
  /** Makes a fresh launch and puts its HTML on the system clipboard; the HTML never reaches this window. */
  launchCopyHtml: (request: LaunchRequest, taskId: string) => call<LaunchSummary>('launch_copy_html', { request, taskId }),
  /** Native save dialog; the path written, or null when closed. */
  launchSaveHtml: (request: LaunchRequest, taskId: string) => call<string | null>('launch_save_html', { request, taskId }),
  /** Makes a launch only to show its parameters, signature masked. */
  launchShow: (request: LaunchRequest, taskId: string) => call<LaunchSummary>('launch_show', { request, taskId }),
  /** Native open dialog; null when closed. */
  launchImportRoster: () => call<Roster | null>('launch_import_roster'),

  // ---- Enrollments (OOAPI) ---------------------------------------------------------------------
  /** The ledger, filtered, with the counts by state of the whole connection (or of all). */
  enrollmentsList: (query: AssociationQuery) => call<AssociationList>('enrollments_list', { query }),
  /** One association with its timeline and last request/answer (never a header or token). */
  enrollmentsDetail: (id: number) => call<AssociationDetail>('enrollments_detail', { id }),
  /** Asks the home institution about one association now. */
  enrollmentsCheck: (id: number) => call<AssociationDetail>('enrollments_check', { id }),
  /** Polls every pending association of a connection; `cancelTask(taskId)` stops and keeps what was read. */
  enrollmentsPoll: (connectionId: string, taskId: string, onProgress: (progress: PollProgress) => void) =>
    call<PollReport>('enrollments_poll', { connectionId, taskId, onProgress: channelTo(onProgress) }),
  /** PATCHes our side's state; resolves with the association and the home side's message. */
  enrollmentsSetState: (id: number, remoteState: string) =>
    call<[AssociationDetail, string | null]>('enrollments_set_state', { id, remoteState }),
  enrollmentsCreate: (request: CreateRequest) => call<CreateOutcome>('enrollments_create', { request }),
  enrollmentsTemplate: (connectionId: string) => call<unknown>('enrollments_template', { connectionId }),
  enrollmentsTemplates: (connectionId: string) => call<OfferingTemplate[]>('enrollments_templates', { connectionId }),
  enrollmentsSaveTemplate: (connectionId: string, template: unknown) =>
    call<OfferingTemplate>('enrollments_save_template', { connectionId, template }),
  enrollmentsDeleteTemplate: (connectionId: string, offeringId: string) =>
    call<null>('enrollments_delete_template', { connectionId, offeringId }),
  /** Whose student token is pasted for the connection in this session (never the token). */
  enrollmentsStudentToken: (connectionId: string) => call<StudentToken | null>('enrollments_student_token', { connectionId }),
  enrollmentsPasteStudentToken: (connectionId: string, token: string) =>
    call<StudentToken>('enrollments_paste_student_token', { connectionId, token }),
  enrollmentsForgetStudentToken: (connectionId: string) => call<null>('enrollments_forget_student_token', { connectionId }),
  /** Native open dialog; null when closed. */
  enrollmentsImport: (connectionId: string) => call<AssociationImport | null>('enrollments_import', { connectionId }),
  /** Native save dialog; the path written, or null when closed. */
  enrollmentsExport: (query: AssociationQuery, format: ExportFormat) =>
    call<string | null>('enrollments_export', { query, format }),
  /** What a grade return would send; sends nothing. `cancelTask(taskId)` stops a reconciliation being re-read. */
  enrollmentsResultsPreview: (request: ResultsRequest, taskId: string) =>
    call<ResultsPreview>('enrollments_results_preview', { request, taskId }),
  /** Sends the chosen rows (by source line); `cancelTask(taskId)` stops and keeps what was sent. */
  enrollmentsResultsSend: (request: ResultsRequest, lines: number[], taskId: string, onProgress: (progress: ResultsProgress) => void) =>
    call<ResultsSent>('enrollments_results_send', { request, lines, taskId, onProgress: channelTo(onProgress) }),
  /** Native open dialog for a results file; null when closed. */
  enrollmentsResultsFile: () => call<string | null>('enrollments_results_file'),
  /** Checks our own home endpoints (token, the four endpoints, SIS); `cancelTask(taskId)` stops it. */
  endpointCheckRun: (input: CheckInput, taskId: string) => call<CheckReport>('endpoint_check_run', { input, taskId }),
  endpointCheckLast: (profileId: string) => call<CheckReport | null>('endpoint_check_last', { profileId }),
  /** Native save dialog for the last report; the path written, or null when closed. */
  endpointCheckSave: (profileId: string, format: 'html' | 'json' | 'junit') =>
    call<string | null>('endpoint_check_save', { profileId, format }),

  // ---- Schedules (core-owned jobs) -------------------------------------------------------------
  jobsList: () => call<Job[]>('jobs_list'),
  jobsSet: (kind: JobKind, connectionId: string, everyMinutes: number, enabled: boolean) =>
    call<Job>('jobs_set', { kind, connectionId, everyMinutes, enabled }),
};
