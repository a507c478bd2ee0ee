import { Group, Loader, Pagination, Skeleton, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { GradeRow, Reconciliation, RowStatus } from '../../bindings';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { countOf, formatCount } from '../../lib/format';
import { ROWS_PAGE_SIZE, useGradeRows } from '../../lib/gradesQueries';
import { statusExplanations, statusLabels } from '../../lib/gradesStatus';
import { StatusBadge } from './StatusBadge';

const TABLE_HEIGHT = 420;

function Mono({ value }: { value: string }) {
  return (
    <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
      {value}
    </Text>
  );
}

const columns: ColumnDef<GradeRow>[] = [
  { accessorKey: 'line', header: 'Line', meta: { minWidth: 60, grow: 0.1 } },
  { accessorKey: 'username', header: 'Username', cell: ({ row }) => <Mono value={row.original.username} />, meta: { minWidth: 130, grow: 0.8 } },
  { accessorKey: 'student_id', header: 'Student ID', meta: { minWidth: 112, grow: 0.3 } },
  {
    id: 'remote_id',
    header: 'Remote ID',
    cell: ({ row }) => {
      const { remote_id, candidates } = row.original;
      if (remote_id) return <Mono value={remote_id} />;
      if (candidates.length > 0) return <Mono value={candidates.join(', ')} />;
      return (
        <Text size="sm" c="dimmed">
          —
        </Text>
      );
    },
    meta: { minWidth: 180, grow: 1 },
  },
  { accessorKey: 'grade', header: 'Grade', meta: { minWidth: 112, grow: 0.2 } },
  {
    accessorKey: 'status',
    header: 'Status',
    cell: ({ row }) => <StatusBadge status={row.original.status} />,
    meta: { minWidth: 132, grow: 0 },
  },
  {
    accessorKey: 'message',
    header: 'Why',
    cell: ({ row }) => (
      <Text size="sm" c="dimmed">
        {row.original.message}
      </Text>
    ),
    meta: { minWidth: 230, grow: 2.4 },
  },
];

interface GradeRowsTableProps {
  reconciliation: Reconciliation;
  status: RowStatus | null;
}

/** The reconciliation's rows, a page at a time, all or those of one status. */
export function GradeRowsTable({ reconciliation, status }: GradeRowsTableProps) {
  // A page belongs to one filter: another filter starts at page 1.
  const [paging, setPaging] = useState<{ status: RowStatus | null; page: number }>({ status, page: 1 });
  const page = paging.status === status ? paging.page : 1;
  const rows = useGradeRows(reconciliation, status, page);
  const pages = rows.data ? Math.max(1, Math.ceil(rows.data.total / ROWS_PAGE_SIZE)) : 1;
  const what = status === null ? 'rows' : `${statusLabels[status].toLowerCase()} rows`;

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" maw={900} data-testid="grades-status-explanation" mih={40}>
        {status === null
          ? 'Every line of the report, in file order. Click a count above to see only the rows with that status, and why.'
          : statusExplanations[status]}
      </Text>
      {rows.isPending ? (
        <Skeleton height={TABLE_HEIGHT} />
      ) : rows.isError ? (
        <ErrorAlert title="Could not read the rows" error={rows.error} onRetry={() => void rows.refetch()} retrying={rows.isFetching} />
      ) : (
        <>
          <DataTable
            data={rows.data.rows}
            columns={columns}
            label={status === null ? 'Rows of the report' : `${statusLabels[status]} rows of the report`}
            getRowId={(r) => String(r.line)}
            rowTestId="grade-row"
            rowAttributes={(r) => ({ 'data-status': r.status, 'data-username': r.username })}
            height={TABLE_HEIGHT}
            estimateRowHeight={41}
            refreshing={rows.isPlaceholderData}
            scrollResetKey={`${reconciliation.id}/${reconciliation.created_at}/${status ?? 'all'}/${page}`}
            empty={status === null ? 'The report has no rows.' : `No row is ${statusLabels[status].toLowerCase()}.`}
          />
          <Group justify="space-between" mih={32}>
            <Group gap="xs">
              <Text size="sm" c="dimmed" data-testid="grades-rows-count">
                {rows.data.total <= ROWS_PAGE_SIZE
                  ? countOf(rows.data.total, status === null ? 'row' : `${statusLabels[status].toLowerCase()} row`)
                  : `${what[0]?.toUpperCase()}${what.slice(1)} ${formatCount((page - 1) * ROWS_PAGE_SIZE + 1)}–${formatCount(
                      Math.min(page * ROWS_PAGE_SIZE, rows.data.total),
                    )} of ${formatCount(rows.data.total)}`}
              </Text>
              {rows.isFetching && <Loader size="xs" aria-label="Reading rows" />}
            </Group>
            {pages > 1 && (
              <Pagination
                total={pages}
                value={page}
                onChange={(p) => setPaging({ status, page: p })}
                siblings={1}
                boundaries={1}
                getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
                data-testid="grades-rows-pagination"
              />
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
