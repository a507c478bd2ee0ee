// The schedules of the core's periodic jobs, as the screens read them.
import { useQuery } from '@tanstack/react-query';
import type { Job, JobKind } from '../bindings';
import { backend } from './backend';

export const jobsKey = ['jobs'] as const;

/** The saved schedule of `kind` for a connection, if any; `loaded` once the list has arrived. */
export function useJob(kind: JobKind, connectionId: string): { job: Job | undefined; loaded: boolean } {
  const jobs = useQuery({ queryKey: jobsKey, queryFn: backend.jobsList });
  return { job: jobs.data?.find((j) => j.kind === kind && j.profile_id === connectionId), loaded: jobs.isSuccess };
}
