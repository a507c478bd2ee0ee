import { Badge, Button, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconFolderOpen, IconHistory, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReconciliationRecord } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { connectionLabel } from '../../lib/connections';
import { countOf, formatCount, formatLocalTime } from '../../lib/format';
import { templates } from '../../lib/gradesExport';
import { useGradesHistory, useRevealPath } from '../../lib/gradesQueries';
import { startReopen, useGradesSession } from '../../lib/gradesSession';
import { countFor, reportKindLabels, rowStatuses, statusColors, statusLabels } from '../../lib/gradesStatus';
import { notifyError } from '../../lib/notify';
import { useConnections } from '../../lib/queries';
import { TabIntro } from '../learners/TabIntro';
import { ReconcileProgressPanel } from './ReconcileProgressPanel';

function Counts({ record }: { record: ReconciliationRecord }) {
  return (
    <Group gap={4}>
      {rowStatuses
        .filter((s) => s === 'matched' || countFor(record.counts, s) > 0)
        .map((s) => (
          <Tooltip key={s} label={statusLabels[s]}>
            <Badge variant="light" color={statusColors[s]} tt="none" data-testid={`grades-history-${s}`}>
              {formatCount(countFor(record.counts, s))} {statusLabels[s].toLowerCase()}
            </Badge>
          </Tooltip>
        ))}
    </Group>
  );
}

function ExportCell({ record }: { record: ReconciliationRecord }) {
  const reveal = useRevealPath();
  if (!record.export_path) {
    return (
      <Text size="sm" c="dimmed">
        Not exported
      </Text>
    );
  }
  const path = record.export_path;
  return (
    <Stack gap={2}>
      <Text size="sm">
        {record.template ? templates[record.template].label : 'Exported'}
        {record.exported_at ? `, ${formatLocalTime(record.exported_at)}` : ''}
      </Text>
      <Group gap={4} wrap="nowrap">
        <Text size="xs" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid="grades-history-export-path">
          {path}
        </Text>
        <Tooltip label="Show in folder">
          <Button
            size="compact-xs"
            variant="subtle"
            aria-label={`Show ${path} in its folder`}
            onClick={() => reveal.mutate(path, { onError: (error) => notifyError('Could not show the file', error) })}
            loading={reveal.isPending}
          >
            <IconFolderOpen size={14} />
          </Button>
        </Tooltip>
      </Group>
    </Stack>
  );
}

/** Every reconciliation made on this computer; any of them can be reopened to review and export it again. */
export function HistoryTab({ onReopened }: { onReopened: () => void }) {
  const client = useQueryClient();
  const history = useGradesHistory();
  const connections = useConnections();
  const { run, error } = useGradesSession();
  const nameOf = (id: string) => {
    const profile = connections.data?.find((v) => v.profile.id === id)?.profile;
    return profile ? connectionLabel(profile) : id;
  };

  const reopen = async (record: ReconciliationRecord) => {
    const outcome = await startReopen(client, record.id);
    if (outcome?.ok) onReopened();
  };
  const failed = error?.kind === 'reopen' ? history.data?.find((r) => r.id === error.recordId) : undefined;

  return (
    <Stack gap="md">
      <TabIntro>
        Every grade report matched on this computer, newest first: the file, when, with which connection and provider,
        how the rows came out and where they were exported. Reopen one to look at it again or export it once more:
        Crosswalk reads the file again and matches it with today’s mirror.
      </TabIntro>

      {run?.kind === 'reopen' && <ReconcileProgressPanel run={run} title="Reopening a reconciliation" />}
      {error?.kind === 'reopen' && (
        <div data-testid="grades-reopen-error">
          <ErrorAlert title={failed ? `Could not reopen ${failed.file_name}` : 'Could not reopen the reconciliation'} error={error} />
        </div>
      )}

      {history.isPending ? (
        <Skeleton height={160} />
      ) : history.isError ? (
        <ErrorAlert
          title="Could not read the history"
          error={history.error}
          onRetry={() => void history.refetch()}
          retrying={history.isFetching}
        />
      ) : history.data.length === 0 ? (
        <Stack align="center" gap={4} py="xl" data-testid="grades-history-empty">
          <IconHistory size={32} stroke={1.4} color="var(--mantine-color-dimmed)" />
          <Text c="dimmed" ta="center">
            No grade report has been matched on this computer yet.
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            Load one in the Reconcile tab: every match is kept here.
          </Text>
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={980}>
          <Table verticalSpacing="sm" highlightOnHover data-testid="grades-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Report</Table.Th>
                <Table.Th>Matched</Table.Th>
                <Table.Th>Connection and provider</Table.Th>
                <Table.Th>Rows</Table.Th>
                <Table.Th>Last export</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.map((record) => (
                <Table.Tr key={record.id} data-testid="grades-history-row" data-id={record.id}>
                  <Table.Td miw={200} maw={280}>
                    <Text size="sm" fw={500} style={{ overflowWrap: 'break-word' }}>
                      {record.file_name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {reportKindLabels[record.kind]} · {countOf(record.counts.rows, 'row')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatLocalTime(record.created_at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{nameOf(record.profile_id)}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {record.provider_id}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={300}>
                    <Counts record={record} />
                  </Table.Td>
                  <Table.Td maw={300}>
                    <ExportCell record={record} />
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconRefresh size={14} />}
                      onClick={() => void reopen(record)}
                      disabled={run !== null && run.recordId !== record.id}
                      loading={run?.recordId === record.id}
                      aria-label={`Reopen ${record.file_name}, matched ${formatLocalTime(record.created_at)}`}
                      data-testid="grades-reopen"
                    >
                      Reopen
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
