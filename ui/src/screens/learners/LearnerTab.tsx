import { Alert, Badge, Button, Group, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconInfoCircle, IconUserSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyAction } from '../../components/CopyAction';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { OpenEdxProfile } from '../../lib/connections';
import { sourceLabels } from '../../lib/lookup';
import { useLearnerLinks } from '../../lib/queries';
import { ConnectionPicker } from './ConnectionPicker';
import { TabIntro } from './TabIntro';

interface LearnerTabProps {
  connections: OpenEdxProfile[];
  connection: OpenEdxProfile;
  onConnectionChange: (id: string) => void;
}

/** Every provider one Open edX user is linked to. */
export function LearnerTab({ connections, connection, onConnectionChange }: LearnerTabProps) {
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const links = useLearnerLinks(asked === null ? null : connection.id, asked);

  const show = () => {
    const username = text.trim();
    if (username === '') return;
    if (username === asked) void links.refetch();
    else setAsked(username);
  };

  return (
    <Stack gap="md">
      <TabIntro>
        Type one Open edX username to see every identity provider that learner is linked to, with their remote ID
        at each. The local mirrors answer first; Open edX adds what it knows when this connection may ask it.
      </TabIntro>
      <Group align="flex-end" gap="md">
        <ConnectionPicker connections={connections} value={connection} onChange={onConnectionChange} testId="learner-connection" />
        <TextInput
          label="Username"
          description="As Open edX knows the learner"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') show();
          }}
          spellCheck={false}
          w={280}
          data-testid="learner-input"
        />
        <Button
          leftSection={<IconUserSearch size={16} />}
          onClick={show}
          disabled={text.trim() === ''}
          loading={links.isFetching}
          data-testid="learner-run"
        >
          Show links
        </Button>
      </Group>

      {asked === null ? null : links.isPending ? (
        <Skeleton height={120} />
      ) : links.isError ? (
        <ErrorAlert
          title={`Could not read the links of ${asked}`}
          error={links.error}
          onRetry={() => void links.refetch()}
          retrying={links.isFetching}
        />
      ) : (
        <Stack gap="sm">
          {links.data.live_note && (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={20} />} data-testid="learner-live-note">
              {links.data.live_note}
            </Alert>
          )}
          {links.data.links.length === 0 ? (
            <Text data-testid="learner-no-links">
              {links.data.username} is not linked to any provider that Crosswalk knows of.
            </Text>
          ) : (
            <>
              <Text fw={600} data-testid="learner-summary">
                {links.data.username} is linked to {links.data.links.length} provider
                {links.data.links.length === 1 ? '' : 's'}
              </Text>
              <Table withTableBorder highlightOnHover maw={960}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Provider</Table.Th>
                    <Table.Th>Remote ID</Table.Th>
                    <Table.Th>Provider name</Table.Th>
                    <Table.Th>Source</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {links.data.links.map((link) => (
                    <Table.Tr
                      key={`${link.provider_id}\u0000${link.remote_id}`}
                      data-testid="learner-links-row"
                      data-source={link.source}
                    >
                      <Table.Td ff="monospace">{link.provider_id}</Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm" ff="monospace">
                            {link.remote_id}
                          </Text>
                          <CopyAction value={link.remote_id} label="Copy remote ID" />
                        </Group>
                      </Table.Td>
                      <Table.Td>{link.name ?? <Text span size="sm" c="dimmed">—</Text>}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={link.source === 'live' ? 'teal' : 'gray'}>
                          {sourceLabels[link.source]}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}
