import { Badge, Group, Modal, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { MirrorChange, SyncRecord } from '../../bindings';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { countOf, formatCount, formatLocalTime } from '../../lib/format';
import { useMirrorChanges, useMirrorHistory } from '../../lib/queries';
import { syncRecordSummary } from '../../lib/syncs';

const statusColors: Record<string, string> = { done: 'teal', failed: 'red', cancelled: 'gray', running: 'blue' };
const statusLabels: Record<string, string> = { done: 'Done', failed: 'Failed', cancelled: 'Cancelled', running: 'Running' };
const changeColors: Record<string, string> = { added: 'teal', removed: 'red', changed: 'orange' };

function StatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="light" color={statusColors[status] ?? 'gray'} data-testid="sync-status">
      {statusLabels[status] ?? status}
    </Badge>
  );
}

/** The provider's syncs, newest first; a click shows what a sync changed. */
export function SyncHistory({ connectionId, providerId }: { connectionId: string; providerId: string }) {
  const history = useMirrorHistory(connectionId, providerId);
  const [open, setOpen] = useState<SyncRecord | null>(null);

  return (
    <Stack gap="xs">
      <Text fw={600}>Sync history of {providerId}</Text>
      <Text size="sm" c="dimmed">
        Every sync of this provider, newest first. Click one to see who it added, removed or changed.
      </Text>
      {history.isPending ? (
        <Skeleton height={80} />
      ) : history.isError ? (
        <ErrorAlert
          title="Could not read the sync history"
          error={history.error}
          onRetry={() => void history.refetch()}
          retrying={history.isFetching}
        />
      ) : history.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="sync-history-empty">
          This provider has never been synced. Press Sync now above to make the first copy.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing={6} data-testid="sync-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Learners</Table.Th>
                <Table.Th ta="right">Added</Table.Th>
                <Table.Th ta="right">Removed</Table.Th>
                <Table.Th ta="right">Changed</Table.Th>
                <Table.Th>Note</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.map((record) => (
                <Table.Tr
                  key={record.id}
                  onClick={() => setOpen(record)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      setOpen(record);
                    }
                  }}
                  tabIndex={0}
                  style={{ cursor: 'pointer' }}
                  aria-label={`Show what the sync of ${formatLocalTime(record.started_at)} changed`}
                  data-testid="sync-history-row"
                  data-status={record.status}
                >
                  <Table.Td>{formatLocalTime(record.started_at)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={record.status} />
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(record.count)}</Table.Td>
                  <Table.Td ta="right">{formatCount(record.added)}</Table.Td>
                  <Table.Td ta="right">{formatCount(record.removed)}</Table.Td>
                  <Table.Td ta="right">{formatCount(record.changed)}</Table.Td>
                  <Table.Td maw={360}>
                    <Tooltip label={record.note} disabled={record.note === ''} multiline w={400}>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {record.note}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        size="xl"
        title={open ? `What the sync of ${formatLocalTime(open.started_at)} changed` : ''}
      >
        {open && <SyncChanges record={open} />}
      </Modal>
    </Stack>
  );
}

const changeColumns: ColumnDef<MirrorChange>[] = [
  {
    accessorKey: 'kind',
    header: 'Change',
    cell: ({ row }) => (
      <Badge variant="light" color={changeColors[row.original.kind] ?? 'gray'}>
        {row.original.kind}
      </Badge>
    ),
    meta: { minWidth: 130, grow: 0.5 },
  },
  { accessorKey: 'username', header: 'Username', meta: { minWidth: 160 } },
  {
    accessorKey: 'old_remote_id',
    header: 'Remote ID before',
    cell: ({ row }) => row.original.old_remote_id ?? '—',
    meta: { minWidth: 150 },
  },
  {
    accessorKey: 'new_remote_id',
    header: 'Remote ID after',
    cell: ({ row }) => row.original.new_remote_id ?? '—',
    meta: { minWidth: 150 },
  },
];

function SyncChanges({ record }: { record: SyncRecord }) {
  const changes = useMirrorChanges(record.id);
  return (
    <Stack gap="sm" data-testid="sync-diff">
      <Group>
        <StatusBadge status={record.status} />
        <Text size="sm">
          {record.status === 'done'
            ? syncRecordSummary(record)
            : 'This sync did not finish, so the mirror was left as it was before.'}
        </Text>
      </Group>
      {record.note && (
        <Text size="sm" c="dimmed" data-testid="sync-note">
          {record.note}
        </Text>
      )}
      {changes.isPending ? (
        <Skeleton height={160} />
      ) : changes.isError ? (
        <ErrorAlert title="Could not read what this sync changed" error={changes.error} onRetry={() => void changes.refetch()} />
      ) : (
        <>
          <Text size="sm" fw={500} data-testid="sync-change-count">
            {changes.data.length === 0
              ? 'No learner was added, removed or changed.'
              : `${countOf(changes.data.length, 'change')}${changes.data.length >= 5000 ? ' (the first 5,000)' : ''}`}
          </Text>
          {changes.data.length > 0 && (
            <DataTable
              data={changes.data}
              columns={changeColumns}
              label="Changes made by this sync"
              getRowId={(c, i) => `${c.kind}\u0000${c.username}\u0000${i}`}
              rowTestId="sync-change-row"
              height={Math.min(420, 40 + changes.data.length * 37)}
            />
          )}
        </>
      )}
    </Stack>
  );
}
