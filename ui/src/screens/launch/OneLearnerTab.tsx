import { Grid, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import type { KnownUser, OpenLearningUser } from '../../bindings';
import type { OpenLearningView } from '../../lib/launchConnections';
import { cancelOpenLearningCall, useFindUser, useLaunch, type LaunchAction } from '../../lib/launchQueries';
import { emptyLaunchForm, launchRequestOf, missingLearner, optionalField, type LaunchForm } from '../../lib/launchRequest';
import { notifyInfo } from '../../lib/notify';
import { newTaskId } from '../../lib/taskId';
import { TabIntro } from '../learners/TabIntro';
import { FindLearner } from './FindLearner';
import { KnownUsers } from './KnownUsers';
import { LaunchButtons } from './LaunchButtons';
import { LaunchFields } from './LaunchFields';
import { LaunchResult } from './LaunchResult';

/** A learner found by external id, with the id that was asked for. */
interface Found {
  asked: string;
  user: OpenLearningUser;
}

/** Launch one learner: find them, say where they go, then open, copy, save or show a fresh launch. */
export function OneLearnerTab({ connection }: { connection: OpenLearningView }) {
  const connectionId = connection.profile.id;
  const [form, setForm] = useState<LaunchForm>(emptyLaunchForm);
  const [found, setFound] = useState<Found | null>(null);
  const find = useFindUser();
  const launch = useLaunch();

  const change = (patch: Partial<LaunchForm>) => setForm((old) => ({ ...old, ...patch }));
  const asked = optionalField(form.externalId);
  // What was found belongs to the id typed when Find was pressed; another id hides it (and its error).
  const foundNow = found !== null && found.asked === asked ? found.user : null;
  const findError = find.isError && find.variables?.externalId.trim() === asked ? find.error : null;

  const runFind = () => {
    if (asked === null || find.isPending) return;
    find.mutate(
      { connectionId, externalId: asked, taskId: newTaskId() },
      { onSuccess: (user) => setFound({ asked, user }) },
    );
  };

  const pick = (known: KnownUser) => {
    change({ mode: 'external_id', externalId: known.external_id });
    setFound({ asked: known.external_id, user: { ...known } });
  };

  const run = (action: LaunchAction) => {
    const request = launchRequestOf(connectionId, form);
    if (request === null || launch.isPending) return;
    launch.mutate(
      { action, request, taskId: newTaskId() },
      {
        onSuccess: (outcome) => {
          if (outcome.action === 'save' && outcome.path === null) {
            notifyInfo('Nothing saved', 'You closed the save dialog, so no launch was made.');
          }
        },
      },
    );
  };

  return (
    <Stack gap="lg" maw={1040}>
      <TabIntro>
        Name the learner by the external id your institution gave them in OpenLearning (Find shows who that is) or
        by their OpenLearning user id. Add the class to enrol them into, then choose what to do with the launch.
      </TabIntro>

      <Stack gap="sm">
        <Title order={3} size="h5">
          Learner
        </Title>
        <Grid gutter="xl">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <FindLearner
              form={form}
              onChange={change}
              found={foundNow}
              finding={find.isPending}
              findError={findError}
              onFind={runFind}
              onCancelFind={() => void cancelOpenLearningCall(find.variables?.taskId)}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <KnownUsers connectionId={connectionId} selected={form.mode === 'external_id' ? asked : null} onPick={pick} />
          </Grid.Col>
        </Grid>
      </Stack>

      <Stack gap="sm">
        <Title order={3} size="h5">
          Class and details
        </Title>
        <LaunchFields form={form} onChange={change} />
      </Stack>

      <LaunchButtons
        missing={missingLearner(form)}
        pending={launch.isPending ? (launch.variables?.action ?? null) : null}
        onRun={run}
        onCancel={() => void cancelOpenLearningCall(launch.variables?.taskId)}
      />

      <LaunchResult
        action={launch.variables?.action ?? null}
        outcome={launch.isSuccess ? launch.data : null}
        error={launch.isError ? launch.error : null}
      />
    </Stack>
  );
}
