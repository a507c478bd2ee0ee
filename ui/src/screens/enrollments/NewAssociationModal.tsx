// Create an association at the home institution: the student's personId and an offering (JSON,
// prefilled with an example). The back end checks the body before sending and says what is missing.
import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { backend, toAppError } from '../../lib/backend';
import { notifySuccess } from '../../lib/notify';

export function NewAssociationModal({ opened, connectionId, onClose }: { opened: boolean; connectionId: string; onClose: () => void }) {
  const client = useQueryClient();
  const template = useQuery({
    queryKey: ['enrollments', 'template', connectionId],
    queryFn: () => backend.enrollmentsTemplate(connectionId),
    enabled: opened,
    staleTime: Infinity,
  });
  const [personId, setPersonId] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [remoteState, setRemoteState] = useState('associated');
  const [offering, setOffering] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const text = offering ?? (template.data ? JSON.stringify(template.data, null, 2) : '');

  const create = useMutation({
    mutationFn: () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new Error(`The offering is not valid JSON (${e instanceof Error ? e.message : String(e)}). Fix it and try again.`);
      }
      return backend.enrollmentsCreate({
        profile_id: connectionId,
        person_id: personId.trim(),
        offering: parsed,
        remote_state: remoteState,
        person_name: name.trim() || undefined,
        person_email: email.trim() || undefined,
      });
    },
    onSuccess: (out) => {
      setProblem(null);
      notifySuccess(
        'Association created',
        `${out.association.association_id ?? ''}${out.message ? ` — the home institution says: “${out.message}”` : ''}${out.association.warning ? ` ${out.association.warning}` : ''}`,
      );
      void client.invalidateQueries({ queryKey: ['enrollments'] });
      onClose();
    },
    onError: (e) => {
      setProblem(e instanceof Error && !('code' in e) ? e.message : toAppError(e).message);
      void client.invalidateQueries({ queryKey: ['enrollments'] });
    },
  });

  return (
    <Modal opened={opened} onClose={onClose} title="New association" size="lg" data-testid="new-association">
      <Stack>
        <Text size="sm" c="dimmed">
          Tells the home institution that its student asks to enrol in this offering. The request is recorded before it is sent; if
          the answer is lost, it is marked “unknown — check” and never sent again by itself.
        </Text>
        <TextInput label="Student’s personId at the home institution" withAsterisk value={personId} onChange={(e) => setPersonId(e.currentTarget.value)} data-testid="new-person-id" />
        <Group grow>
          <TextInput label="Name (optional)" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label="Email (optional)" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        </Group>
        <Select
          label="Our side's initial state"
          data={[
            { value: 'associated', label: 'associated (we accept the student)' },
            { value: 'pending', label: 'pending (we still decide)' },
            { value: 'queued', label: 'queued (waiting list)' },
          ]}
          value={remoteState}
          onChange={(v) => v && setRemoteState(v)}
          allowDeselect={false}
        />
        <Textarea
          label="Offering (JSON: the offering with its course, and the issuer — our institution)"
          autosize
          minRows={8}
          maxRows={18}
          ff="monospace"
          value={text}
          onChange={(e) => setOffering(e.currentTarget.value)}
          data-testid="new-offering"
        />
        {problem && (
          <Alert color="red" title="Not sent" data-testid="new-problem">
            {problem}
          </Alert>
        )}
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button data-testid="new-send" loading={create.isPending} disabled={personId.trim() === ''} onClick={() => create.mutate()}>
            Send to the home institution
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
