import { Button, Text, Tooltip } from '@mantine/core';
import { IconExternalLink, IconPlayerStop } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { RosterRow } from '../../bindings';
import { DataTable } from '../../components/DataTable';
import { contextWins } from '../../lib/launchRequest';
import { rosterLaunchText, type RosterLaunch } from '../../lib/launchRoster';

interface RosterTableProps {
  rows: RosterRow[];
  launches: ReadonlyMap<number, RosterLaunch>;
  onLaunch: (row: RosterRow) => void;
  /** Stops a row's launch that is waiting for OpenLearning. */
  onCancel: (taskId: string) => void;
}

function Optional({ value }: { value: string | null }) {
  return value ? (
    <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
      {value}
    </Text>
  ) : (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

const statusColors: Record<RosterLaunch['state'], string | undefined> = {
  opening: 'dimmed',
  opened: 'teal',
  failed: 'red',
};

function columnsFor(
  launches: ReadonlyMap<number, RosterLaunch>,
  onLaunch: (row: RosterRow) => void,
  onCancel: (taskId: string) => void,
): ColumnDef<RosterRow>[] {
  return [
    { accessorKey: 'line', header: 'Line', meta: { minWidth: 64, grow: 0 } },
    {
      accessorKey: 'external_id',
      header: 'External id',
      cell: ({ row }) => (
        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {row.original.external_id}
        </Text>
      ),
      meta: { minWidth: 120 },
    },
    {
      accessorKey: 'class_id',
      header: 'Class',
      cell: ({ row }) =>
        contextWins(row.original.class_id, row.original.context_id) ? (
          <Tooltip label="Ignored: OpenLearning uses the context id when both are given" withArrow>
            <Text size="sm" ff="monospace" c="dimmed" td="line-through" data-testid="launch-roster-class-ignored">
              {row.original.class_id}
            </Text>
          </Tooltip>
        ) : (
          <Optional value={row.original.class_id} />
        ),
      meta: { minWidth: 100, grow: 0.8 },
    },
    {
      accessorKey: 'context_id',
      header: 'Context',
      cell: ({ row }) => <Optional value={row.original.context_id} />,
      meta: { minWidth: 100, grow: 0.8 },
    },
    {
      accessorKey: 'email',
      header: 'Email',
      cell: ({ row }) => <Optional value={row.original.email} />,
      meta: { minWidth: 140, grow: 1.2 },
    },
    {
      accessorKey: 'full_name',
      header: 'Name',
      cell: ({ row }) => row.original.full_name ?? <Text size="sm" c="dimmed">—</Text>,
      meta: { minWidth: 110 },
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => <RosterStatus launch={launches.get(row.original.line)} />,
      meta: { minWidth: 170, grow: 1.4 },
    },
    {
      id: 'launch',
      header: () => <span aria-label="Launch" />,
      cell: ({ row }) => {
        const r = row.original;
        const launch = launches.get(r.line);
        if (launch?.state === 'opening') {
          const taskId = launch.taskId;
          return (
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              leftSection={<IconPlayerStop size={14} />}
              onClick={() => onCancel(taskId)}
              aria-label={`Stop launching ${r.external_id} (line ${r.line})`}
              data-testid="launch-roster-cancel"
            >
              Cancel
            </Button>
          );
        }
        return (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconExternalLink size={14} />}
            onClick={() => onLaunch(r)}
            aria-label={`Launch ${r.external_id} (line ${r.line}) in your browser`}
            data-testid="launch-roster-launch"
          >
            Launch
          </Button>
        );
      },
      meta: { minWidth: 120, grow: 0 },
    },
  ];
}

/** A row's latest launch. A long failure message is cut to three lines; all of it is in its tooltip. */
function RosterStatus({ launch }: { launch: RosterLaunch | undefined }) {
  const text = (
    <Text
      size="sm"
      c={launch ? statusColors[launch.state] : undefined}
      lineClamp={launch?.state === 'failed' ? 3 : undefined}
      tabIndex={launch?.state === 'failed' ? 0 : undefined}
      aria-live="polite"
      data-testid="launch-roster-status"
      data-state={launch?.state ?? 'none'}
    >
      {rosterLaunchText(launch)}
    </Text>
  );
  if (launch?.state !== 'failed') return text;
  return (
    <Tooltip label={launch.message} multiline w={420} withArrow>
      {text}
    </Tooltip>
  );
}

/** The roster's rows, each with its own Launch button and the status of its latest launch. */
export function RosterTable({ rows, launches, onLaunch, onCancel }: RosterTableProps) {
  const columns = useMemo(() => columnsFor(launches, onLaunch, onCancel), [launches, onLaunch, onCancel]);
  return (
    <div data-testid="launch-roster">
      <DataTable
        data={rows}
        columns={columns}
        label="Roster"
        getRowId={(r) => String(r.line)}
        rowTestId="launch-roster-row"
        rowAttributes={(r) => ({ 'data-line': String(r.line), 'data-external-id': r.external_id })}
        height={rows.length > 6 ? 'max(360px, calc(100vh - 460px))' : 360}
        empty="The roster has no learners to launch."
      />
    </div>
  );
}
