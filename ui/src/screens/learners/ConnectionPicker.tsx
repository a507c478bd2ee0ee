import { Select } from '@mantine/core';
import { connectionLabel, type OpenEdxProfile } from '../../lib/connections';

interface ConnectionPickerProps {
  connections: OpenEdxProfile[];
  value: OpenEdxProfile;
  onChange: (id: string) => void;
  testId: string;
  description?: string;
}

/** The Open edX connection a tab works with; every tab shares the choice. */
export function ConnectionPicker({
  connections,
  value,
  onChange,
  testId,
  description = 'The Open edX site to ask',
}: ConnectionPickerProps) {
  return (
    <Select
      label="Connection"
      description={description}
      data={connections.map((c) => ({ value: c.id, label: connectionLabel(c) }))}
      value={value.id}
      onChange={(id) => {
        if (id) onChange(id);
      }}
      allowDeselect={false}
      w={300}
      data-testid={testId}
    />
  );
}
