// TanStack Query hooks over the back end's commands that change something. Each refreshes the
// caches it affects when it is done, whether it worked or not.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LookupRowInput, NotChecked, ProfileDraft, ProfileView, SecretField } from '../bindings';
import { backend, toAppError, type AppError, type ExportFormat } from './backend';
import { queryKeys } from './queries';

/** The connection was saved, but one of its secrets did not reach the keyring. */
export class SecretNotSaved extends Error {
  readonly view: ProfileView;
  readonly field: SecretField;
  readonly reason: AppError;

  constructor(view: ProfileView, field: SecretField, reason: AppError) {
    super(reason.message, { cause: reason });
    this.name = 'SecretNotSaved';
    this.view = view;
    this.field = field;
    this.reason = reason;
  }
}

export interface SaveConnectionRequest {
  /** Null to create a new connection. */
  id: string | null;
  draft: ProfileDraft;
  /**
   * Reads the secrets typed into the form. Called once, after the connection is saved, so the values
   * go straight from their inputs to the keyring and never sit in the query cache or React state.
   */
  readSecrets: () => { field: SecretField; value: string }[];
}

/**
 * Creates or updates the connection, then stores each typed secret under it. A secret that fails
 * is reported as `SecretNotSaved`, carrying the saved connection so the form can carry on editing it.
 */
export async function saveConnection({ id, draft, readSecrets }: SaveConnectionRequest): Promise<ProfileView> {
  let view = id === null ? await backend.createConnection(draft) : await backend.updateConnection(id, draft);
  for (const { field, value } of readSecrets()) {
    try {
      view = await backend.setSecret(view.profile.id, field, value);
    } catch (reason) {
      throw new SecretNotSaved(view, field, toAppError(reason, 'set_secret'));
    }
  }
  return view;
}

function refreshConnections(client: QueryClient): Promise<void> {
  // Learners reads connections too, and a changed connection may list other providers.
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.connections }),
    client.invalidateQueries({ queryKey: ['mappings'] }),
  ]).then(() => undefined);
}

function useConnectionMutation<Args, Result>(fn: (args: Args) => Promise<Result>, refresh = true) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: refresh ? () => refreshConnections(client) : undefined,
  });
}

export const useSaveConnection = () => useConnectionMutation(saveConnection);
export const useDuplicateConnection = () => useConnectionMutation((id: string) => backend.duplicateConnection(id));
export const useDeleteConnection = () => useConnectionMutation((id: string) => backend.deleteConnection(id));
export const useClearSecret = () =>
  useConnectionMutation(({ id, field }: { id: string; field: SecretField }) => backend.clearSecret(id, field));
// A test changes nothing saved; it only reads.
export const useTestConnection = () => useConnectionMutation((id: string) => backend.testConnection(id), false);
export const useExportConnections = () =>
  useConnectionMutation((ids: string[]) => backend.exportConnections(ids), false);
export const useImportConnections = () => useConnectionMutation(() => backend.importConnections());

/** A connection watching other providers has other mirrors and other permission cells. */
export function useSetWatchedProviders() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ connectionId, providers }: { connectionId: string; providers: string[] }) =>
      backend.setWatchedProviders(connectionId, providers),
    onSettled: (_view, _error, { connectionId }) =>
      Promise.all([
        refreshConnections(client),
        client.invalidateQueries({ queryKey: queryKeys.mirror(connectionId) }),
        client.invalidateQueries({ queryKey: queryKeys.permissions }),
      ]).then(() => undefined),
  });
}

// Reading a file of ids and writing the results change nothing Crosswalk keeps.
export const useImportIds = () => useMutation({ mutationFn: () => backend.importIds() });
export const useExportLookup = () =>
  useMutation({
    mutationFn: ({
      rows,
      notFound,
      notChecked,
      format,
    }: {
      rows: LookupRowInput[];
      notFound: string[];
      notChecked: NotChecked[];
      format: ExportFormat;
    }) => backend.exportLookup(rows, notFound, notChecked, format),
  });
