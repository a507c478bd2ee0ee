import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ColumnMap, GradeFile } from '../../bindings';
import { columnLetter, columnRoles } from '../../lib/gradesColumns';
import { delimiterLabel, formatSize, reportKindExplanations, reportKindLabels } from '../../lib/gradesStatus';

/** How many sample rows the table shows. */
const SAMPLE_ROWS = 5;

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
}

/** What Crosswalk recognised in the report: its kind, how it is written, and its first rows. */
export function FileSummary({ file, columns }: { file: GradeFile; columns: ColumnMap }) {
  const rolesOf = (index: number) => columnRoles.filter((r) => columns[r.role] === index).map((r) => r.label);
  const sample = file.sample.slice(0, SAMPLE_ROWS);

  return (
    <Paper withBorder p="md" radius="md" data-testid="grades-file">
      <Stack gap="sm">
        <div>
          <Group gap="xs" wrap="nowrap">
            <Text fw={600} data-testid="grades-file-name" style={{ overflowWrap: 'anywhere' }}>
              {file.file_name}
            </Text>
            <Badge variant="light" color={file.kind === 'custom' ? 'orange' : 'indigo'} data-testid="grades-file-kind" data-kind={file.kind}>
              {reportKindLabels[file.kind]}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {file.path}
          </Text>
        </div>
        <Text size="sm" c="dimmed" maw={820}>
          {reportKindExplanations[file.kind]}
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
          <Fact label="Format" value={file.format === 'xlsx' ? 'Excel workbook' : 'CSV text'} />
          <Fact label="Encoding" value={file.encoding} testId="grades-file-encoding" />
          <Fact label="Delimiter" value={delimiterLabel(file.delimiter, file.format)} testId="grades-file-delimiter" />
          <Fact label="Columns" value={String(file.headers.length)} testId="grades-file-columns" />
          <Fact label="Size" value={formatSize(file.size_bytes)} />
        </SimpleGrid>
        {file.encoding === 'Windows-1252' && (
          <Text size="sm" c="orange">
            Read as Windows-1252, Excel’s usual encoding on Windows: check that names with accents look right below.
          </Text>
        )}
        <Text size="sm" fw={500}>
          The first {Math.min(sample.length, SAMPLE_ROWS)} rows, as Crosswalk read them
        </Text>
        {sample.length === 0 ? (
          <Text size="sm" c="dimmed">
            The file has a header but no rows.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={Math.min(1600, file.headers.length * 140)} type="native">
            <Table withTableBorder withColumnBorders striped verticalSpacing={4} fz="xs" data-testid="grades-sample">
              <Table.Thead>
                <Table.Tr>
                  {file.headers.map((header, i) => (
                    <Table.Th key={i} style={{ whiteSpace: 'nowrap', verticalAlign: 'bottom' }}>
                      <Group gap={4} wrap="nowrap" mih={20}>
                        <Text size="xs" c="dimmed">
                          {columnLetter(i)}
                        </Text>
                        {rolesOf(i).length > 0 && (
                          <Text span size="xs" fw={700} c="indigo" data-testid="grades-sample-role">
                            {rolesOf(i).join(', ')}
                          </Text>
                        )}
                      </Group>
                      {header}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sample.map((row, r) => (
                  <Table.Tr key={r}>
                    {file.headers.map((_, c) => (
                      <Table.Td key={c} style={{ whiteSpace: 'nowrap' }}>
                        {row[c] ?? ''}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
