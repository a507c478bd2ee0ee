import {
  Alert,
  Button,
  CloseButton,
  Group,
  Paper,
  Progress,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlayerStop, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import type { Mapping, MirrorStatus } from '../../bindings';
import { DataTable } from '../../components/DataTable';
import { JobSchedule } from '../../components/JobSchedule';
import { jobsKey, useJob } from '../../lib/jobs';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { OpenEdxProfile } from '../../lib/connections';
import { countOf, formatAgo, formatLocalTime } from '../../lib/format';
import { backend } from '../../lib/backend';
import { notifyError } from '../../lib/notify';
import { MIRROR_SEARCH_MIN, useMirrorSearch, useMirrorStatus } from '../../lib/queries';
import {
  cancelSync,
  dismissOutcome,
  startSync,
  syncKey,
  syncPercent,
  syncProgressText,
  syncRecordSummary,
  useSyncs,
  type RunningSync,
  type SyncOutcome,
} from '../../lib/syncs';
import { useNow } from '../../lib/useNow';
import { ConnectionPicker } from './ConnectionPicker';
import { NoWatchedProvider } from './NoWatchedProvider';
import { SyncHistory } from './SyncHistory';
import { TabIntro } from './TabIntro';

interface MirrorTabProps {
  connections: OpenEdxProfile[];
  connection: OpenEdxProfile;
  onConnectionChange: (id: string) => void;
}

export function MirrorTab({ connections, connection, onConnectionChange }: MirrorTabProps) {
  const status = useMirrorStatus(connection.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const providers = status.data?.map((s) => s.provider_id) ?? connection.settings.providers;
  const provider = chosen !== null && providers.includes(chosen) ? chosen : (providers[0] ?? null);

  return (
    <Stack gap="md">
      <TabIntro>
        The local mirror is a copy, on this computer, of who is linked to each provider a connection watches.
        It makes lookups instant and lets them work offline. Syncing copies the provider again from Open edX;
        a sync that fails or is cancelled leaves the previous copy untouched.
      </TabIntro>
      <Group align="flex-end" gap="lg">
        <ConnectionPicker connections={connections} value={connection} onChange={onConnectionChange} testId="mirror-connection" />
        <ScheduleSwitch connectionId={connection.id} />
      </Group>

      {connection.settings.providers.length === 0 ? (
        <NoWatchedProvider connection={connection} />
      ) : status.isPending ? (
        <Skeleton height={120} />
      ) : status.isError ? (
        <ErrorAlert
          title="Could not read the local mirrors"
          error={status.error}
          onRetry={() => void status.refetch()}
          retrying={status.isFetching}
        />
      ) : (
        <Stack gap="sm">
          {status.data.map((s) => (
            <MirrorProvider key={s.provider_id} connectionId={connection.id} status={s} />
          ))}
        </Stack>
      )}

      {provider && (
        <>
          <Group align="flex-end" gap="md" mt="md">
            <Title order={4}>Search and history</Title>
            <Select
              aria-label="Provider to search and show the history of"
              data={providers}
              value={provider}
              onChange={(value) => value && setChosen(value)}
              allowDeselect={false}
              w={280}
              data-testid="mirror-provider-select"
            />
          </Group>
          <MirrorSearch connectionId={connection.id} providerId={provider} />
          <SyncHistory connectionId={connection.id} providerId={provider} />
        </>
      )}
    </Stack>
  );
}

/** Where versions before the core-owned scheduler kept this desk's schedules. */
const LEGACY_KEY = 'crosswalk.mirrorSchedules';

/** The periodic sync of a connection's watched providers, a schedule the core keeps. */
function ScheduleSwitch({ connectionId }: { connectionId: string }) {
  useLegacySchedule(connectionId);
  return (
    <JobSchedule
      kind="mirror_sync"
      connectionId={connectionId}
      unit="hours"
      min={1}
      max={168}
      fallback={6}
      label="Sync every"
      what="Every watched provider of this connection last synced longer ago than that is synced."
      off="Off: the mirror is synced only when you press Sync."
      testId="mirror-schedule"
    />
  );
}

/** A schedule an older version kept in this browser moves to the core once. */
function useLegacySchedule(connectionId: string) {
  const client = useQueryClient();
  const { job, loaded } = useJob('mirror_sync', connectionId);
  const missing = loaded && job === undefined;
  useEffect(() => {
    if (!missing) return;
    try {
      const legacy = JSON.parse(window.localStorage.getItem(LEGACY_KEY) ?? '{}') as Record<string, { enabled?: boolean; hours?: number }>;
      const mine = legacy[connectionId];
      if (mine === undefined) return;
      delete legacy[connectionId];
      window.localStorage.setItem(LEGACY_KEY, JSON.stringify(legacy));
      if (mine.enabled === true) {
        const hours = Math.min(168, Math.max(1, mine.hours ?? 6));
        void backend
          .jobsSet('mirror_sync', connectionId, hours * 60, true)
          .then(() => client.invalidateQueries({ queryKey: jobsKey }))
          .catch((e: unknown) => notifyError('The saved sync schedule could not be moved', e));
      }
    } catch {
      window.localStorage.removeItem(LEGACY_KEY);
    }
  }, [missing, connectionId, client]);
}

function MirrorProvider({ connectionId, status }: { connectionId: string; status: MirrorStatus }) {
  const client = useQueryClient();
  const syncs = useSyncs();
  const now = useNow();
  const key = syncKey(connectionId, status.provider_id);
  const running = syncs.running[key];
  const outcome = syncs.outcomes[key];
  const last = status.last_sync;

  return (
    <Paper withBorder p="sm" radius="md" data-testid="mirror-provider" data-provider={status.provider_id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text fw={600} ff="monospace">
            {status.provider_id}
          </Text>
          <Text size="sm" c="dimmed" data-testid="mirror-size">
            {countOf(status.size, 'learner')} in the mirror ·{' '}
            {last?.finished_at ? (
              <Tooltip label={formatLocalTime(last.finished_at)}>
                <span data-testid="mirror-last-sync">last synced {formatAgo(last.finished_at, now)}</span>
              </Tooltip>
            ) : (
              <span data-testid="mirror-last-sync">never synced: look-ups use Open edX only</span>
            )}
          </Text>
        </div>
        {!running && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconRefresh size={14} />}
            onClick={() => void startSync(client, connectionId, status.provider_id)}
            data-testid="sync-now"
          >
            Sync now
          </Button>
        )}
      </Group>
      {running && <SyncRunning run={running} />}
      {outcome && !running && (
        <SyncOutcomeNote outcome={outcome} onClose={() => dismissOutcome(connectionId, status.provider_id)} />
      )}
    </Paper>
  );
}

function SyncRunning({ run }: { run: RunningSync }) {
  return (
    <Stack gap={4} mt="xs" data-testid="sync-progress">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" data-testid="sync-progress-text">
          {run.automatic ? 'Automatic sync: ' : 'Syncing: '}
          {syncProgressText(run.progress)}
        </Text>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconPlayerStop size={14} />}
          onClick={() => void cancelSync(run.connectionId, run.providerId)}
          loading={run.cancelling}
          data-testid="sync-cancel"
        >
          Cancel
        </Button>
      </Group>
      <Progress value={syncPercent(run.progress)} animated aria-label={`Sync progress of ${run.providerId}`} />
      <Text size="xs" c="dimmed">
        Lookups keep using the previous copy until the sync has finished.
      </Text>
    </Stack>
  );
}

