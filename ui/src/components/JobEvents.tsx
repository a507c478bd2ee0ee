// The core runs periodic jobs (enrollment checks, mirror syncs) itself, also while the window is
// hidden; it tells the window on the `job` event. Mounted once in the shell: refreshes what a job
// changed and says so in a toast. Outside the app (the browser test suite) it does nothing.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { JobEvent } from '../bindings';
import { listenWhileMounted } from '../lib/appEvents';
import { backendIsReachable } from '../lib/backend';
import { notifyInfo, notifyWarning } from '../lib/notify';

export function JobEvents() {
  const client = useQueryClient();
  useEffect(() => {
    if (!backendIsReachable()) return;
    // Without the event channel the screens still refresh on their own timers.
    return listenWhileMounted<JobEvent>('job', (payload) => {
      if (payload.phase !== 'finished') return;
      void client.invalidateQueries({ queryKey: ['jobs'] });
      if (payload.kind === 'enrollments_poll') {
        void client.invalidateQueries({ queryKey: ['enrollments'] });
        if (payload.outcome === 'failed') notifyWarning('The scheduled enrollment check failed', payload.detail);
        else if (payload.detail.includes('→')) notifyInfo('Enrollment changes', payload.detail);
      } else {
        void client.invalidateQueries({ queryKey: ['mirror', payload.profile_id] });
        if (payload.outcome === 'failed') notifyWarning('The scheduled mirror sync failed', payload.detail);
      }
    });
  }, [client]);
  return null;
}
