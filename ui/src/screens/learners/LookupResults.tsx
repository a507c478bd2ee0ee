import { Alert, Badge, Button, Group, List, Loader, Paper, Progress, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCloudOff, IconDownload, IconPlayerStop } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { LookupRow } from '../../bindings';
import { CopyAction, CopyTextButton } from '../../components/CopyAction';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { ExportFormat } from '../../lib/backend';
import { countOf, formatCount } from '../../lib/format';
import {
  idsAsText,
  lookupPercent,
  lookupPhase,
  lookupProgressText,
  lookupSummary,
  matchedByLabels,
  mergeLookup,
  mirrorAge,
  notCheckedIds,
  offlineNotice,
  rowAge,
  rowAsText,
  sourceLabels,
  toExportRows,
} from '../../lib/lookup';
import type { LookupRunState } from '../../lib/lookupRun';
import { useExportLookup } from '../../lib/mutations';
import { notifyError, notifyInfo, notifySuccess } from '../../lib/notify';
import { useMirrorStatus } from '../../lib/queries';
import { useNow } from '../../lib/useNow';

function CopyCell({ value, what }: { value: string; what: string }) {
  return (
    <Group gap={4} wrap="nowrap" justify="space-between">
      <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
      <CopyAction value={value} label={`Copy ${what}`} testId="copy-cell" />
    </Group>
  );
}

function columnsFor(now: Date): ColumnDef<LookupRow>[] {
  return [
    {
      accessorKey: 'username',
      header: 'Username',
      cell: ({ row }) => <CopyCell value={row.original.username} what="username" />,
      meta: { minWidth: 170, grow: 1.2 },
    },
    {
      accessorKey: 'remote_id',
      header: 'Remote ID',
      cell: ({ row }) => <CopyCell value={row.original.remote_id} what="remote ID" />,
      meta: { minWidth: 170, grow: 1.2 },
    },
    { accessorKey: 'provider_id', header: 'Provider', meta: { minWidth: 150 } },
    {
      accessorKey: 'matched_by',
      header: 'Matched by',
      cell: ({ row }) => matchedByLabels[row.original.matched_by],
      meta: { minWidth: 124, grow: 0.6 },
    },
    {
      accessorKey: 'source',
      header: 'Source',
      cell: ({ row }) => (
        <Tooltip
          label={
            row.original.source === 'live'
              ? 'Straight from Open edX'
              : 'From the local mirror (a copy as of its last sync)'
          }
        >
          <Badge
            variant="light"
            color={row.original.source === 'live' ? 'teal' : 'gray'}
            data-testid="source-badge"
            data-source={row.original.source}
          >
            {sourceLabels[row.original.source]}
          </Badge>
        </Tooltip>
      ),
      meta: { minWidth: 90, grow: 0.4 },
    },
    {
      id: 'age',
      header: 'Age',
      cell: ({ row }) => (
        <Text size="sm" c="dimmed" data-testid="row-age">
          {rowAge(row.original, now)}
        </Text>
      ),
      meta: { minWidth: 140, grow: 0.7 },
    },
    {
      id: 'copy',
      header: () => <span aria-label="Copy row" />,
      cell: ({ row }) => <CopyAction value={rowAsText(row.original)} label="Copy the whole row" testId="copy-row" />,
      meta: { minWidth: 48, grow: 0 },
    },
  ];
}

interface LookupResultsProps {
  run: LookupRunState;
  onCancel: () => void;
}

