import { Button, Divider, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconAdjustments, IconFileUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type { Reconciliation, RowStatus } from '../../bindings';
import { connectionLabel, openEdxConnections } from '../../lib/connections';
import { formatAgo, formatLocalTime } from '../../lib/format';
import { goToStep } from '../../lib/gradesSession';
import type { ExportForm } from '../../lib/gradesExport';
import { useConnections } from '../../lib/queries';
import { useNow } from '../../lib/useNow';
import { ExportPanel } from './ExportPanel';
import { GradeRowsTable } from './GradeRowsTable';
import { StatusSummary } from './StatusSummary';

interface ReviewStepProps {
  reconciliation: Reconciliation;
  exportForm: ExportForm | null;
  busy: boolean;
}

/** Step 3: how the match came out, row by row, and the export. */
export function ReviewStep({ reconciliation: r, exportForm, busy }: ReviewStepProps) {
  const now = useNow();
  const connections = useConnections();
  const connection = connections.data ? openEdxConnections(connections.data).find((c) => c.id === r.request.profile_id) : undefined;
  // The filter belongs to one reconciliation: another one (or the same matched again) shows every row.
  const [filter, setFilter] = useState<{ key: string; status: RowStatus | null }>({ key: '', status: null });
  const key = `${r.id}/${r.created_at}`;
  const status = filter.key === key ? filter.status : null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={4} data-testid="grades-review-title" style={{ overflowWrap: 'anywhere' }}>
            {r.file.file_name}
          </Title>
          <Text size="sm" c="dimmed">
            Matched with {r.request.provider_id} on {connection ? connectionLabel(connection) : r.request.profile_id},{' '}
            <Tooltip label={formatLocalTime(r.created_at)}>
              <span>{formatAgo(r.created_at, now)}</span>
            </Tooltip>
            . Saved in History.
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconAdjustments size={14} />}
            onClick={() => goToStep('check')}
            disabled={busy}
            data-testid="grades-back-to-check"
          >
            Change columns or provider
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconFileUpload size={14} />}
            onClick={() => goToStep('load')}
            disabled={busy}
            data-testid="grades-load-another"
          >
            Load another report
          </Button>
        </Group>
      </Group>

      <StatusSummary reconciliation={r} filter={status} onFilter={(s) => setFilter({ key, status: s })} />
      <GradeRowsTable reconciliation={r} status={status} />

      <Divider />
      <ExportPanel reconciliation={r} form={exportForm} />
    </Stack>
  );
}
