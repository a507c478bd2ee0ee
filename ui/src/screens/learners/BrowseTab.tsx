import { Group, Loader, Pagination, Select, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Mapping } from '../../bindings';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import type { OpenEdxProfile } from '../../lib/connections';
import { countOf, formatClockTime, formatLocalTime, pageSummary } from '../../lib/format';
import { useMappings } from '../../lib/queries';
import { ConnectionPicker } from './ConnectionPicker';
import { NoWatchedProvider } from './NoWatchedProvider';
import { TabIntro } from './TabIntro';

const MAPPINGS_PAGE_SIZE = 100;

const columns: ColumnDef<Mapping>[] = [
  { accessorKey: 'username', header: 'Username (Open edX)', meta: { minWidth: 180 } },
  { accessorKey: 'remote_id', header: 'Remote ID (identity provider)', meta: { minWidth: 220, grow: 1.4 } },
];

interface BrowseTabProps {
  connections: OpenEdxProfile[];
  connection: OpenEdxProfile;
  onConnectionChange: (id: string) => void;
}

/** One provider's whole list, a page at a time, fetched live from Open edX. */
export function BrowseTab({ connections, connection, onConnectionChange }: BrowseTabProps) {
  const [providerId, setProviderId] = useState<string | null>(null);
  // The page belongs to one connection and provider: choosing others (here or in another tab)
  // starts again at page 1.
  const [paging, setPaging] = useState({ key: '', page: 1 });

  const providers = connection.settings.providers;
  const provider = providerId !== null && providers.includes(providerId) ? providerId : (providers[0] ?? null);
  const pagingKey = `${connection.id}\u0000${provider ?? ''}`;
  const page = paging.key === pagingKey ? paging.page : 1;
  const setPage = (p: number) => setPaging({ key: pagingKey, page: p });
  const args = provider
    ? { connectionId: connection.id, providerId: provider, page, pageSize: MAPPINGS_PAGE_SIZE }
    : null;
  const mappings = useMappings(args);

  return (
    <Stack gap="md">
      <TabIntro>
        Page through everyone linked to one provider, straight from Open edX (a live request for every
        page). To find particular learners, use Look up instead.
      </TabIntro>
      <Group align="flex-end" gap="md">
        <ConnectionPicker
          connections={connections}
          value={connection}
          onChange={(id) => {
            onConnectionChange(id);
            setProviderId(null);
          }}
          testId="connection-select"
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
            }
          }}
          allowDeselect={false}
          w={300}
          data-testid="provider-select"
        />
      </Group>

      {!provider ? (
        <NoWatchedProvider connection={connection} />
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
            height="calc(100vh - 460px)"
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