export function LookupResults({ run, onCancel }: LookupResultsProps) {
  const now = useNow();
  const { input } = run;
  const merged = useMemo(
    () => mergeLookup(input.ids, input.providers, run.cache, run.live),
    [input.ids, input.providers, run.cache, run.live],
  );
  const columns = useMemo(() => columnsFor(now), [now]);
  const statuses = useMirrorStatus(input.connectionId);
  const exportLookup = useExportLookup();

  const phase = lookupPhase(run.live, merged);
  const result = run.live?.kind === 'result' ? run.live.result : null;
  const failedEverywhere = run.live?.kind === 'failed' && run.cacheError !== null;
  const showRows = !run.cachePending && !failedEverywhere;

  const offlineMessage =
    run.live?.kind === 'failed' ? run.live.message : merged.offline && result ? result.errors.join(' ') : null;

  const doExport = (format: ExportFormat) => {
    exportLookup.mutate(
      {
        rows: toExportRows(merged.rows),
        notFound: merged.notFound,
        notChecked: merged.notChecked.map((g) => ({ provider_id: g.providerId ?? 'every provider', reason: g.reason, ids: g.ids })),
        format,
      },
      {
        onSuccess: (path) => {
          if (path) notifySuccess('Results exported', `${countOf(merged.rows.length, 'row')} written to ${path}`);
          else notifyInfo('Nothing exported', 'You closed the save dialog, so no file was written.');
        },
        onError: (error) => notifyError('Could not export the results', error),
      },
    );
  };

  return (
    <Stack gap="sm" data-testid="lookup-results">
      {run.livePending && run.bulk && (
        <Paper withBorder p="sm" radius="md" data-testid="lookup-progress">
          <Group justify="space-between" wrap="nowrap" mb={6}>
            <Text size="sm" fw={500} data-testid="lookup-progress-text">
              {lookupProgressText(run.progress, input.ids.length, input.providers.length)}
            </Text>
            <Button
              size="xs"
              variant="default"
              color="red"
              leftSection={<IconPlayerStop size={14} />}
              onClick={onCancel}
              loading={run.cancelling}
              data-testid="lookup-cancel"
            >
              Cancel
            </Button>
          </Group>
          <Progress value={lookupPercent(run.progress)} animated aria-label="Lookup progress" />
          <Text size="xs" c="dimmed" mt={6}>
            Cancelling keeps every row that has arrived.
          </Text>
        </Paper>
      )}
      {run.livePending && !run.bulk && (
        <Group gap="xs" data-testid="lookup-live-pending">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Asking Open edX for the live answer…
          </Text>
          <Button size="compact-xs" variant="subtle" color="gray" onClick={onCancel} loading={run.cancelling} data-testid="lookup-cancel">
            Cancel
          </Button>
        </Group>
      )}
      {run.cachePending && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Looking in the local mirror…
          </Text>
        </Group>
      )}

      {failedEverywhere && run.live?.kind === 'failed' && (
        <ErrorAlert title="Could not look these learners up" error={{ code: run.live.code, message: run.live.message }} />
      )}
      {!failedEverywhere && offlineMessage !== null && (
        <Alert color="yellow" variant="light" icon={<IconCloudOff size={20} />} title="No live answer" data-testid="lookup-offline">
          {offlineNotice(mirrorAge(statuses.data, input.providers, now), offlineMessage)}
        </Alert>
      )}
      {result?.cancelled && (
        <Alert color="blue" variant="light" title="Lookup cancelled" data-testid="lookup-cancelled">
          You cancelled the lookup. The rows that had arrived from Open edX are kept below, with the local
          mirror&apos;s rows for the identifiers Open edX was not asked about yet. Look up again to finish.
        </Alert>
      )}
      {result && result.errors.length > 0 && !merged.offline && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={20} />}
          title="Some requests to Open edX failed"
          data-testid="lookup-errors"
        >
          <Text size="sm">
            The other requests worked and their rows are shown. For the providers below, rows from the local mirror
            fill in where Open edX did not answer.
          </Text>
          <List size="sm" mt={4}>
            {result.errors.map((error) => (
              <List.Item key={error}>{error}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {run.cacheError && run.live?.kind === 'result' && (
        <Text size="xs" c="dimmed" data-testid="lookup-cache-error">
          The local mirror could not be read: {run.cacheError.message}
        </Text>
      )}

      {showRows && (
        <>
          <Group justify="space-between" align="center">
            <Text fw={600} data-testid="lookup-summary">
              {lookupSummary(phase, {
                ids: input.ids.length,
                rows: merged.rows.length,
                notFound: merged.notFound.length,
                notChecked: notCheckedIds(merged.notChecked).length,
                requests: result?.requests ?? 0,
              })}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                leftSection={<IconDownload size={14} />}
                disabled={merged.rows.length === 0}
                onClick={() => doExport('csv')}
                loading={exportLookup.isPending && exportLookup.variables?.format === 'csv'}
                data-testid="lookup-export-csv"
              >
                Export CSV
              </Button>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconDownload size={14} />}
                disabled={merged.rows.length === 0}
                onClick={() => doExport('xlsx')}
                loading={exportLookup.isPending && exportLookup.variables?.format === 'xlsx'}
                data-testid="lookup-export-xlsx"
              >
                Export Excel
              </Button>
            </Group>
          </Group>
          <DataTable
            data={merged.rows}
            columns={columns}
            label="Lookup results"
            getRowId={(r) => `${r.provider_id}\u0000${r.username}\u0000${r.remote_id}`}
            rowTestId="lookup-row"
            rowAttributes={(r) => ({ 'data-source': r.source, 'data-username': r.username })}
            height={merged.rows.length > 8 ? 'max(320px, calc(100vh - 560px))' : 320}
            estimateRowHeight={41}
            empty={
              run.livePending
                ? 'Nothing in the local mirror for these identifiers yet; waiting for Open edX…'
                : 'No learner matches these identifiers.'
            }
          />
          {merged.notChecked.length > 0 && !run.livePending && (
            <Paper withBorder p="sm" radius="md" data-testid="not-checked" style={{ borderColor: 'var(--mantine-color-yellow-6)' }}>
              <Group justify="space-between" mb="xs">
                <Text fw={600} data-testid="not-checked-title">
                  Not checked ({formatCount(notCheckedIds(merged.notChecked).length)})
                </Text>
                <CopyTextButton value={idsAsText(notCheckedIds(merged.notChecked))} label="Copy all" testId="not-checked-copy" />
              </Group>
              <Text size="sm" c="dimmed" mb="xs">
                Open edX could not be asked about these identifiers, so Crosswalk cannot say whether they are linked. Fix
                what the reason says, then look them up again.
              </Text>
              <Stack gap="xs">
                {merged.notChecked.map((g) => (
                  <div key={`${g.providerId ?? ''}\u0000${g.reason}`} data-testid="not-checked-group" data-provider={g.providerId ?? ''}>
                    <Text size="sm" fw={500}>
                      {g.providerId ? `On ${g.providerId}: ${g.reason}` : g.reason}
                    </Text>
                    <ScrollArea.Autosize mah={120}>
                      <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap' }} data-testid="not-checked-list">
                        {g.ids.join(', ')}
                      </Text>
                    </ScrollArea.Autosize>
                  </div>
                ))}
              </Stack>
            </Paper>
          )}
          {merged.notFound.length > 0 && !run.livePending && (
            <Paper withBorder p="sm" radius="md" data-testid="not-found">
              <Group justify="space-between" mb="xs">
                <Text fw={600} data-testid="not-found-title">
                  Not found ({formatCount(merged.notFound.length)})
                </Text>
                <CopyTextButton value={idsAsText(merged.notFound)} label="Copy all" testId="not-found-copy" />
              </Group>
              <Text size="sm" c="dimmed" mb="xs">
                {phase === 'cancelled'
                  ? 'Open edX answered for these identifiers and no provider links them.'
                  : 'Open edX answered, and no provider you looked in knows these identifiers. Check the spelling, or try the mode Auto.'}
              </Text>
              <ScrollArea.Autosize mah={160}>
                <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap' }} data-testid="not-found-list">
                  {merged.notFound.join(', ')}
                </Text>
              </ScrollArea.Autosize>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
