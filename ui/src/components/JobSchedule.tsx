// A periodic job's schedule (mirror syncs, enrollment checks): a switch and an interval that edit
// the schedule the core keeps and runs — also with the window hidden, and from cron with
// `crosswalk jobs run-due`. No timer runs here.
import { Group, NumberInput, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { JobKind } from '../bindings';
import { backend } from '../lib/backend';
import { jobsKey, useJob } from '../lib/jobs';
import { notifyError } from '../lib/notify';

const stamp = (t: string) => t.replace('T', ' ').replace('Z', ' UTC');

export function JobSchedule({
  kind,
  connectionId,
  unit,
  min,
  max,
  fallback,
  label,
  what,
  off,
  testId,
}: {
  kind: JobKind;
  connectionId: string;
  /** The unit the interval is shown in; the core keeps minutes. */
  unit: 'minutes' | 'hours';
  min: number;
  max: number;
  /** The interval shown before a schedule is saved, in `unit`. */
  fallback: number;
  label: string;
  /** What the job does, for the note under the switch. */
  what: string;
  /** The note while switched off. */
  off: string;
  testId: string;
}) {
  const client = useQueryClient();
  const { job } = useJob(kind, connectionId);
  const perUnit = unit === 'hours' ? 60 : 1;
  const [value, setValue] = useState<number | string>('');
  const every = typeof value === 'number' ? value : job ? Math.round(job.every_minutes / perUnit) : fallback;
  const save = useMutation({
    mutationFn: (v: { every: number; enabled: boolean }) =>
      backend.jobsSet(kind, connectionId, Math.min(max, Math.max(min, v.every)) * perUnit, v.enabled),
    onSuccess: () => client.invalidateQueries({ queryKey: jobsKey }),
    onError: (e) => notifyError('The schedule was not saved', e),
  });
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" align="center">
        <Switch
          label={label}
          checked={job?.enabled ?? false}
          onChange={(e) => save.mutate({ every, enabled: e.currentTarget.checked })}
          data-testid={testId}
        />
        <NumberInput
          size="xs"
          w={unit === 'hours' ? 90 : 110}
          min={min}
          max={max}
          suffix={unit === 'hours' ? ' h' : ' min'}
          aria-label={`${unit === 'hours' ? 'Hours' : 'Minutes'} between runs`}
          value={every}
          onChange={setValue}
          onBlur={() => job?.enabled && save.mutate({ every, enabled: true })}
          data-testid={`${testId}-every`}
        />
      </Group>
      <Text size="xs" c="dimmed" maw={520} data-testid={`${testId}-note`}>
        {job?.enabled
          ? `${what} Crosswalk runs it while it is open, also with the window hidden; on a server, run \`crosswalk jobs run-due\` from cron. Next run ${stamp(job.next_run_at)}.`
          : off}
        {job?.last_run_at && ` Last run ${stamp(job.last_run_at)}: ${job.last_outcome ?? ''} — ${job.last_detail ?? ''}`}
      </Text>
    </Stack>
  );
}
