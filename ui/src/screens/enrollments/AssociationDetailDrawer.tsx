// One association: what its state means, what to do, the timeline, the last request and answer,
// and our side's actions (each confirmed with what the home side will see).
import { Accordion, Alert, Badge, Button, Code, Drawer, Group, Loader, Modal, Stack, Text, Timeline } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { backend } from '../../lib/backend';
import { badgeOf, offeringOf, remoteStateChanges, studentOf, whoLabels } from '../../lib/enrollments';
import { formatLocalTime } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';

type Change = (typeof remoteStateChanges)[number];

export function AssociationDetailDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const client = useQueryClient();
  const detail = useQuery({
    queryKey: ['enrollments', 'detail', id],
    queryFn: () => backend.enrollmentsDetail(id ?? 0),
    enabled: id !== null,
  });
  const [confirm, setConfirm] = useState<Change | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ['enrollments'] });
  const check = useMutation({
    mutationFn: () => backend.enrollmentsCheck(id ?? 0),
    onSuccess: (d) => {
      client.setQueryData(['enrollments', 'detail', id], d);
      notifySuccess('Checked', d.state_explained);
      refresh();
    },
    onError: (e) => notifyError('The home institution could not be asked', e),
  });
  const setState = useMutation({
    mutationFn: (change: Change) => backend.enrollmentsSetState(id ?? 0, change.value),
    onSuccess: ([d, message]) => {
      client.setQueryData(['enrollments', 'detail', id], d);
      setConfirm(null);
      notifySuccess('Sent to the home institution', message ? `It says: “${message}”` : 'It accepted the change.');
      refresh();
    },
    onError: (e) => {
      setConfirm(null);
      notifyError('The change was not accepted', e);
    },
  });
  const d = detail.data;
  const a = d?.association;
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="lg" title="Association" data-testid="association-detail">
      {detail.isPending && id !== null && <Loader size="sm" />}
      {detail.isError && <ErrorAlert title="Could not read the association" error={detail.error} onRetry={() => void detail.refetch()} />}
      {d && a && (
        <Stack gap="md" data-testid="association-detail-body">
          <Stack gap={2}>
            <Text fw={600}>{studentOf(a)}</Text>
            <Text size="sm" c="dimmed">
              {offeringOf(a)} · home institution {a.home}
            </Text>
            <Text size="xs" c="dimmed" ff="monospace">
              {a.association_id ?? 'no association id (the create’s outcome is unknown)'}
            </Text>
          </Stack>
          <Group gap="xs">
            <Badge color={badgeOf(a).color} data-testid="detail-state">
              Home: {a.state ?? '—'}
            </Badge>
            <Badge color="gray" variant="outline" data-testid="detail-remote-state" data-value={a.remote_state ?? ''}>
              Our side: {a.remote_state ?? '—'}
            </Badge>
          </Group>
          <Text size="sm">{d.state_explained}</Text>
          {d.advice && (
            <Alert color="orange" title="What to do" data-testid="detail-advice">
              {d.advice}
            </Alert>
          )}
          {a.warning && (
            <Alert color="yellow" title="Interoperability" data-testid="detail-warning">
              {a.warning}
            </Alert>
          )}
          <Group gap="xs">
            <Button size="xs" variant="default" data-testid="association-check" loading={check.isPending} disabled={!a.association_id} onClick={() => check.mutate()}>
              Check now
            </Button>
            {remoteStateChanges.map((c) => (
              <Button
                key={c.value}
                size="xs"
                color={c.color}
                variant="light"
                data-testid={c.testId}
                disabled={!a.association_id || a.remote_state === c.value}
                onClick={() => setConfirm(c)}
              >
                {c.label}
              </Button>
            ))}
          </Group>
          <Text fw={600} size="sm">
            Timeline
          </Text>
          <Timeline bulletSize={14} lineWidth={2}>
            {d.events.map((e) => (
              <Timeline.Item key={e.id} data-testid="timeline-event" title={`${whoLabels[e.who] ?? e.who}: ${e.field} ${e.from_value ?? '—'} → ${e.to_value ?? '—'}`}>
                <Text size="xs" c="dimmed">
                  {formatLocalTime(e.at)}
                </Text>
                {e.message && <Text size="sm">“{e.message}”</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
          <Accordion variant="contained">
            <Accordion.Item value="request">
              <Accordion.Control>Last request sent (headers and tokens are never kept)</Accordion.Control>
              <Accordion.Panel>
                <Code block data-testid="detail-last-request">
                  {d.last_request ?? 'None yet.'}
                </Code>
              </Accordion.Panel>
            </Accordion.Item>
            <Accordion.Item value="answer">
              <Accordion.Control>Last answer</Accordion.Control>
              <Accordion.Panel>
                <Code block data-testid="detail-last-answer">
                  {d.last_answer ?? 'None yet.'}
                </Code>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        </Stack>
      )}
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={confirm?.label} data-testid="confirm-remote-state-modal">
        <Stack>
          <Text size="sm" data-testid="confirm-remote-state-text">
            {confirm?.explains}
          </Text>
          <Text size="xs" c="dimmed">
            Crosswalk sends remoteState “{confirm?.value}” to the home institution now (PATCH). It cannot be taken back silently: a
            later change is a new message to them.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              Keep as is
            </Button>
            <Button
              color={confirm?.color}
              data-testid="confirm-remote-state"
              loading={setState.isPending}
              onClick={() => confirm && setState.mutate(confirm)}
            >
              Send “{confirm?.value}”
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Drawer>
  );
}
