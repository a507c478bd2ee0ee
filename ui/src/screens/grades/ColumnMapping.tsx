import { Alert, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { ColumnMap, GradeFile } from '../../bindings';
import { columnOptions, columnRoles, sharedColumns, type ColumnRole } from '../../lib/gradesColumns';

interface ColumnMappingProps {
  file: GradeFile;
  columns: ColumnMap;
  onChange: (columns: ColumnMap) => void;
  disabled: boolean;
}

/** One select per role, prefilled with what Crosswalk recognised. */
export function ColumnMapping({ file, columns, onChange, disabled }: ColumnMappingProps) {
  const options = columnOptions(file.headers);
  const shared = sharedColumns(columns, file.headers);
  const set = (role: ColumnRole, value: string | null) => onChange({ ...columns, [role]: value === null ? null : Number(value) });

  return (
    <Stack gap="sm">
      {file.kind === 'custom' && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={20} />} data-testid="grades-custom-note">
          Crosswalk does not know this file’s layout, so it made a guess. Pick the column that holds the learners’
          <b> Open edX usernames</b>: that is what learners are matched by. The others are optional, but a grade column
          is needed to export grades.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="sm">
        {columnRoles.map(({ role, label, description, required }) => (
          <Select
            key={role}
            label={label}
            description={description}
            withAsterisk={required}
            data={options}
            value={columns[role] === null ? null : String(columns[role])}
            onChange={(value) => set(role, value)}
            placeholder={required ? 'Choose the username column' : 'Not in this file'}
            clearable={!required}
            searchable
            nothingFoundMessage="No column has that name"
            disabled={disabled}
            error={required && columns[role] === null ? 'Required: learners are matched by username' : undefined}
            data-testid={`grades-map-${role}`}
          />
        ))}
      </SimpleGrid>
      {shared.length > 0 && (
        <Text size="sm" c="orange" data-testid="grades-shared-columns">
          <IconAlertTriangle size={14} style={{ verticalAlign: 'middle' }} /> {shared.join(' ')} Check that this is
          what you meant.
        </Text>
      )}
    </Stack>
  );
}