function SyncOutcomeNote({ outcome, onClose }: { outcome: SyncOutcome; onClose: () => void }) {
  const close = <CloseButton size="sm" aria-label="Hide this message" onClick={onClose} />;
  if (outcome.kind === 'done') {
    return (
      <Alert mt="xs" color="teal" variant="light" data-testid="sync-outcome" data-kind="done" title="Synced" withCloseButton={false}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text size="sm">
            {syncRecordSummary(outcome.record)}
            {outcome.record.note && ` ${outcome.record.note}`}
          </Text>
          {close}
        </Group>
      </Alert>
    );
  }
  return (
    <Alert
      mt="xs"
      color={outcome.kind === 'cancelled' ? 'gray' : 'red'}
      variant="light"
      data-testid="sync-outcome"
      data-kind={outcome.kind}
      title={outcome.kind === 'cancelled' ? 'Sync cancelled' : 'Sync failed'}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">
          {outcome.message} The previous copy of the mirror is kept as it was.
        </Text>
        {close}
      </Group>
    </Alert>
  );
}

const searchColumns: ColumnDef<Mapping>[] = [
  { accessorKey: 'username', header: 'Username', meta: { minWidth: 180 } },
  { accessorKey: 'remote_id', header: 'Remote ID', meta: { minWidth: 220, grow: 1.4 } },
];

function MirrorSearch({ connectionId, providerId }: { connectionId: string; providerId: string }) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 300);
  const search = useMirrorSearch(connectionId, providerId, debounced);
  const short = [...debounced.trim()].length < MIRROR_SEARCH_MIN;

  return (
    <Stack gap="xs">
      <TextInput
        label={`Search the mirror of ${providerId}`}
        description="Part of a username or remote ID, at least 3 characters. Searches this computer's copy only, so it works offline."
        leftSection={<IconSearch size={16} />}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        maw={520}
        data-testid="mirror-search"
      />
      {short ? null : search.isPending ? (
        <Skeleton height={80} />
      ) : search.isError ? (
        <ErrorAlert title="Could not search the mirror" error={search.error} onRetry={() => void search.refetch()} />
      ) : (
        <>
          <Text size="sm" c="dimmed" data-testid="mirror-search-count">
            {search.data.length >= 500
              ? 'The first 500 matches: type more to narrow them down.'
              : `${countOf(search.data.length, 'match', 'matches')} in the mirror`}
          </Text>
          {search.data.length > 0 && (
            <DataTable
              data={search.data}
              columns={searchColumns}
              label={`Mirror of ${providerId}: matches for ${debounced.trim()}`}
              getRowId={(m, i) => `${m.username}\u0000${i}`}
              rowTestId="mirror-search-row"
              height={Math.min(320, 40 + search.data.length * 37)}
              refreshing={search.isPlaceholderData}
            />
          )}
        </>
      )}
    </Stack>
  );
}
