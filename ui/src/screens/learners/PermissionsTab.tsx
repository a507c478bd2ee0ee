import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconKeyOff, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { PermissionRow } from '../../bindings';
import { CopyTextButton } from '../../components/CopyAction';
import { ErrorAlert } from '../../components/ErrorAlert';
import { tokenTypeLabels, type OpenEdxProfile } from '../../lib/connections';
import { formatClockTime } from '../../lib/format';
import {
  accessColors,
  accessLabels,
  permissionMatrix,
  rowSummary,
  type PermissionCellView,
} from '../../lib/permissionMatrix';
import { usePermissions } from '../../lib/queries';
import { TabIntro } from './TabIntro';
import { WatchedProviders } from './WatchedProviders';

interface OpenFix {
  row: PermissionRow;
  cell: PermissionCellView;
}

export function PermissionsTab({ connections }: { connections: OpenEdxProfile[] }) {
  const permissions = usePermissions(true);
  const [fix, setFix] = useState<OpenFix | null>(null);

  return (
    <Stack gap="md">
      <TabIntro>
        For administrators: which connection (Open edX API client) may read which provider&apos;s learners.
        Crosswalk asks Open edX for one learner of every watched provider with each connection. Click a
        &quot;Not permitted&quot; cell for the exact steps the LMS operator takes to grant it.
      </TabIntro>
      <Group gap="sm">
        <Button
          leftSection={<IconRefresh size={16} />}
          onClick={() => void permissions.refetch()}
          loading={permissions.isFetching}
          data-testid="permissions-run"
        >
          Re-check
        </Button>
        {permissions.dataUpdatedAt > 0 && (
          <Text size="sm" c="dimmed" data-testid="permissions-checked-at">
            Checked at {formatClockTime(new Date(permissions.dataUpdatedAt))}
          </Text>
        )}
      </Group>
      <Legend />

      {permissions.isPending ? (
        <Skeleton height={160} data-testid="permissions-loading" />
      ) : permissions.isError ? (
        <ErrorAlert
          title="Could not check the permissions"
          error={permissions.error}
          onRetry={() => void permissions.refetch()}
          retrying={permissions.isFetching}
        />
      ) : (
        <Matrix rows={permissions.data} onOpenFix={setFix} />
      )}

      <Modal
        opened={fix !== null}
        onClose={() => setFix(null)}
        size="xl"
        title={fix ? `How to let ${fix.row.client_id} read ${fix.cell.provider}` : ''}
      >
        {fix?.cell.fix && (
          <Stack gap="sm">
            <Text size="sm">
              {fix.cell.answer} Send these steps to whoever runs the LMS. When they are done,
              press Re-check.
            </Text>
            <Code block data-testid="permission-fix" style={{ whiteSpace: 'pre-wrap' }}>
              {fix.cell.fix}
            </Code>
            <Group>
              <CopyTextButton value={fix.cell.fix} label="Copy the steps" testId="copy-fix" />
            </Group>
          </Stack>
        )}
      </Modal>

      <WatchedProviders connections={connections} />
    </Stack>
  );
}

function Legend() {
  return (
    <Group gap="md" data-testid="permissions-legend">
      {(Object.keys(accessLabels) as (keyof typeof accessLabels)[]).map((access) => (
        <Badge key={access} variant="light" color={accessColors[access]}>
          {accessLabels[access]}
        </Badge>
      ))}
      <Group gap={4}>
        <IconKeyOff size={16} aria-hidden />
        <Text size="sm" c="dimmed">
          the access token&apos;s scopes and filters do not include the provider
        </Text>
      </Group>
    </Group>
  );
}

function Matrix({ rows, onOpenFix }: { rows: PermissionRow[]; onOpenFix: (fix: OpenFix) => void }) {
  const matrix = permissionMatrix(rows);
  const span = matrix.providers.length + 1;
  return (
    <Table.ScrollContainer minWidth={260 + matrix.providers.length * 170}>
      <Table withTableBorder withColumnBorders verticalSpacing="xs" data-testid="permissions-matrix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={240}>Connection</Table.Th>
            {matrix.providers.map((p) => (
              <Table.Th key={p} ff="monospace" fz="sm" miw={170} style={{ overflowWrap: 'anywhere' }}>
                {p}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matrix.rows.map(({ row, cells }) => (
            <PermissionRowView key={row.profile_id} row={row} cells={cells} span={span} onOpenFix={onOpenFix} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PermissionRowView({
  row,
  cells,
  span,
  onOpenFix,
}: {
  row: PermissionRow;
  cells: PermissionCellView[];
  span: number;
  onOpenFix: (fix: OpenFix) => void;
}) {
  return (
    <>
      {row.claims && (
        <Table.Tr data-testid="permission-claims" data-connection={row.profile_id}>
          <Table.Td colSpan={span} bg="var(--mantine-color-default-hover)">
            <Text size="xs" c="dimmed">
              {row.profile_name}: the token&apos;s scopes are{' '}
              <Code>{row.claims.scopes.length ? row.claims.scopes.join(', ') : 'none'}</Code> and its filters{' '}
              <Code>{row.claims.filters.length ? row.claims.filters.join(', ') : 'none'}</Code>
              {row.claims.is_restricted === true
                ? ' (a restricted application: it may read only the providers its filters name).'
                : row.claims.is_restricted === false
                  ? ' (not restricted: the application’s own permissions decide).'
                  : '.'}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
      <Table.Tr data-testid="permission-row" data-connection={row.profile_id}>
        <Table.Td>
          <Text size="sm" fw={600}>
            {row.profile_name}
          </Text>
          <Text size="xs" c="dimmed">
            <Text span ff="monospace" inherit>
              {row.client_id}
            </Text>{' '}
            · {tokenTypeLabels[row.token_type]} · {rowSummary(row)}
          </Text>
        </Table.Td>
        {row.problem ? (
          <Table.Td colSpan={span - 1}>
            <Text size="sm" c="red" data-testid="permission-problem">
              {row.problem}
            </Text>
          </Table.Td>
        ) : (
          cells.map((cell) => <CellView key={cell.provider} row={row} cell={cell} onOpenFix={onOpenFix} />)
        )}
      </Table.Tr>
    </>
  );
}

function CellView({ row, cell, onOpenFix }: { row: PermissionRow; cell: PermissionCellView; onOpenFix: (fix: OpenFix) => void }) {
  const badge = (
    <Group gap={4} wrap="nowrap">
      <Badge
        variant={cell.access === 'not_watched' ? 'outline' : 'light'}
        color={cell.color}
        style={{ flexShrink: 0, overflow: 'visible' }}
      >
        {cell.label}
      </Badge>
      {cell.tokenAllows === false && <IconKeyOff size={16} aria-label="The token does not allow this provider" />}
    </Group>
  );
  const attributes = {
    'data-testid': 'permission-cell',
    'data-access': cell.access,
    'data-provider': cell.provider,
    'data-connection': row.profile_id,
    'data-token-allows': cell.tokenAllows === null ? undefined : String(cell.tokenAllows),
  };
  const fix = cell.fix;
  return (
    <Table.Td>
      <Tooltip label={cell.tooltip} multiline w={360} withArrow>
        {fix ? (
          <UnstyledButton
            {...attributes}
            onClick={() => onOpenFix({ row, cell })}
            aria-label={`${cell.label}: show how to grant ${cell.provider} to ${row.client_id}`}
          >
            {badge}
          </UnstyledButton>
        ) : (
          <div {...attributes}>{badge}</div>
        )}
      </Tooltip>
    </Table.Td>
  );
}
