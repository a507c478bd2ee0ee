import { Anchor, Select, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { connectionLabel } from '../../lib/connections';
import { apiKeyMissing, type OpenLearningView } from '../../lib/launchConnections';

interface LaunchConnectionPickerProps {
  connections: OpenLearningView[];
  value: OpenLearningView;
  onChange: (id: string) => void;
}

/** The OpenLearning institution to launch into; both tabs share the choice. */
export function LaunchConnectionPicker({ connections, value, onChange }: LaunchConnectionPickerProps) {
  return (
    <Stack gap={4} w={320}>
      <Select
        label="Connection"
        description={`OpenLearning institution ${value.profile.settings.institution_id}`}
        data={connections.map((c) => ({ value: c.profile.id, label: connectionLabel(c.profile) }))}
        value={value.profile.id}
        onChange={(id) => {
          if (id) onChange(id);
        }}
        allowDeselect={false}
        data-testid="launch-connection"
      />
      {apiKeyMissing(value) && (
        <Text size="sm" c="orange" data-testid="launch-key-missing">
          The API key of {value.profile.name} is not set, so OpenLearning will refuse every launch. Set it with Edit in{' '}
          <Anchor component={Link} to="/connections" inherit>
            Connections
          </Anchor>
          .
        </Text>
      )}
    </Stack>
  );
}
