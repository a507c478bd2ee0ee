import { Alert, Group, List, Loader, Paper, ScrollArea, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Reconciliation } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { previewCountsText, type ExportCheck } from '../../lib/gradesExport';
import { useExportPreview } from '../../lib/gradesQueries';

/** Rows of the preview shown (the back end sends up to 20). */
const PREVIEW_ROWS = 8;
/** Tall enough for the header, the rows and the counts, so the page does not jump as it loads. */
const BOX_HEIGHT = 330;

interface ExportPreviewBoxProps {
  reconciliation: Reconciliation;
  /** The settings as they stood a moment ago (the preview follows typing with a short delay). */
  check: ExportCheck;
}

/** The export's header and first rows, and how many rows go where, as the settings stand. */
export function ExportPreviewBox({ reconciliation, check }: ExportPreviewBoxProps) {
  const preview = useExportPreview(reconciliation, check.ok ? check.options : null);

  let body: ReactNode;
  if (!check.ok) {
    body = (
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={20} />} title="Fix these settings first" data-testid="grades-export-problems">
        <List size="sm">
          {check.problems.map((problem) => (
            <List.Item key={problem}>{problem}</List.Item>
          ))}
        </List>
      </Alert>
    );
  } else if (preview.isPending) {
    body = (
      <Stack gap="xs">
        <Skeleton height={18} width={420} />
        <Skeleton height={220} />
      </Stack>
    );
  } else if (preview.isError) {
    body = (
      <ErrorAlert title="Could not preview the export" error={preview.error} onRetry={() => void preview.refetch()} retrying={preview.isFetching} />
    );
  } else {
    const { header, rows } = preview.data;
    body = (
      <Stack gap="xs" style={{ opacity: preview.isPlaceholderData ? 0.6 : 1 }}>
        <Group gap="xs">
          <Text size="sm" fw={600} data-testid="grades-preview-counts">
            {previewCountsText(preview.data)}
          </Text>
          {preview.isFetching && <Loader size="xs" aria-label="Updating the preview" />}
        </Group>
        <ScrollArea type="auto" offsetScrollbars>
          <Table withTableBorder withColumnBorders verticalSpacing={4} fz="xs" ff="monospace" data-testid="grades-preview-table">
            <Table.Thead>
              <Table.Tr data-testid="grades-preview-header">
                {header.map((cell, i) => (
                  <Table.Th key={i} style={{ whiteSpace: 'nowrap' }}>
                    {cell}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.slice(0, PREVIEW_ROWS).map((row, r) => (
                <Table.Tr key={r} data-testid="grades-preview-row">
                  {header.map((_, c) => (
                    <Table.Td key={c} style={{ whiteSpace: 'nowrap' }}>
                      {row[c] ?? ''}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {rows.length === 0 && (
          <Text size="sm" c="dimmed">
            No row would be written with these settings.
          </Text>
        )}
      </Stack>
    );
  }

  return (
    <Paper withBorder radius="md" p="sm" mih={BOX_HEIGHT} data-testid="grades-preview">
      <Text size="sm" fw={600} mb={4}>
        Preview
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        The first rows exactly as they will be written. Rows that cannot be exported (not linked, ambiguous, problems)
        go to a separate error file beside the export, in Open edX’s own layout (Student ID, Username, Error).
      </Text>
      {body}
    </Paper>
  );
}
