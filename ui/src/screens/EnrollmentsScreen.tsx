import {
  Alert,
  Badge,
  Button,
  Chip,
  Group,
  Loader,
  Progress,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconRefresh, IconSearch } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { Association, PollProgress, PollReport } from '../bindings';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { JobSchedule } from '../components/JobSchedule';
import { RelativeTime } from '../components/RelativeTime';
import { ScreenHeader } from '../components/ScreenHeader';
import { backend } from '../lib/backend';
import { badgeOf, countFor, FILTERS, filterLabels, offeringOf, studentOf, type Filter } from '../lib/enrollments';
import { countOf } from '../lib/format';
import { notifyError, notifyInfo, notifySuccess, notifyWarning } from '../lib/notify';
import { useConnections } from '../lib/queries';
import { newTaskId } from '../lib/taskId';
import { AssociationDetailDrawer } from './enrollments/AssociationDetailDrawer';
import { EndpointCheckModal } from './enrollments/EndpointCheckModal';
import { NewAssociationModal } from './enrollments/NewAssociationModal';
import { ReturnResultsModal } from './enrollments/ReturnResultsModal';
import { StudentTokenControl } from './enrollments/StudentTokenControl';

const enrollmentKeys = {
  all: ['enrollments'] as const,
  list: (connectionId: string, filter: Filter, text: string) => ['enrollments', connectionId, filter, text] as const,
  detail: (id: number) => ['enrollments', 'detail', id] as const,
};

function columns(open: (id: number) => void): ColumnDef<Association>[] {
  return [
    {
      id: 'student',
      header: 'Student',
      meta: { minWidth: 170, grow: 1.3 },
      cell: ({ row }) => (
        <Stack gap={0}>
          <Text size="sm">{studentOf(row.original)}</Text>
          {row.original.person_email && (
            <Text size="xs" c="dimmed">
              {row.original.person_email}
            </Text>
          )}
        </Stack>
      ),
    },
    { id: 'home', header: 'Home institution', meta: { minWidth: 140, grow: 0.8 }, cell: ({ row }) => row.original.home },
    { id: 'offering', header: 'Offering', meta: { minWidth: 170, grow: 1.3 }, cell: ({ row }) => offeringOf(row.original) },
    {
      id: 'state',
      header: 'Home decision',
      meta: { minWidth: 130, grow: 0.7 },
      cell: ({ row }) => {
        const b = badgeOf(row.original);
        return (
          <Badge color={b.color} variant="light" data-testid="association-state">
            {b.label}
          </Badge>
        );
      },
    },
    { id: 'remote', header: 'Our side', meta: { minWidth: 100, grow: 0.5 }, cell: ({ row }) => row.original.remote_state ?? '—' },
    {
      id: 'age',
      header: 'Since',
      meta: { minWidth: 110, grow: 0.6 },
      cell: ({ row }) => <RelativeTime value={row.original.first_seen} />,
    },
    {
      id: 'checked',
      header: 'Last checked',
      meta: { minWidth: 110, grow: 0.6 },
      cell: ({ row }) => (row.original.last_checked ? <RelativeTime value={row.original.last_checked} /> : 'never'),
    },
    {
      id: 'open',
      header: '',
      meta: { minWidth: 90, grow: 0.3 },
      cell: ({ row }) => (
        <Button size="xs" variant="default" data-testid="association-open" onClick={() => open(row.original.id)}>
          Details
        </Button>
      ),
    },
  ];
}

