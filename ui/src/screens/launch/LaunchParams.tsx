import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ShownParam } from '../../bindings';
import { CopyAction } from '../../components/CopyAction';
import { shownValue } from '../../lib/launchSummary';

/** A launch's parameters as the back end showed them. Masked ones show only the mask, with nothing to copy. */
export function LaunchParams({ params }: { params: ShownParam[] }) {
  return (
    <Table withTableBorder striped maw={1000} data-testid="launch-params" aria-label="Launch parameters">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={280}>Parameter</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {params.map((param) => (
          <Table.Tr
            key={param.name}
            data-testid="launch-param"
            data-name={param.name}
            data-masked={param.masked ? 'true' : 'false'}
          >
            <Table.Td ff="monospace">{param.name}</Table.Td>
            <Table.Td>
              {param.masked ? (
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" ff="monospace" data-testid="launch-param-value">
                    {shownValue(param)}
                  </Text>
                  <Tooltip label="Part of the credential: Crosswalk never shows it" withArrow>
                    <Badge variant="light" color="gray" leftSection={<IconLock size={12} />} data-testid="launch-param-hidden">
                      hidden
                    </Badge>
                  </Tooltip>
                </Group>
              ) : (
                <Group gap={4} wrap="nowrap" justify="space-between">
                  <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="launch-param-value">
                    {shownValue(param)}
                  </Text>
                  <CopyAction value={param.value} label={`Copy ${param.name}`} testId="launch-param-copy" />
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
