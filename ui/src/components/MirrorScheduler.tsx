// The periodic mirror sync. Mounted once in the shell, so it runs while Crosswalk is open, whatever
// screen is showing. It draws nothing; a failed automatic sync says so in a toast.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { AppError, backend } from '../lib/backend';
import { openEdxConnections } from '../lib/connections';
import { dueProviders, useMirrorSchedules } from '../lib/mirrorSchedule';
import { notifyError } from '../lib/notify';
import { queryKeys, useConnections } from '../lib/queries';
import { startSync, syncKey } from '../lib/syncs';

/** How often the scheduler looks whether a provider is due. */
export const SCHEDULE_CHECK_MS = 60_000;

/** When each provider was last synced automatically in this session. */
const lastAttempts = new Map<string, number>();

export function MirrorScheduler() {
  const client = useQueryClient();
  const schedules = useMirrorSchedules();
  const connections = useConnections();
  const openedx = openEdxConnections(connections.data ?? []);
  // Only what the effect needs, as a string, so it restarts when (and only when) that changes.
  const plan = JSON.stringify(
    openedx
      .filter((c) => schedules[c.id]?.enabled === true)
      .map((c) => ({ id: c.id, name: c.name, hours: schedules[c.id]?.hours ?? 0 })),
  );

  useEffect(() => {
    const wanted = JSON.parse(plan) as { id: string; name: string; hours: number }[];
    if (wanted.length === 0) return;
    let stopped = false;

    async function check() {
      for (const { id, name, hours } of wanted) {
        if (stopped) return;
        let statuses;
        try {
          statuses = await client.fetchQuery({
            queryKey: queryKeys.mirrorStatus(id),
            queryFn: () => backend.mirrorStatus(id),
            staleTime: 0,
          });
        } catch {
          continue; // The Mirror tab shows why the status cannot be read.
        }
        const due = dueProviders(statuses, hours, Date.now(), (p) => lastAttempts.get(syncKey(id, p)));
        for (const providerId of due) {
          if (stopped) return;
          lastAttempts.set(syncKey(id, providerId), Date.now());
          const outcome = await startSync(client, id, providerId, true);
          if (outcome?.kind === 'failed') {
            notifyError(
              `The automatic sync of ${providerId} (${name}) failed`,
              new AppError('sync_failed', outcome.message),
            );
          }
        }
      }
    }

    void check();
    const timer = window.setInterval(() => void check(), SCHEDULE_CHECK_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [plan, client]);

  return null;
}
