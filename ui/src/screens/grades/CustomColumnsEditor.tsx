import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import type { CustomColumn } from '../../bindings';
import { columnLabel } from '../../lib/gradesColumns';
import { columnSourceLabels, sourceFromKey, sourceKey } from '../../lib/gradesExport';

interface CustomColumnsEditorProps {
  columns: CustomColumn[];
  headers: string[];
  onChange: (columns: CustomColumn[]) => void;
}

/** The columns of a custom export, in order: a header and where each value comes from. */
export function CustomColumnsEditor({ columns, headers, onChange }: CustomColumnsEditorProps) {
  const sources = [
    { group: 'From the match', items: Object.entries(columnSourceLabels).map(([value, label]) => ({ value, label })) },
    { group: 'Copied from the report', items: headers.map((_, i) => ({ value: `column:${i}`, label: columnLabel(headers, i) })) },
  ];
  const set = (index: number, column: CustomColumn) => onChange(columns.map((c, i) => (i === index ? column : c)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...columns];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + by, 0, moved);
    onChange(next);
  };

  return (
    <Stack gap={6} data-testid="grades-custom-columns">
      <Text size="sm" fw={500}>
        Columns to write
      </Text>
      <Text size="xs" c="dimmed">
        One line per column of the export, left to right. Rows that cannot be matched go to the error file whatever the
        columns are.
      </Text>
      {columns.map((column, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-start" data-testid="grades-custom-column">
          <TextInput
            aria-label={`Column ${i + 1}: header`}
            value={column.header}
            onChange={(event) => set(i, { ...column, header: event.currentTarget.value })}
            placeholder="Header"
            w={170}
            size="xs"
          />
          <Select
            aria-label={`Column ${i + 1}: values`}
            data={sources}
            value={sourceKey(column.source)}
            onChange={(key) => {
              if (key) set(i, { ...column, source: sourceFromKey(key, column.source.kind === 'text' ? column.source.value : '') });
            }}
            allowDeselect={false}
            searchable
            w={300}
            size="xs"
          />
          {column.source.kind === 'text' && (
            <TextInput
              aria-label={`Column ${i + 1}: text`}
              value={column.source.value}
              onChange={(event) => set(i, { ...column, source: { kind: 'text', value: event.currentTarget.value } })}
              placeholder="Text for every row"
              w={160}
              size="xs"
            />
          )}
          <ActionIcon variant="subtle" color="gray" aria-label={`Move column ${i + 1} left`} disabled={i === 0} onClick={() => move(i, -1)}>
            <IconArrowUp size={14} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Move column ${i + 1} right`}
            disabled={i === columns.length - 1}
            onClick={() => move(i, 1)}
          >
            <IconArrowDown size={14} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="gray" aria-label={`Remove column ${i + 1}`} onClick={() => onChange(columns.filter((_, j) => j !== i))}>
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconPlus size={12} />}
          onClick={() => onChange([...columns, { header: '', source: { kind: 'remote_id' } }])}
          data-testid="grades-custom-add"
        >
          Add a column
        </Button>
      </Group>
    </Stack>
  );
}
