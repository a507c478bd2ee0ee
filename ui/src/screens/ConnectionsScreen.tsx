import { Alert, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconKey, IconPlugConnectedX } from '@tabler/icons-react';
import type { ProfileView } from '../bindings';
import { ErrorAlert } from '../components/ErrorAlert';
import { ScreenHeader } from '../components/ScreenHeader';
import { connectionFields, kindColors, kindLabels, type Field } from '../lib/connections';
import { useConnections } from '../lib/queries';

export default function ConnectionsScreen() {
  const connections = useConnections();

  return (
    <>
      <ScreenHeader title="Connections">
        A connection is one remote system Crosswalk talks to on your behalf: an Open edX site, an
        OpenLearning site or another institution&apos;s OOAPI endpoint. Each has its web address, the
        client ID Crosswalk signs in with, and where its secret is kept. Every screen that reaches a
        remote system uses one of these.
      </ScreenHeader>
      <Stack gap="lg">
        <Alert
          variant="light"
          color="blue"
          icon={<IconKey size={20} />}
          title="Adding and editing connections is not available yet in this version"
          data-testid="connections-not-yet"
        >
          For now you can only see the connections Crosswalk already has. When adding and editing arrive,
          secrets such as client secrets will be kept in your operating system&apos;s keyring, never in
          Crosswalk&apos;s own files or logs, and never shown on screen.
        </Alert>
        {connections.isPending ? (
          <SimpleGrid cols={{ base: 1, lg: 2 }} data-testid="connections-loading">
            <Skeleton height={260} />
            <Skeleton height={260} />
          </SimpleGrid>
        ) : connections.isError ? (
          <ErrorAlert
            title="Could not list your connections"
            error={connections.error}
            onRetry={() => void connections.refetch()}
            retrying={connections.isFetching}
          />
        ) : connections.data.length === 0 ? (
          <Alert color="gray" variant="light" icon={<IconPlugConnectedX size={20} />} title="No connections yet">
            Crosswalk is not connected to any system, so the other screens have nothing to show.
          </Alert>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {connections.data.map((view) => (
              <ConnectionCard key={view.profile.id} view={view} />
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </>
  );
}

function ConnectionCard({ view }: { view: ProfileView }) {
  const { profile } = view;
  const kind = profile.settings.kind;
  return (
    <Card withBorder padding="lg" data-testid="connection-card" data-connection-id={profile.id}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <Title order={4}>{profile.name}</Title>
        <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
          <Badge color={kindColors[kind]} variant="light" data-testid="kind-badge">
            {kindLabels[kind]}
          </Badge>
          {profile.demo && (
            <Badge color="yellow" variant="filled" data-testid="demo-badge">
              Demo
            </Badge>
          )}
        </Group>
      </Group>
      <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing={0} layout="fixed">
        <Table.Tbody>
          {connectionFields(view).map((field) => (
            <FieldRow key={field.label} field={field} />
          ))}
        </Table.Tbody>
      </Table>
      {profile.demo && (
        <Text size="xs" c="dimmed" mt="sm">
          Points at Crosswalk&apos;s built-in sandbox, which serves made-up data. It is not saved and goes
          away when demo mode is off.
        </Text>
      )}
    </Card>
  );
}

function FieldRow({ field }: { field: Field }) {
  const color = field.tone === 'warning' ? 'orange' : field.tone === 'dimmed' ? 'dimmed' : undefined;
  return (
    <Table.Tr>
      <Table.Th w={130} style={{ verticalAlign: 'top' }}>
        <Text size="sm" c="dimmed" fw={500}>
          {field.label}
        </Text>
      </Table.Th>
      <Table.Td>
        {Array.isArray(field.value) ? (
          <Group gap={4}>
            {field.value.map((v) => (
              <Badge key={v} variant="outline" color="gray" tt="none">
                {v}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text
            size="sm"
            c={color}
            fw={field.tone === 'warning' ? 600 : undefined}
            ff={field.monospace ? 'monospace' : undefined}
            style={{ overflowWrap: 'anywhere' }}
          >
            {field.value}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
