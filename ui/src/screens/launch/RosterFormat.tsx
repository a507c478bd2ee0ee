import { Badge, Code, Paper, Stack, Table, Text } from '@mantine/core';
import { rosterColumns, rosterExample } from '../../lib/launchRoster';

/** The columns a roster file may have, with an example. */
export function RosterFormat() {
  return (
    <Paper withBorder p="md" radius="md" maw={1040} data-testid="launch-roster-format">
      <Stack gap="sm">
        <Text fw={600}>What the roster file looks like</Text>
        <Text size="sm" c="dimmed">
          A CSV or Excel file with a header row. Only the external id is needed; the other columns are optional and may
          be left empty on any row. Headers are not case-sensitive, and the columns may come in any order.
        </Text>
        <Table withTableBorder maw={820}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>Column</Table.Th>
              <Table.Th w={100} />
              <Table.Th>What it is</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rosterColumns.map((c) => (
              <Table.Tr key={c.name}>
                <Table.Td ff="monospace">{c.name}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={c.required ? 'red' : 'gray'}>
                    {c.required ? 'required' : 'optional'}
                  </Badge>
                </Table.Td>
                <Table.Td>{c.meaning}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" fw={500}>
          For example:
        </Text>
        <Code block data-testid="launch-roster-example">
          {rosterExample}
        </Code>
      </Stack>
    </Paper>
  );
}