function PollSummary({ report }: { report: PollReport }) {
  const failed = report.failed.length;
  return (
    <Alert
      data-testid="poll-summary"
      color={failed > 0 || report.cancelled ? 'orange' : 'teal'}
      title={
        report.cancelled
          ? `Stopped: ${countOf(report.checked, 'association')} checked; what was read is kept`
          : `${countOf(report.checked, 'association')} checked, ${countOf(report.changes.length, 'change')}`
      }
    >
      <Stack gap={4}>
        {report.changes.map((c) => (
          <Text size="sm" key={`${c.id}-${c.field}-${c.to_value ?? ''}`}>
            {c.student || 'A student'} ({c.offering || 'offering'}): {c.field} {c.from_value ?? '—'} → {c.to_value ?? '—'}
          </Text>
        ))}
        {failed > 0 && (
          <Text size="sm" fw={600}>
            {countOf(failed, 'association')} could not be checked and keep what Crosswalk knew:
          </Text>
        )}
        {report.failed.slice(0, 10).map((f) => (
          <Text size="sm" key={f.id}>
            {f.association_id}: {f.reason}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function Schedule({ connectionId }: { connectionId: string }) {
  return (
    <JobSchedule
      kind="enrollments_poll"
      connectionId={connectionId}
      unit="minutes"
      min={5}
      max={10080}
      fallback={15}
      label="Check pending requests automatically, every"
      what="Pending and queued requests are checked on this schedule."
      off="Off: pending requests are only checked when you press “Check pending now”."
      testId="enrollments-schedule"
    />
  );
}

export default function EnrollmentsScreen() {
  const client = useQueryClient();
  const connections = useConnections();
  const ooapi = (connections.data ?? []).filter((c) => c.profile.settings.kind === 'ooapi');
  const [picked, setPicked] = useState<string | null>(null);
  const connectionId = picked ?? ooapi[0]?.profile.id ?? null;
  const connection = ooapi.find((c) => c.profile.id === connectionId);
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), 250);
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [returning, setReturning] = useState(false);
  const [checking, setChecking] = useState(false);
  const [progress, setProgress] = useState<PollProgress | null>(null);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [report, setReport] = useState<PollReport | null>(null);

  const list = useQuery({
    queryKey: enrollmentKeys.list(connectionId ?? '', filter, text),
    queryFn: () => backend.enrollmentsList({ profile_id: connectionId ?? undefined, filter: filter === 'all' ? undefined : filter, text }),
    enabled: connectionId !== null,
    refetchInterval: 30_000,
  });

  const poll = useMutation({
    mutationFn: async () => {
      const id = newTaskId();
      setTaskId(id);
      setReport(null);
      setProgress(null);
      return backend.enrollmentsPoll(connectionId ?? '', id, setProgress);
    },
    onSuccess: (r) => {
      setReport(r);
      if (r.failed.length > 0) notifyWarning('Some requests could not be checked', `${countOf(r.failed.length, 'association')}: see the summary.`);
      else notifySuccess('Checked', `${countOf(r.checked, 'association')} checked, ${countOf(r.changes.length, 'change')}.`);
    },
    onError: (e) => notifyError('The check failed', e),
    onSettled: () => {
      setTaskId(null);
      void client.invalidateQueries({ queryKey: enrollmentKeys.all });
    },
  });

  const importIds = useMutation({
    mutationFn: () => backend.enrollmentsImport(connectionId ?? ''),
    onSuccess: (r) => {
      if (r === null) return notifyInfo('Nothing imported', 'No file was chosen.');
      notifySuccess('Imported', `${countOf(r.added, 'association')} added, ${r.already_known} already known. Their state is read at the next check.`);
      void client.invalidateQueries({ queryKey: enrollmentKeys.all });
    },
    onError: (e) => notifyError('The ids could not be imported', e),
  });

  const exportLedger = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') => backend.enrollmentsExport({ profile_id: connectionId ?? undefined }, format),
    onSuccess: (path) => {
      if (path === null) return notifyInfo('Nothing exported', 'No file was chosen.');
      notifySuccess('Exported', `The ledger was written to ${path}.`);
    },
    onError: (e) => notifyError('The ledger could not be exported', e),
  });

  const cols = useMemo(() => columns(setOpenId), [setOpenId]);
  const transport = connection?.profile.settings.kind === 'ooapi' ? (connection.profile.settings.transport ?? 'direct') : 'direct';

  return (
    <>
      <ScreenHeader title="Enrollments">
        Students of partner institutions who enrol in our courses (OOAPI, e.g. eduXchange / EuroTeQ). We are the host: we ask
        the student’s home institution to approve, it decides (its <b>state</b>), and we report our own side (our{' '}
        <b>remoteState</b>). Crosswalk keeps every request, checks the undecided ones, flags the ones stuck too long, and
        shows what changed and when.
      </ScreenHeader>
      {connections.isError && <ErrorAlert title="Could not load the connections" error={connections.error} onRetry={() => void connections.refetch()} />}
      {connections.isSuccess && ooapi.length === 0 && (
        <Alert data-testid="enrollments-no-connection" color="blue" title="No OOAPI connection yet">
          Add one in Connections (kind “OOAPI partner”): the partner’s persons and associations URLs and either its token
          service or your enrollment receiver. Then come back here.
        </Alert>
      )}
      {connectionId !== null && (
        <Stack gap="md">
          <Group justify="space-between" align="end">
            <Group align="end">
              <Select
                data-testid="enrollments-connection"
                label="Home institution connection"
                data={ooapi.map((c) => ({ value: c.profile.id, label: c.profile.name }))}
                value={connectionId}
                onChange={(v) => v && setPicked(v)}
                allowDeselect={false}
                w={280}
              />
              <Stack gap={2} maw={340}>
                <Text size="xs" c="dimmed" data-testid="enrollments-transport">
                  {transport === 'receiver'
                    ? 'Reached through our enrollment receiver (its SIS API), which holds the students’ tokens.'
                    : 'Reached directly: the home institution’s OOAPI endpoints, with a token from its token service.'}
                </Text>
                {transport !== 'receiver' && <StudentTokenControl connectionId={connectionId} />}
              </Stack>
            </Group>
            <Schedule connectionId={connectionId} />
          </Group>
          <Group gap="xs">
            <Button
              leftSection={<IconRefresh size={16} />}
              data-testid="enrollments-poll"
              loading={poll.isPending}
              onClick={() => poll.mutate()}
            >
              Check pending now
            </Button>
            {taskId && (
              <Button variant="default" data-testid="enrollments-poll-cancel" onClick={() => void backend.cancelTask(taskId)}>
                Cancel
              </Button>
            )}
            <Button variant="default" data-testid="enrollments-new" onClick={() => setCreating(true)}>
              New association…
            </Button>
            <Button variant="default" data-testid="enrollments-results" onClick={() => setReturning(true)}>
              Return results…
            </Button>
            <Button variant="default" data-testid="enrollments-endpoint-check" onClick={() => setChecking(true)}>
              Check our endpoints…
            </Button>
            <Button variant="default" data-testid="enrollments-import" loading={importIds.isPending} onClick={() => importIds.mutate()}>
              Import ids…
            </Button>
            <Button variant="default" data-testid="enrollments-export" onClick={() => exportLedger.mutate('csv')}>
              Export CSV…
            </Button>
            <Button variant="default" onClick={() => exportLedger.mutate('xlsx')}>
              Export Excel…
            </Button>
          </Group>
          {poll.isPending && progress && (
            <Stack gap={2} data-testid="poll-progress">
              <Progress value={progress.total === 0 ? 100 : (100 * progress.done) / progress.total} />
              <Text size="xs" c="dimmed">
                {progress.done} of {progress.total} checked, {progress.changed} changed, {progress.failed} could not be checked
              </Text>
            </Stack>
          )}
          {report && <PollSummary report={report} />}
          <Group justify="space-between">
            <Chip.Group multiple={false} value={filter} onChange={(v) => setFilter(v as Filter)}>
              <Group gap={6}>
                {FILTERS.map((f) => (
                  <Chip
                    key={f}
                    value={f}
                    size="sm"
                    wrapperProps={{ 'data-testid': `chip-${f}`, 'data-count': list.data ? countFor(list.data.counts, f) : 0 }}
                  >
                    {filterLabels[f]} {list.data ? countFor(list.data.counts, f) : ''}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            <TextInput
              leftSection={<IconSearch size={14} />}
              placeholder="Student, email, offering or id"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              data-testid="enrollments-search"
              w={260}
            />
          </Group>
          {list.isError && <ErrorAlert title="Could not read the ledger" error={list.error} onRetry={() => void list.refetch()} />}
          {list.isPending && <Loader size="sm" />}
          {list.data && (
            <DataTable
              data={list.data.rows}
              columns={cols}
              label="Associations"
              getRowId={(a) => String(a.id)}
              rowTestId="association-row"
              rowAttributes={(a) => ({ 'data-state': a.stuck ? 'stuck' : (a.state ?? 'unread'), 'data-status': a.status })}
              height={460}
              refreshing={list.isFetching}
              empty={
                filter === 'all' && text === ''
                  ? 'No association yet: create one (New association…) or import the ids your SIS created (Import ids…).'
                  : 'No association matches.'
              }
            />
          )}
        </Stack>
      )}
      <AssociationDetailDrawer id={openId} onClose={() => setOpenId(null)} />
      {returning && <ReturnResultsModal opened={returning} onClose={() => setReturning(false)} />}
      {checking && connectionId !== null && (
        <EndpointCheckModal opened={checking} connectionId={connectionId} onClose={() => setChecking(false)} />
      )}
      {connectionId !== null && <NewAssociationModal opened={creating} connectionId={connectionId} onClose={() => setCreating(false)} />}
    </>
  );
}
