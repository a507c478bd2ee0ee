import { Group, Skeleton, Stack, Tabs } from '@mantine/core';
import { IconTable, IconUser } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { ScreenHeader } from '../components/ScreenHeader';
import { openLearningConnections } from '../lib/launchConnections';
import { useConnections } from '../lib/queries';
import { LaunchConnectionPicker } from './launch/LaunchConnectionPicker';
import { NoOpenLearningConnection } from './launch/NoOpenLearningConnection';
import { OneLearnerTab } from './launch/OneLearnerTab';
import { RosterTab } from './launch/RosterTab';
import { SecurityNote } from './launch/SecurityNote';

type TabKey = 'learner' | 'roster';

const tabs: { key: TabKey; label: string; icon: ReactNode }[] = [
  { key: 'learner', label: 'One learner', icon: <IconUser size={16} /> },
  { key: 'roster', label: 'Roster', icon: <IconTable size={16} /> },
];

export default function LaunchScreen() {
  return (
    <>
      <ScreenHeader title="Launch">
        Sign a learner straight into OpenLearning, already in the right class, the way your university&apos;s
        systems do it: to check what a learner sees, to help someone who cannot get in, or to test a class before it
        starts. Find the learner by their student number or OpenLearning id, then open the launch in your browser,
        copy or save it as HTML, or look at its parameters. A roster file launches a list of learners one by one.
      </ScreenHeader>
      <LaunchWorkspace />
    </>
  );
}

function LaunchWorkspace() {
  const connections = useConnections();
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [tab, setTab] = useState<TabKey>('learner');

  if (connections.isPending) {
    return <Skeleton height={36} width={520} radius="sm" data-testid="connections-loading" />;
  }
  if (connections.isError) {
    return (
      <ErrorAlert
        title="Could not list your connections"
        error={connections.error}
        onRetry={() => void connections.refetch()}
        retrying={connections.isFetching}
      />
    );
  }
  const openLearning = openLearningConnections(connections.data);
  const connection = openLearning.find((c) => c.profile.id === connectionId) ?? openLearning[0] ?? null;
  if (!connection) return <NoOpenLearningConnection />;

  return (
    <Stack gap="md">
      <Group align="flex-start" gap="xl" wrap="wrap">
        <LaunchConnectionPicker connections={openLearning} value={connection} onChange={setConnectionId} />
        <SecurityNote />
      </Group>
      <Tabs value={tab} onChange={(value) => value && setTab(value as TabKey)} keepMounted>
        <Tabs.List mb="md">
          {tabs.map((t) => (
            <Tabs.Tab key={t.key} value={t.key} leftSection={t.icon} data-testid={`tab-${t.key}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="learner">
          {/* Another connection is another institution: its learners and launches start afresh. */}
          <OneLearnerTab key={connection.profile.id} connection={connection} />
        </Tabs.Panel>
        <Tabs.Panel value="roster">
          <RosterTab connection={connection} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
