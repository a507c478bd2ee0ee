import { Alert, Anchor, Skeleton, Tabs } from '@mantine/core';
import {
  IconDatabase,
  IconList,
  IconPlugConnected,
  IconSearch,
  IconShieldCheck,
  IconUser,
} from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert';
import { ScreenHeader } from '../components/ScreenHeader';
import { openEdxConnections } from '../lib/connections';
import { useConnections } from '../lib/queries';
import { LEARNERS_EXPLANATION, LEARNERS_TABS, type LearnersTab } from '../shell/screens';
import { BrowseTab } from './learners/BrowseTab';
import { LearnerTab } from './learners/LearnerTab';
import { LookupTab } from './learners/LookupTab';
import { MirrorTab } from './learners/MirrorTab';
import { PermissionsTab } from './learners/PermissionsTab';

const tabIcons: Record<LearnersTab, ReactNode> = {
  lookup: <IconSearch size={16} />,
  mirror: <IconDatabase size={16} />,
  learner: <IconUser size={16} />,
  permissions: <IconShieldCheck size={16} />,
  browse: <IconList size={16} />,
};

export default function LearnersScreen() {
  return (
    <>
      <ScreenHeader title="Learners">{LEARNERS_EXPLANATION}</ScreenHeader>
      <LearnerTabs />
    </>
  );
}

function LearnerTabs() {
  const connections = useConnections();
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [tab, setTab] = useState<LearnersTab>('lookup');
  // A tab's content is made the first time it is opened, then kept (with its results and any sync or
  // lookup in progress) while the person looks at the others. Browse and Permissions ask Open edX,
  // so they only do it once opened.
  const [opened, setOpened] = useState<ReadonlySet<LearnersTab>>(() => new Set<LearnersTab>(['lookup']));

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
  const openedx = openEdxConnections(connections.data);
  const connection = openedx.find((c) => c.id === connectionId) ?? openedx[0] ?? null;
  if (!connection) return <NoOpenEdxConnection />;

  const shared = { connections: openedx, connection, onConnectionChange: setConnectionId };

  return (
    <Tabs
      value={tab}
      onChange={(value) => {
        if (!value) return;
        const key = value as LearnersTab;
        setTab(key);
        setOpened((old) => (old.has(key) ? old : new Set([...old, key])));
      }}
      keepMounted
    >
      <Tabs.List mb="md">
        {LEARNERS_TABS.map((t) => (
          <Tabs.Tab key={t.key} value={t.key} leftSection={tabIcons[t.key]} data-testid={`tab-${t.key}`}>
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="lookup">{opened.has('lookup') && <LookupTab {...shared} />}</Tabs.Panel>
      <Tabs.Panel value="mirror">{opened.has('mirror') && <MirrorTab {...shared} />}</Tabs.Panel>
      <Tabs.Panel value="learner">{opened.has('learner') && <LearnerTab {...shared} />}</Tabs.Panel>
      <Tabs.Panel value="permissions">{opened.has('permissions') && <PermissionsTab connections={openedx} />}</Tabs.Panel>
      <Tabs.Panel value="browse">{opened.has('browse') && <BrowseTab {...shared} />}</Tabs.Panel>
    </Tabs>
  );
}

function NoOpenEdxConnection() {
  return (
    <Alert color="yellow" variant="light" icon={<IconPlugConnected size={20} />} title="No Open edX connection yet">
      This screen needs a connection to an Open edX site, and Crosswalk has none. Add one in{' '}
      <Anchor component={Link} to="/connections" inherit>
        Connections
      </Anchor>
      : you need the LMS address and the client ID and secret of the OAuth2 application its administrators made
      for Crosswalk.
    </Alert>
  );
}
