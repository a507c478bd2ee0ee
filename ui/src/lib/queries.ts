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
