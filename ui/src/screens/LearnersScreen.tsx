import {
  Alert,
  Anchor,
  Group,
  Loader,
  Pagination,
  Select,
  Skeleton,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconInfoCircle, IconPlugConnected } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Mapping } from '../bindings';
import { DataTable } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { RelativeTime } from '../components/RelativeTime';
import { ScreenHeader } from '../components/ScreenHeader';
import { openEdxConnections, type OpenEdxProfile } from '../lib/connections';
import { countOf, formatClockTime, formatLocalTime, pageSummary } from '../lib/format';
import { useConnections, useMappings } from '../lib/queries';

const MAPPINGS_PAGE_SIZE = 100;

const columns: ColumnDef<Mapping>[] = [
  { accessorKey: 'username', header: 'Username (Open edX)', meta: { minWidth: 180 } },
  { accessorKey: 'remote_id', header: 'Remote ID (identity provider)', meta: { minWidth: 220, grow: 1.4 } },
];

export default function LearnersScreen() {
  return (
    <>
      <ScreenHeader title="Learners">
        Open edX grade exports name learners only by their Open edX username. This screen shows who each
        of those usernames is in your university&apos;s identity provider (the &quot;remote ID&quot;, for
        example a student number), as Open edX records it for each single sign-on provider. Pick a
        connection and a provider; the list is fetched live from Open edX every time you open a page.
      </ScreenHeader>
      <LearnerBrowser />
      <Alert
        mt="lg"
        variant="light"
        color="blue"
        icon={<IconInfoCircle size={20} />}
        title="Coming in a later version"
        data-testid="coming-later"
      >
        Looking up many learners at once, searching by username or remote ID, an offline copy for when
        Open edX cannot be reached, and bulk export are not in this version. For now you can page through
        one provider&apos;s list at a time.
      </Alert>
    </>
  );
}

function LearnerBrowser() {
  const connections = useConnections();
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [providerId, setProviderId] = useState<string | null>(null);
  const [page, setPage] = useState(1);

  const openedx = openEdxConnections(connections.data ?? []);
  const connection = openedx.find((c) => c.id === connectionId) ?? openedx[0] ?? null;
  const providers = connection?.settings.providers ?? [];
  const provider = providerId !== null && providers.includes(providerId) ? providerId : (providers[0] ?? null);

  const args =
    connection && provider
      ? { connectionId: connection.id, providerId: provider, page, pageSize: MAPPINGS_PAGE_SIZE }
      : null;
  const mappings = useMappings(args);

  if (connections.isPending) {
    return <Skeleton height={36} width={520} radius="sm" data-testid="connections-loading" />;
  }
  if (connections.isError) {
    return (
      <ErrorAlert
        title="Could not list your connections"
        error={connections.error}
        onRetry={() => void connections.refetch()}
        retrying={connections.isFetching}
      />
    );
  }
  if (!connection) return <NoOpenEdxConnection />;

  return (
    <Stack gap="md">
      <Group align="flex-end" gap="md">
        <Select
          label="Connection"
          description="The Open edX site to ask"
          data={openedx.map((c) => ({ value: c.id, label: connectionLabel(c) }))}
          value={connection.id}
          onChange={(value) => {
            if (value) {
              setConnectionId(value);
              setProviderId(null);
              setPage(1);
            }
          }}
          allowDeselect={false}
          w={300}
          data-testid="connection-select"
        />
        <Select
          label="Identity provider"
          description="The single sign-on provider whose learners to list"
          data={providers}
          value={provider}
          placeholder={providers.length === 0 ? 'None watched' : undefined}
          disabled={providers.length === 0}
          onChange={(value) => {
            if (value) {
              setProviderId(value);
              setPage(1);
            }
          }}
          allowDeselect={false}
          w={300}
          data-testid="provider-select"
        />
      </Group>

      {!provider ? (
        <Alert color="yellow" variant="light" title="This connection watches no identity provider">
          Crosswalk only lists learners for the providers a connection is set up to watch, and{' '}
          {connection.name} has none.{' '}
          {connection.demo ? (
            'Demo connections cannot be changed.'
          ) : (
            <>
              Add the providers to watch by editing it in{' '}
              <Anchor component={Link} to="/connections" inherit>
                Connections
              </Anchor>
              .
            </>
          )}
        </Alert>
      ) : mappings.isPending ? (
        <Stack gap="xs" data-testid="mappings-loading">
          <Skeleton height={20} width={360} />
          <Skeleton height={320} />
        </Stack>
      ) : mappings.isError ? (
        <ErrorAlert
          title={`Could not fetch the learners linked to ${provider}`}
          error={mappings.error}
          onRetry={() => void mappings.refetch()}
          retrying={mappings.isFetching}
        />
      ) : (
        <>
          <Group justify="space-between" align="baseline" gap="xs">
            <Text fw={600} data-testid="mapping-count">
              {countOf(mappings.data.count, 'learner')} linked to {mappings.data.provider_id}
            </Text>
            <Group gap="xs">
              {mappings.isFetching && <Loader size="xs" aria-label="Fetching" />}
              <Tooltip label={formatLocalTime(mappings.data.fetched_at)}>
                <Text size="sm" c="dimmed" data-testid="fetched-at">
                  fetched live at {formatClockTime(mappings.data.fetched_at)} (
                  <RelativeTime value={mappings.data.fetched_at} />)
                </Text>
              </Tooltip>
            </Group>
          </Group>
          <DataTable
            data={mappings.data.results}
            columns={columns}
            label={`Learners linked to ${mappings.data.provider_id}, page ${mappings.data.page}`}
            getRowId={(m, i) => `${m.username}\u0000${i}`}
            rowTestId="mapping-row"
            height="calc(100vh - 420px)"
            refreshing={mappings.isPlaceholderData}
            scrollResetKey={`${connection.id}/${provider}/${mappings.data.page}`}
            empty={`No learners are linked to ${mappings.data.provider_id} yet.`}
          />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="page-summary">
              {pageSummary(mappings.data, 'learners')}
            </Text>
            {mappings.data.num_pages > 1 && (
              <Pagination
                total={mappings.data.num_pages}
                value={page}
                onChange={setPage}
                siblings={1}
                boundaries={1}
                getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
                data-testid="mapping-pagination"
              />
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}

function connectionLabel(c: OpenEdxProfile): string {
  return c.demo ? `${c.name} (demo)` : c.name;
}

function NoOpenEdxConnection() {
  return (
    <Alert color="yellow" variant="light" icon={<IconPlugConnected size={20} />} title="No Open edX connection yet">
      This screen needs a connection to an Open edX site, and Crosswalk has none. Add one in{' '}
      <Anchor component={Link} to="/connections" inherit>
        Connections
      </Anchor>
      : you need the LMS address and the client ID and secret of the OAuth2 application its administrators
      made for Crosswalk.
    </Alert>
  );
}
