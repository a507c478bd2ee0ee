import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import type { BootData } from './boot';
import { CrashBoundary } from './components/CrashScreen';
import { backend } from './lib/backend';
import { createQueryClient, queryKeys } from './lib/queries';
import { screenComponents } from './routes';
import { defaultScreen, screens } from './shell/screens';
import { Shell } from './shell/Shell';
import { theme } from './theme';

interface AppProps {
  /** Tests pass their own so each starts with an empty cache. */
  queryClient?: QueryClient;
  /** What the core answered while the first frame was drawn (main.tsx). */
  boot?: Promise<BootData>;
}

/**
 * The app's own query cache, already asking the core for what the shell and every screen show
 * first (the app's details and the connections): the answers come back while React draws the
 * first frame and loads the first screen, instead of after it.
 */
function startingClient(boot: Promise<BootData> = Promise.resolve({})): QueryClient {
  const client = createQueryClient();
  // The first frame already asked: its answers are used, and the core only asked again if it failed.
  void client.prefetchQuery({
    queryKey: queryKeys.appInfo,
    queryFn: async () => (await boot).appInfo ?? backend.appInfo(),
  });
  void client.prefetchQuery({
    queryKey: queryKeys.connections,
    queryFn: async () => (await boot).connections ?? backend.listConnections(),
  });
  return client;
}

export function App({ queryClient, boot }: AppProps) {
  const [client] = useState(() => queryClient ?? startingClient(boot));
  return (
    // Light or dark follows the operating system. No ColorSchemeScript: the CSP allows no inline script.
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={4} />
      <CrashBoundary>
      <QueryClientProvider client={client}>
        <ModalsProvider>
          {/* Served from Tauri's custom protocol: the route lives in the hash, not the path. */}
          <HashRouter>
            <Routes>
              <Route element={<Shell />}>
                <Route index element={<Navigate to={defaultScreen.path} replace />} />
                {screens.map((screen) => {
                  const Screen = screenComponents[screen.key];
                  return <Route key={screen.key} path={screen.path} element={<Screen />} />;
                })}
                <Route path="*" element={<Navigate to={defaultScreen.path} replace />} />
              </Route>
            </Routes>
          </HashRouter>
        </ModalsProvider>
      </QueryClientProvider>
      </CrashBoundary>
    </MantineProvider>
  );
}
