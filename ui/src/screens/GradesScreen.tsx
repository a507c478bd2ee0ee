import { Tabs } from '@mantine/core';
import { IconArrowsExchange, IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { ScreenHeader } from '../components/ScreenHeader';
import { currentGradesSession } from '../lib/gradesSession';
import { notifyInfo } from '../lib/notify';
import { HistoryTab } from './grades/HistoryTab';
import { ReconcileTab } from './grades/ReconcileTab';
import { useFileDrop } from './grades/useFileDrop';
import { useLoadReport } from './grades/useLoadReport';

type TabKey = 'reconcile' | 'history';

export default function GradesScreen() {
  return (
    <>
      <ScreenHeader title="Grades">
        Open edX grade reports list learners by their Open edX username, which your university&apos;s learning
        management system (LMS) or student information system (SIS) does not know. Load a report here: Crosswalk
        matches every username to the student&apos;s ID in your identity provider, shows you who could not be matched
        and why, and writes a file your LMS or SIS can import.
      </ScreenHeader>
      <GradesTabs />
    </>
  );
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function GradesTabs() {
  const [tab, setTab] = useState<TabKey>('reconcile');
  const load = useLoadReport();
  // A report dropped anywhere on the window is read, whichever step or tab is showing.
  const dragging = useFileDrop((paths) => {
    const [path] = paths;
    if (!path) return;
    if (currentGradesSession().run !== null || load.isPending) {
      notifyInfo('Busy', `Crosswalk is still working on a report: drop ${fileName(path)} again once it has finished.`);
      return;
    }
    if (paths.length > 1) notifyInfo('One report at a time', `Reading ${fileName(path)}; the other files were left alone.`);
    setTab('reconcile');
    load.mutate({ kind: 'drop', path });
  });

  return (
    <Tabs value={tab} onChange={(value) => value && setTab(value as TabKey)}>
      <Tabs.List mb="md">
        <Tabs.Tab value="reconcile" leftSection={<IconArrowsExchange size={16} />} data-testid="grades-tab-reconcile">
          Reconcile
        </Tabs.Tab>
        <Tabs.Tab value="history" leftSection={<IconHistory size={16} />} data-testid="grades-tab-history">
          History
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="reconcile">
        <ReconcileTab load={load} dragging={dragging} />
      </Tabs.Panel>
      <Tabs.Panel value="history">
        <HistoryTab onReopened={() => setTab('reconcile')} />
      </Tabs.Panel>
    </Tabs>
  );
}
