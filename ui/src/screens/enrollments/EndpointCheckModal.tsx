// Check our endpoints: before a partner's enrollment fails, test our own OOAPI home endpoints,
// the token partners present to them (RFC 7662 introspection) and our SIS backend's answers.
// The back end runs every check and keeps each run; this screen asks where the token comes from,
// shows the matrix (check × endpoint) with what to do about each finding, what changed since the
// last run, and saves the report (HTML for people, JUnit XML for CI, JSON).
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  PasswordInput,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { CheckInput, CheckItem, CheckReport, Endpoint, Verdict } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RelativeTime } from '../../components/RelativeTime';
import { backend } from '../../lib/backend';
import { notifyError, notifyInfo, notifySuccess } from '../../lib/notify';
import { useConnections } from '../../lib/queries';
import { newTaskId } from '../../lib/taskId';

const ENDPOINT_LABELS: Record<Endpoint, string> = {
  token: 'Token',
  persons_me: 'GET /persons/me',
  create_association: 'POST /associations/external/me',
  get_association: 'GET /associations/{id}',
  patch_association: 'PATCH /associations/{id}',
  sis: 'SIS backend',
};

const VERDICT_STYLE: Record<Verdict, { color: string; label: string }> = {
  pass: { color: 'green', label: 'Pass' },
  info: { color: 'blue', label: 'Info' },
  skipped: { color: 'gray', label: 'Not checked' },
  warn: { color: 'yellow', label: 'Warning' },
  fail: { color: 'red', label: 'Fail' },
};

type TokenKind = 'demo' | 'pasted' | 'connection';

const lastKey = (profileId: string) => ['endpoint-check', profileId] as const;

function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const s = VERDICT_STYLE[verdict];
  return (
    <Badge color={s.color} variant="light" size="sm" style={{ flexShrink: 0 }} miw="fit-content">
      {s.label}
    </Badge>
  );
}

