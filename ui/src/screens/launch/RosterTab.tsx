import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconFileImport } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Roster, RosterRow } from '../../bindings';
import { backend, toAppError } from '../../lib/backend';
import { countOf } from '../../lib/format';
import type { OpenLearningView } from '../../lib/launchConnections';
import { cancelOpenLearningCall, launchKeys } from '../../lib/launchQueries';
import { rosterLaunchRequest } from '../../lib/launchRequest';
import { rosterSummary, type RosterLaunch } from '../../lib/launchRoster';
import { notifyError, notifyInfo } from '../../lib/notify';
import { newTaskId } from '../../lib/taskId';
import { TabIntro } from '../learners/TabIntro';
import { RosterFormat } from './RosterFormat';
import { RosterTable } from './RosterTable';

/** At most this many unreadable lines are listed; the rest are counted. */
const PROBLEMS_SHOWN = 20;

/** What each row's latest Launch did, for one connection (another connection starts afresh). */
interface Launches {
  connectionId: string;
  byLine: ReadonlyMap<number, RosterLaunch>;
}

/** A list of learners to launch one by one. Each Launch makes a fresh launch when pressed. */
export function RosterTab({ connection }: { connection: OpenLearningView }) {
  const connectionId = connection.profile.id;
  const client = useQueryClient();
  const [roster, setRoster] = useState<Roster | null>(null);
  const [launches, setLaunches] = useState<Launches>({ connectionId, byLine: new Map() });
  const importer = useMutation({ mutationFn: () => backend.launchImportRoster(), gcTime: 0 });

  const byLine = launches.connectionId === connectionId ? launches.byLine : new Map<number, RosterLaunch>();

  const importRoster = () => {
    importer.mutate(undefined, {
      onSuccess: (read) => {
        if (read === null) {
          notifyInfo('Nothing imported', 'You closed the file dialog without choosing a roster.');
          return;
        }
        setRoster(read);
        setLaunches({ connectionId, byLine: new Map() });
      },
      onError: (error) => notifyError('Could not read the roster', error),
    });
  };

  const record = (forConnection: string, line: number, launch: RosterLaunch) =>
    setLaunches((old) => {
      const base = old.connectionId === forConnection ? old.byLine : new Map<number, RosterLaunch>();
      const next = new Map(base);
      next.set(line, launch);
      return { connectionId: forConnection, byLine: next };
    });

  const launchRow = async (row: RosterRow) => {
    const forConnection = connectionId;
    const taskId = newTaskId();
    record(forConnection, row.line, { state: 'opening', taskId });
    try {
      const summary = await backend.launchOpen(rosterLaunchRequest(forConnection, row), taskId);
      record(forConnection, row.line, {
        state: 'opened',
        at: new Date().toISOString(),
        expiresAt: summary.expires_at,
        notes: summary.notes,
      });
    } catch (reason) {
      const error = toAppError(reason, 'launch_open');
      const message =
        error.code === 'cancelled' ? 'Stopped before OpenLearning answered: nothing was opened. Press Launch to try again.' : error.message;
      record(forConnection, row.line, { state: 'failed', code: error.code, message });
    } finally {
      // Launching by external id may have looked the learner up, which remembers them.
      void client.invalidateQueries({ queryKey: launchKeys.knownUsers(forConnection) });
    }
  };

  return (
    <Stack gap="md">
      <TabIntro>
        Launch learners from a list, one at a time: import a CSV or Excel file, then press Launch on a row when you
        need it. Nothing is made ahead of time: each Launch asks OpenLearning for a fresh launch with that row&apos;s
        class and details and opens it in your browser, where it works once.
      </TabIntro>

      <Group gap="md" align="center">
        <Button
          leftSection={<IconFileImport size={16} />}
          onClick={importRoster}
          loading={importer.isPending}
          variant={roster ? 'default' : 'filled'}
          data-testid="launch-import-roster"
        >
          {roster ? 'Import another roster…' : 'Import roster…'}
        </Button>
        {roster && (
          <Text fw={600} data-testid="launch-roster-summary">
            {rosterSummary(roster)}
          </Text>
        )}
      </Group>

      {roster === null ? (
        <RosterFormat />
      ) : (
        <>
          {roster.problems.length > 0 && (
            <Alert
              color="orange"
              variant="light"
              icon={<IconAlertTriangle size={20} />}
              title={`${countOf(roster.problems.length, 'line')} of ${roster.file_name} could not be read`}
              maw={1040}
              data-testid="launch-roster-problems"
            >
              <Text size="sm">These learners are not in the table below. Fix the file and import it again.</Text>
              <List size="sm" mt={4}>
                {roster.problems.slice(0, PROBLEMS_SHOWN).map((p) => (
                  <List.Item key={`${p.line}\u0000${p.message}`} data-testid="launch-roster-problem" data-line={p.line}>
                    {p.message}
                  </List.Item>
                ))}
              </List>
              {roster.problems.length > PROBLEMS_SHOWN && (
                <Text size="sm" mt={4}>
                  …and {countOf(roster.problems.length - PROBLEMS_SHOWN, 'more line')}.
                </Text>
              )}
            </Alert>
          )}
          <RosterTable
            rows={roster.rows}
            launches={byLine}
            onLaunch={(row) => void launchRow(row)}
            onCancel={(taskId) => void cancelOpenLearningCall(taskId)}
          />
          <RosterFormat />
        </>
      )}
    </Stack>
  );
}
