// TanStack Query hooks for the Launch screen. Only the learners found before are cached: a launch is
// a credential, so its results stay in the component that shows them and nowhere else.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LaunchRequest, LaunchSummary } from '../bindings';
import { backend } from './backend';
import { newTaskId } from './taskId';

export const launchKeys = {
  knownUsers: (connectionId: string) => ['openlearning-known-users', connectionId] as const,
};

/** The learners found by external id on this connection before, newest first (local and cheap). */
export function useKnownUsers(connectionId: string) {
  return useQuery({
    queryKey: launchKeys.knownUsers(connectionId),
    queryFn: () => backend.openlearningKnownUsers(connectionId),
    staleTime: 0,
  });
}

function refreshKnownUsers(client: QueryClient, connectionId: string): Promise<void> {
  return client.invalidateQueries({ queryKey: launchKeys.knownUsers(connectionId) });
}

/** Stops a find or a launch waiting for OpenLearning (one already answered is not undone). */
export async function cancelOpenLearningCall(taskId: string | undefined): Promise<void> {
  if (!taskId) return;
  try {
    await backend.cancelTask(taskId);
  } catch {
    // The call ends by itself anyway and says how it ended.
  }
}

/** Finding a learner remembers them, so the list of learners found before is read again. */
export function useFindUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ connectionId, externalId, taskId }: { connectionId: string; externalId: string; taskId: string }) =>
      backend.openlearningFindUser(connectionId, externalId.trim(), taskId),
    onSettled: (_user, _error, { connectionId }) => refreshKnownUsers(client, connectionId),
    gcTime: 0,
  });
}

/** The four things a launch button can do. Each makes a fresh launch in the back end. */
export type LaunchAction = 'open' | 'copy' | 'save' | 'show';

export type LaunchOutcome =
  | { action: 'open' | 'copy' | 'show'; summary: LaunchSummary }
  | { action: 'save'; path: string }
  /** The person closed the save dialog: nothing was made. */
  | { action: 'save'; path: null };

/** Runs one launch action; `cancelTask(taskId)` stops it while it waits for OpenLearning. */
export async function runLaunch(action: LaunchAction, request: LaunchRequest, taskId: string = newTaskId()): Promise<LaunchOutcome> {
  switch (action) {
    case 'open':
      return { action, summary: await backend.launchOpen(request, taskId) };
    case 'copy':
      return { action, summary: await backend.launchCopyHtml(request, taskId) };
    case 'show':
      return { action, summary: await backend.launchShow(request, taskId) };
    case 'save':
      return { action, path: await backend.launchSaveHtml(request, taskId) };
  }
}

/**
 * Runs one launch action under the task id its caller chose (so it can be cancelled). The outcome
 * lives only as long as the screen shows it (`gcTime: 0`). A launch by external id may look the
 * learner up, which remembers them.
 */
export function useLaunch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, request, taskId }: { action: LaunchAction; request: LaunchRequest; taskId: string }) =>
      runLaunch(action, request, taskId),
    onSettled: (_outcome, _error, { request }) =>
      request.user.by === 'external_id' ? refreshKnownUsers(client, request.profile_id) : undefined,
    gcTime: 0,
  });
}
