import { Alert, Anchor, Autocomplete, Button, Group, Paper, Select, Skeleton, Stack, Switch, Text, Title } from '@mantine/core';
import { IconArrowsExchange, IconPlugConnected } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { GradeFile } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { connectionLabel, openEdxConnections } from '../../lib/connections';
import { matchBlockers, reconcileRequest, resolveTarget, type MatchDraft } from '../../lib/gradesColumns';
import { changeDraft, dismissError, startMatch, type GradesRun, type GradesRunError } from '../../lib/gradesSession';
import { useConnections } from '../../lib/queries';
import { ColumnMapping } from './ColumnMapping';
import { FileSummary } from './FileSummary';
import { ReconcileProgressPanel } from './ReconcileProgressPanel';

function Section({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={4}>{title}</Title>
      <Text size="sm" c="dimmed" maw={820}>
        {intro}
      </Text>
      {children}
    </Stack>
  );
}

interface CheckStepProps {
  file: GradeFile;
  draft: MatchDraft;
  run: GradesRun | null;
  error: GradesRunError | null;
}

/** Step 2: what Crosswalk recognised, which column is which, where to look the learners up; then Match. */
export function CheckStep({ file, draft, run, error }: CheckStepProps) {
  const client = useQueryClient();
  const connections = useConnections();
  const openedx = connections.data ? openEdxConnections(connections.data) : [];
  const { connectionId, providerId } = resolveTarget(draft, openedx);
  const connection = openedx.find((c) => c.id === connectionId) ?? null;
  const blockers = connections.isSuccess ? matchBlockers(draft, connectionId, providerId) : [];
  const busy = run !== null;

  const match = () => {
    if (busy || blockers.length > 0 || connectionId === null) return;
    void startMatch(client, reconcileRequest(file, draft, connectionId, providerId));
  };

  let target: ReactNode;
  if (connections.isPending) {
    target = <Skeleton height={60} width={620} />;
  } else if (connections.isError) {
    target = (
      <ErrorAlert
        title="Could not list your connections"
        error={connections.error}
        onRetry={() => void connections.refetch()}
        retrying={connections.isFetching}
      />
    );
  } else if (!connection) {
    target = (
      <Alert color="yellow" variant="light" icon={<IconPlugConnected size={20} />} title="No Open edX connection yet" data-testid="grades-no-connection">
        Matching needs a connection to the Open edX site the report comes from. Add one in{' '}
        <Anchor component={Link} to="/connections" inherit>
          Connections
        </Anchor>
        , then come back: this report stays loaded.
      </Alert>
    );
  } else {
    const watched = connection.settings.providers;
    target = (
      <Stack gap="sm">
        <Group align="flex-start" gap="md">
          <Select
            label="Open edX connection"
            description="The site the report comes from"
            data={openedx.map((c) => ({ value: c.id, label: connectionLabel(c) }))}
            value={connection.id}
            onChange={(id) => {
              if (id) changeDraft({ connectionId: id, providerId: null });
            }}
            allowDeselect={false}
            disabled={busy}
            w={320}
            data-testid="grades-connection"
          />
          <Autocomplete
            label="Identity provider"
            description={
              watched.length > 0
                ? 'Whose IDs your LMS or SIS knows (pick one, or type another)'
                : 'This connection watches no provider: type its ID, e.g. saml-university'
            }
            data={watched}
            value={providerId}
            onChange={(value) => changeDraft({ providerId: value })}
            placeholder="saml-university"
            disabled={busy}
            w={340}
            spellCheck={false}
            data-testid="grades-provider"
          />
        </Group>
        <Switch
          checked={draft.live}
          onChange={(event) => changeDraft({ live: event.currentTarget.checked })}
          disabled={busy}
          label="Look up learners missing from the mirror live"
          description="Usernames the local mirror does not know are asked from Open edX, 50 at a time. Off: the mirror only, which works offline, but learners linked since its last sync come out “not linked”."
          maw={720}
          data-testid="grades-live"
        />
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <FileSummary file={file} columns={draft.columns} />

      <Section
        title="Which column is which"
        intro="Crosswalk filled these in from the column headers. Check them against the rows above; the username column is the one that matters."
      >
        <ColumnMapping file={file} columns={draft.columns} onChange={(columns) => changeDraft({ columns })} disabled={busy} />
      </Section>

      <Section
        title="Where to look the learners up"
        intro="Each username is matched to the ID the university’s identity provider sent to Open edX (the “remote ID”, for example a student number): the ID your LMS or SIS knows the student by."
      >
        {target}
      </Section>

      <Paper withBorder radius="md" p="md">
        <Group gap="md" align="center">
          <Button
            size="md"
            leftSection={<IconArrowsExchange size={18} />}
            onClick={match}
            disabled={blockers.length > 0 || !connections.isSuccess}
            loading={run?.kind === 'match'}
            data-testid="grades-match"
          >
            Match
          </Button>
          <Text size="sm" c={blockers.length > 0 ? 'orange' : 'dimmed'} maw={680} data-testid="grades-match-hint">
            {blockers.length > 0
              ? blockers.join(' ')
              : 'Matching reads the whole report and saves the result in History. Nothing is sent anywhere and nothing is exported yet.'}
          </Text>
        </Group>
      </Paper>

      {run?.kind === 'match' && <ReconcileProgressPanel run={run} title={`Matching ${file.file_name}`} />}
      {run?.kind === 'reopen' && (
        <Text size="sm" c="dimmed">
          A reconciliation from History is being reopened: Match is possible again once it has finished.
        </Text>
      )}
      {error?.kind === 'match' &&
        (error.code === 'cancelled' ? (
          <Alert color="gray" variant="light" title="Matching cancelled" withCloseButton onClose={dismissError} data-testid="grades-match-cancelled">
            You cancelled the match while the report was being read, so nothing was saved. Press Match to start again.
          </Alert>
        ) : (
          <div data-testid="grades-match-error">
            <ErrorAlert title="Could not match the report" error={error} onRetry={match} />
          </div>
        ))}
    </Stack>
  );
}
