import {
  Badge,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFolderOpen, IconSearch } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { ActivityEntry, Outcome } from '../bindings';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { RelativeTime } from '../components/RelativeTime';
import { ScreenHeader } from '../components/ScreenHeader';
import { ACTIVITY_LIMIT, hasFilters, type ActivityFilters } from '../lib/activityFilters';
import { backend } from '../lib/backend';
import { countOf, formatCount, formatLocalTime } from '../lib/format';
import { notifyError, notifySuccess } from '../lib/notify';
import { ACTIVITY_REFRESH_MS, useActivity } from '../lib/queries';
import { isSincePreset, sincePresets, type SincePreset } from '../lib/since';

const faceLabels = { app: 'App', cli: 'Command line' } as const;

const columns: ColumnDef<ActivityEntry>[] = [
  {
    id: 'at',
    header: 'Time',
    meta: { minWidth: 150, grow: 1 },
    cell: ({ row }) => (
      <Stack gap={0}>
        <Text size="sm">{formatLocalTime(row.original.at)}</Text>
        <Text size="xs" c="dimmed">
          <RelativeTime value={row.original.at} />
        </Text>
      </Stack>
    ),
  },
  { accessorKey: 'actor', header: 'Who', meta: { minWidth: 90, grow: 0.6 } },
  {
    id: 'face',
    header: 'From',
    meta: { minWidth: 100, grow: 0.6 },
    cell: ({ row }) => <Text size="sm">{faceLabels[row.original.face]}</Text>,
  },
  {
    accessorKey: 'action',
    header: 'Action',
    meta: { minWidth: 160, grow: 1 },
    cell: ({ row }) => (
      <Text size="sm" ff="monospace">
        {row.original.action}
      </Text>
    ),
  },
  { accessorKey: 'target', header: 'Target', meta: { minWidth: 150, grow: 1.2 } },
  {
    id: 'outcome',
    header: 'Outcome',
    meta: { minWidth: 100, grow: 0.5 },
    cell: ({ row }) =>
      row.original.outcome === 'ok' ? (
        <Badge color="teal" variant="light" data-testid="outcome-badge">
          OK
        </Badge>
      ) : (
        <Badge color="red" variant="filled" data-testid="outcome-badge">
          Error
        </Badge>
      ),
  },
  { accessorKey: 'detail', header: 'Detail', meta: { minWidth: 200, grow: 2 } },
];

type OutcomeChoice = 'all' | Outcome;

export default function ActivityScreen() {
  const [text, setText] = useState('');
  const [debouncedText] = useDebouncedValue(text, 300);
  const [action, setAction] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<OutcomeChoice>('all');
  const [since, setSince] = useState<SincePreset>('all');

  const filters: ActivityFilters = {
    text: debouncedText.trim(),
    action,
    outcome: outcome === 'all' ? null : outcome,
    since,
  };
  const activity = useActivity(filters);

  const openLogs = useMutation({
    mutationFn: backend.openLogsFolder,
    onSuccess: () => notifySuccess('Logs folder opened', 'It is in your file manager now.'),
    onError: (error) => notifyError('Could not open the logs folder', error),
  });

  return (
    <>
      <ScreenHeader
        title="Activity"
        actions={
          <Button
            variant="default"
            leftSection={<IconFolderOpen size={16} />}
            onClick={() => openLogs.mutate()}
            loading={openLogs.isPending}
            data-testid="open-logs"
          >
            Open logs folder
          </Button>
        }
      >
        Every action Crosswalk takes that reaches a remote system, from this app or from the command-line
        tool, is recorded here: who did it, what it touched and whether it worked. Use it to check what
        happened, or to find the error message when something went wrong. Entries never contain passwords,
        client secrets or tokens.
      </ScreenHeader>
      <Stack gap="md">
        <Group align="flex-end" gap="md">
          <TextInput
            label="Search"
            placeholder="Action, target, person or detail"
            leftSection={<IconSearch size={16} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            w={280}
            data-testid="activity-search"
          />
          <Select
            label="Action"
            placeholder="All actions"
            data={activity.data?.actions ?? []}
            value={action}
            onChange={setAction}
            clearable
            searchable
            nothingFoundMessage="No action by that name has been recorded"
            w={240}
            data-testid="activity-action"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Outcome
            </Text>
            <SegmentedControl
              value={outcome}
              onChange={(v) => setOutcome(v as OutcomeChoice)}
              data={[
                { value: 'all', label: 'All' },
                { value: 'ok', label: 'OK' },
                { value: 'error', label: 'Errors' },
              ]}
              data-testid="activity-outcome"
            />
          </Stack>
          <Select
            label="When"
            data={sincePresets.map((p) => ({ value: p.value, label: p.label }))}
            value={since}
            onChange={(v) => v && isSincePreset(v) && setSince(v)}
            allowDeselect={false}
            w={170}
            data-testid="activity-since"
          />
        </Group>

        {activity.isPending ? (
          <Stack gap="xs" data-testid="activity-loading">
            <Skeleton height={20} width={300} />
            <Skeleton height={320} />
          </Stack>
        ) : activity.isError && activity.data === undefined ? (
          <ErrorAlert
            title="Could not load the activity log"
            error={activity.error}
            onRetry={() => void activity.refetch()}
            retrying={activity.isFetching}
          />
        ) : (
          <>
            <Group justify="space-between" gap="xs">
              <Text fw={600} data-testid="activity-count">
                {formatCount(activity.data.entries.length)} of {countOf(activity.data.total, 'entry', 'entries')}
                {hasFilters(filters) ? ' matching your filters' : ''}
              </Text>
              <Group gap="xs">
                {activity.isFetching && <Loader size="xs" aria-label="Refreshing" />}
                <Tooltip label="New entries appear on their own while this screen is open">
                  <Text size="sm" c="dimmed">
                    Updates every {ACTIVITY_REFRESH_MS / 1000} seconds
                  </Text>
                </Tooltip>
              </Group>
            </Group>
            {activity.isError && (
              <ErrorAlert
                title="Could not refresh the activity log; showing what was loaded before"
                error={activity.error}
                onRetry={() => void activity.refetch()}
                retrying={activity.isFetching}
              />
            )}
            {activity.data.total > activity.data.entries.length && (
              <Text size="sm" c="dimmed" data-testid="activity-cut">
                Only the newest {formatCount(Math.min(ACTIVITY_LIMIT, activity.data.entries.length))} are
                shown. Narrow the search or the time window to see older ones.
              </Text>
            )}
            <DataTable
              data={activity.data.entries}
              columns={columns}
              label="Activity log, newest first"
              getRowId={(e) => String(e.id)}
              rowTestId="activity-row"
              height="calc(100vh - 400px)"
              estimateRowHeight={58}
              refreshing={activity.isPlaceholderData}
              scrollResetKey={JSON.stringify(filters)}
              empty={
                hasFilters(filters)
                  ? 'Nothing matches these filters. Clear the search or choose a longer time window.'
                  : 'Nothing has been recorded yet. Entries appear here as soon as Crosswalk reaches a remote system.'
              }
            />
          </>
        )}
      </Stack>
    </>
  );
}
