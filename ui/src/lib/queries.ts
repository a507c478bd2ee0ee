// TanStack Query hooks over the back end's read commands. Keys live here so screens share caches.
import { keepPreviousData, QueryClient, useQuery } from '@tanstack/react-query';
import { toActivityQuery, type ActivityFilters } from './activityFilters';
import { backend, type BrowseMappingsArgs } from './backend';

// Screens show a failed load where the content would be, with a Retry button; toasts are kept for
// actions (see notify.ts).
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Calls can reach remote systems: no silent retry storms; screens offer a Retry button.
        retry: false,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
}

export const queryKeys = {
  appInfo: ['app_info'] as const,
  connections: ['connections'] as const,
  mappings: (args: BrowseMappingsArgs) =>
    ['mappings', args.connectionId, args.providerId, args.page, args.pageSize] as const,
  activity: (filters: ActivityFilters) => ['activity', filters] as const,
  /** Everything Crosswalk keeps about one connection's mirrors: a sync refreshes all of it. */
  mirror: (connectionId: string) => ['mirror', connectionId] as const,
  mirrorStatus: (connectionId: string) => ['mirror', connectionId, 'status'] as const,
  mirrorHistory: (connectionId: string, providerId: string) => ['mirror', connectionId, 'history', providerId] as const,
  mirrorSearch: (connectionId: string, providerId: string, text: string) =>
    ['mirror', connectionId, 'search', providerId, text] as const,
  /** A finished sync's changes never change. */
  mirrorChanges: (syncId: number) => ['mirror-changes', syncId] as const,
  learnerLinks: (connectionId: string, username: string) => ['learner-links', connectionId, username] as const,
  permissions: ['permissions'] as const,
};

export function useAppInfo() {
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: backend.appInfo, staleTime: Infinity });
}

export function useConnections() {
  return useQuery({ queryKey: queryKeys.connections, queryFn: backend.listConnections });
}

export function useMappings(args: BrowseMappingsArgs | null) {
  return useQuery({
    queryKey: args ? queryKeys.mappings(args) : ['mappings', 'none'],
    queryFn: () => {
      if (!args) throw new Error('No provider chosen');
      return backend.browseMappings(args);
    },
    enabled: args !== null,
    placeholderData: keepPreviousData,
    // The list is fetched live from the remote system; keep a page for a minute before asking again.
    staleTime: 60_000,
  });
}

/** Per watched provider: how many learners the local mirror holds and when it was last synced. */
export function useMirrorStatus(connectionId: string | null) {
  return useQuery({
    queryKey: connectionId ? queryKeys.mirrorStatus(connectionId) : ['mirror', 'none'],
    queryFn: () => {
      if (!connectionId) throw new Error('No connection chosen');
      return backend.mirrorStatus(connectionId);
    },
    enabled: connectionId !== null,
    // Local and cheap: always current.
    staleTime: 0,
  });
}

export function useMirrorHistory(connectionId: string | null, providerId: string | null) {
  return useQuery({
    queryKey: connectionId && providerId ? queryKeys.mirrorHistory(connectionId, providerId) : ['mirror', 'none', 'history'],
    queryFn: () => {
      if (!connectionId || !providerId) throw new Error('No provider chosen');
      return backend.mirrorHistory(connectionId, providerId);
    },
    enabled: connectionId !== null && providerId !== null,
    staleTime: 0,
  });
}

export function useMirrorChanges(syncId: number | null) {
  return useQuery({
    queryKey: syncId === null ? ['mirror-changes', 'none'] : queryKeys.mirrorChanges(syncId),
    queryFn: () => {
      if (syncId === null) throw new Error('No sync chosen');
      return backend.mirrorChanges(syncId);
    },
    enabled: syncId !== null,
    staleTime: Infinity,
  });
}

/** The mirror search needs this many characters (the back end refuses fewer). */
export const MIRROR_SEARCH_MIN = 3;

export function useMirrorSearch(connectionId: string | null, providerId: string | null, text: string) {
  const trimmed = text.trim();
  const enabled = connectionId !== null && providerId !== null && [...trimmed].length >= MIRROR_SEARCH_MIN;
  return useQuery({
    queryKey: enabled ? queryKeys.mirrorSearch(connectionId, providerId, trimmed) : ['mirror', 'none', 'search'],
    queryFn: () => {
      if (!connectionId || !providerId) throw new Error('No provider chosen');
      return backend.searchMirror(connectionId, providerId, trimmed);
    },
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

/** Asked when the person presses Show links (the LMS part is a live call). */
export function useLearnerLinks(connectionId: string | null, username: string | null) {
  return useQuery({
    queryKey: connectionId && username ? queryKeys.learnerLinks(connectionId, username) : ['learner-links', 'none'],
    queryFn: () => {
      if (!connectionId || !username) throw new Error('No learner chosen');
      return backend.learnerLinks(connectionId, username);
    },
    enabled: connectionId !== null && username !== null,
    staleTime: 0,
  });
}

/** Probes every Open edX connection × watched provider at the LMS; run when the tab is opened. */
export function usePermissions(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.permissions,
    queryFn: () => backend.checkPermissions([]),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** How often the Activity screen asks for new entries while it is on screen. */
export const ACTIVITY_REFRESH_MS = 5000;

export function useActivity(filters: ActivityFilters) {
  return useQuery({
    queryKey: queryKeys.activity(filters),
    // "Last hour" slides with the clock: the instant is worked out on every fetch, not once.
    queryFn: () => backend.listActivity(toActivityQuery(filters)),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: ACTIVITY_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}