/** The matrix: one row per check, one column per endpoint; a cell opens its details. */
function Matrix({ report, onPick, picked }: { report: CheckReport; onPick: (i: CheckItem) => void; picked: CheckItem | null }) {
  const endpoints = useMemo(() => {
    const seen: Endpoint[] = [];
    for (const i of report.items) if (!seen.includes(i.endpoint)) seen.push(i.endpoint);
    const order = Object.keys(ENDPOINT_LABELS) as Endpoint[];
    return seen.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }, [report]);
  const checks = useMemo(() => {
    const rows: { check: string; title: string }[] = [];
    for (const i of report.items) if (!rows.some((r) => r.check === i.check)) rows.push({ check: i.check, title: i.title });
    return rows;
  }, [report]);
  return (
    <ScrollArea>
      <Table withTableBorder withColumnBorders data-testid="endpoint-check-matrix" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Check</Table.Th>
            {endpoints.map((e) => (
              <Table.Th key={e} miw={104}>
                {ENDPOINT_LABELS[e]}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checks.map((c) => (
            <Table.Tr key={c.check}>
              <Table.Td>{c.title}</Table.Td>
              {endpoints.map((e) => {
                const item = report.items.find((i) => i.check === c.check && i.endpoint === e);
                if (!item) return <Table.Td key={e} />;
                const active = picked?.check === item.check && picked.endpoint === item.endpoint;
                return (
                  <Table.Td key={e} miw={104} bg={active ? 'var(--mantine-color-default-hover)' : undefined}>
                    <UnstyledButton
                      data-testid="matrix-cell"
                      data-check={item.check}
                      data-endpoint={item.endpoint}
                      data-verdict={item.verdict}
                      aria-label={`${item.title}, ${ENDPOINT_LABELS[e]}: ${VERDICT_STYLE[item.verdict].label}`}
                      onClick={() => onPick(item)}
                    >
                      <VerdictBadge verdict={item.verdict} />
                    </UnstyledButton>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

function Detail({ item }: { item: CheckItem }) {
  return (
    <Stack gap={6} data-testid="endpoint-check-detail">
      <Group gap="xs">
        <VerdictBadge verdict={item.verdict} />
        <Text fw={600} size="sm">
          {ENDPOINT_LABELS[item.endpoint]} — {item.title}
        </Text>
        {item.latency_ms !== null && (
          <Text size="xs" c="dimmed">
            {item.latency_ms} ms
          </Text>
        )}
      </Group>
      <Text size="sm">{item.detail}</Text>
      {item.hint && (
        <Text size="sm" c="dimmed" data-testid="endpoint-check-hint">
          What to do: {item.hint}
        </Text>
      )}
      {item.spec_defects.map((d) => (
        <Text size="xs" c="yellow.8" key={d}>
          Relaxed: {d}
        </Text>
      ))}
      {item.exchange && (
        <ScrollArea.Autosize mah={220}>
          <Code block data-testid="endpoint-check-exchange">
            {item.exchange}
          </Code>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}

function Summary({ report }: { report: CheckReport }) {
  const c = report.counts;
  const failed = c.fail > 0;
  return (
    <Alert
      data-testid="endpoint-check-summary"
      data-failed={c.fail}
      color={failed ? 'red' : c.warn > 0 ? 'yellow' : 'teal'}
      title={failed ? `${c.fail} check(s) failed` : c.warn > 0 ? 'Nothing failed; some warnings' : 'Nothing failed'}
    >
      <Stack gap={4}>
        <Text size="sm">
          {c.pass} passed, {c.fail} failed, {c.warn} warnings, {c.info} for information, {c.skipped} not checked.{' '}
          {report.problem_dialect && <>Errors are written as OOAPI {report.problem_dialect}. </>}
          Run <RelativeTime value={report.started_at} />.
        </Text>
        {report.created.length > 0 && (
          <Text size="xs" c="dimmed">
            {report.created.length === 1
              ? 'The check created 1 test association and canceled it at the end.'
              : `The check created ${report.created.length} test associations and canceled them at the end.`}
          </Text>
        )}
        {report.token && (
          <Text size="xs" data-testid="endpoint-check-token-facts">
            Token ({report.token.source}): {report.token.active ? 'active' : 'not active'}
            {report.token.scopes.length > 0 && <>, scopes {report.token.scopes.join(' ')}</>}
            {report.token.missing_scopes.length > 0 && <> — missing {report.token.missing_scopes.join(' ')}</>}
            {report.token.email ? `, e-mail ${report.token.email}` : ', no e-mail'}.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function Diff({ report }: { report: CheckReport }) {
  if (report.previous_run_at === null) return null;
  return (
    <Stack gap={2} data-testid="endpoint-check-diff">
      <Text size="sm" fw={600}>
        Since the previous run (<RelativeTime value={report.previous_run_at} />)
      </Text>
      {report.diff.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing changed.
        </Text>
      ) : (
        report.diff.map((d) => (
          <Text size="sm" key={`${d.endpoint}-${d.check}`}>
            {ENDPOINT_LABELS[d.endpoint]} — {d.title}: {d.before ? VERDICT_STYLE[d.before].label : 'not run'} →{' '}
            {d.after ? VERDICT_STYLE[d.after].label : 'not run'}
          </Text>
        ))
      )}
    </Stack>
  );
}

export function EndpointCheckModal({ opened, onClose, connectionId }: { opened: boolean; onClose: () => void; connectionId: string }) {
  const client = useQueryClient();
  const connections = useConnections();
  const ooapi = (connections.data ?? []).filter((c) => c.profile.settings.kind === 'ooapi');
  const [profileId, setProfileId] = useState(connectionId);
  const profile = ooapi.find((c) => c.profile.id === profileId)?.profile;
  const settings = profile?.settings.kind === 'ooapi' ? profile.settings : null;
  const demo = profile?.demo ?? false;
  const [tokenKind, setTokenKind] = useState<TokenKind>(demo ? 'demo' : 'pasted');
  const [token, setToken] = useState('');
  const [tokenFrom, setTokenFrom] = useState<string | null>(null);
  const [noScopeToken, setNoScopeToken] = useState('');
  const [sisUrl, setSisUrl] = useState('');
  const [taskId, setTaskId] = useState<string | null>(null);
  const [picked, setPicked] = useState<CheckItem | null>(null);

  const last = useQuery({ queryKey: lastKey(profileId), queryFn: () => backend.endpointCheckLast(profileId), enabled: opened });

  const run = useMutation({
    mutationFn: () => {
      const input: CheckInput = {
        profile_id: profileId,
        token:
          tokenKind === 'demo'
            ? { kind: 'demo_student' }
            : tokenKind === 'pasted'
              ? { kind: 'pasted', token }
              : { kind: 'connection', profile_id: tokenFrom ?? profileId },
        no_scope_token: noScopeToken.trim() === '' ? undefined : noScopeToken,
        sis_url: sisUrl.trim() === '' ? undefined : sisUrl.trim(),
      };
      const id = newTaskId();
      setTaskId(id);
      setPicked(null);
      return backend.endpointCheckRun(input, id);
    },
    onSuccess: (r) => {
      client.setQueryData(lastKey(profileId), r);
      // A pasted token is not kept on screen once used.
      setToken('');
      setNoScopeToken('');
      const first = r.items.find((i) => i.verdict === 'fail') ?? r.items.find((i) => i.verdict === 'warn') ?? null;
      setPicked(first);
    },
    onSettled: () => setTaskId(null),
  });

  const save = useMutation({
    mutationFn: (format: 'html' | 'json' | 'junit') => backend.endpointCheckSave(profileId, format),
    onSuccess: (path) => {
      if (path === null) return notifyInfo('Not saved', 'No file was chosen.');
      notifySuccess('Report saved', path);
    },
    onError: (e) => notifyError('The report could not be saved', e),
  });

  const report = last.data ?? null;
  const ready = tokenKind === 'demo' ? demo : tokenKind === 'pasted' ? token.trim() !== '' : true;

  return (
    <Modal opened={opened} onClose={onClose} title="Check our endpoints" size="80rem" data-testid="endpoint-check-modal">
      <Stack gap="md">
        <Text size="sm">
          Every institution is also a <b>home</b>: partners call our four OOAPI endpoints with a student’s token, and our
          endpoints must check it by introspection and answer as OOAPI v5 says. This check calls them as a partner would —
          with the token, without one, with a made-up one and with one lacking our scopes — and creates one test association,
          which it cancels at the end. Nothing else is changed.
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Select
            label="Our home endpoints"
            description="The OOAPI connection whose persons and associations URLs are ours, with the introspection settings."
            data-testid="endpoint-check-connection"
            data={ooapi.map((c) => ({ value: c.profile.id, label: c.profile.name }))}
            value={profileId}
            onChange={(v) => v && setProfileId(v)}
            allowDeselect={false}
          />
          <TextInput
            label="SIS backend URL (optional)"
            description="Where the enrollment receiver posts {offering, person}; its answer is checked too."
            placeholder={settings?.sis_url ?? 'https://sis.example.edu/enrollment'}
            data-testid="endpoint-check-sis-url"
            value={sisUrl}
            onChange={(e) => setSisUrl(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            The token to check with
          </Text>
          <SegmentedControl
            data-testid="endpoint-check-token-source"
            value={tokenKind}
            onChange={(v) => setTokenKind(v as TokenKind)}
            data={[
              ...(demo ? [{ value: 'demo', label: 'Demo test student' }] : []),
              { value: 'pasted', label: 'Paste a test student’s token' },
              { value: 'connection', label: 'Client credentials of a connection' },
            ]}
          />
          {tokenKind === 'demo' && (
            <Text size="xs" c="dimmed">
              The built-in sandbox signs a test student in, and gives a second token without our institution scopes for
              the 403 checks.
            </Text>
          )}
          {tokenKind === 'pasted' && (
            <PasswordInput
              label="Access token"
              description="Sign in as a test student through the broker and paste the access token. It is used for this check only and never stored."
              data-testid="endpoint-check-token"
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              autoComplete="off"
            />
          )}
          {tokenKind === 'connection' && (
            <Select
              label="Connection"
              description="A token of a client is not a student’s: the e-mail check fails by design, and /me endpoints may refuse it."
              data-testid="endpoint-check-token-from"
              data={ooapi.map((c) => ({ value: c.profile.id, label: c.profile.name }))}
              value={tokenFrom ?? profileId}
              onChange={setTokenFrom}
              allowDeselect={false}
            />
          )}
          {tokenKind !== 'demo' && (
            <PasswordInput
              label="A token without our institution scopes (optional)"
              description="Lets the check confirm that our endpoints refuse it with 403. Without one, those checks are listed as not checked."
              data-testid="endpoint-check-no-scope-token"
              value={noScopeToken}
              onChange={(e) => setNoScopeToken(e.currentTarget.value)}
              autoComplete="off"
            />
          )}
        </Stack>
        {settings && !settings.introspection_url && (
          <Alert color="yellow" title="No introspection settings">
            This connection has no introspection URL, so the token itself cannot be checked (only the endpoints). Add the
            introspection URL, the resource server’s client id and its secret in Connections.
          </Alert>
        )}
        <Group>
          <Button data-testid="endpoint-check-run" loading={run.isPending} disabled={!ready} onClick={() => run.mutate()}>
            Run the check
          </Button>
          {taskId && (
            <Button variant="default" data-testid="endpoint-check-cancel" onClick={() => void backend.cancelTask(taskId)}>
              Cancel
            </Button>
          )}
          {report && (
            <>
              <Button variant="default" data-testid="endpoint-check-save-html" loading={save.isPending} onClick={() => save.mutate('html')}>
                Save as HTML…
              </Button>
              <Button variant="default" data-testid="endpoint-check-save-junit" onClick={() => save.mutate('junit')}>
                Save as JUnit XML…
              </Button>
              <Button variant="default" data-testid="endpoint-check-save-json" onClick={() => save.mutate('json')}>
                Save as JSON…
              </Button>
            </>
          )}
        </Group>
        {run.isError && <ErrorAlert title="The check could not run" error={run.error} />}
        {last.isError && <ErrorAlert title="Could not read the last check" error={last.error} onRetry={() => void last.refetch()} />}
        {report && (
          <Stack gap="sm">
            <Summary report={report} />
            <Text size="xs" c="dimmed">
              Click a cell to see what was sent, what came back and what to do.
            </Text>
            <Matrix report={report} onPick={setPicked} picked={picked} />
            {picked && <Detail item={picked} />}
            <Diff report={report} />
          </Stack>
        )}
        {!report && last.isSuccess && (
          <Text size="sm" c="dimmed" data-testid="endpoint-check-never">
            This connection’s endpoints were never checked.
          </Text>
        )}
      </Stack>
    </Modal>
  );
}
