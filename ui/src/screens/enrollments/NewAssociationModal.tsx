// Create an association at the home institution: the student's personId and an offering (JSON).
// The offering starts from the connection's saved template of the offering picked (every offering
// a create succeeded with is remembered), or from an example. The back end checks the body before
// sending and says what is missing.
import { ActionIcon, Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { OfferingTemplate } from '../../bindings';
import { backend, toAppError } from '../../lib/backend';
import { notifyError, notifySuccess } from '../../lib/notify';
import { studentOfToken, useStudentToken } from '../../lib/studentToken';

const EXAMPLE = '__example__';

function templateLabel(t: OfferingTemplate): string {
  const what = [t.code, t.name].filter(Boolean).join(' — ') || t.offering_id;
  const when = t.start_date ? ` (${t.start_date}${t.end_date ? ` to ${t.end_date}` : ''})` : '';
  return `${what}${when}`;
}

/** The text of the offering field: what was typed, else the template picked, else the example. */
function offeringText(typed: string | null, picked: string | null, saved: OfferingTemplate[] | undefined, example: unknown): string {
  if (typed !== null) return typed;
  const t = saved?.find((s) => s.offering_id === picked);
  if (t) return JSON.stringify(t.template, null, 2);
  return example ? JSON.stringify(example, null, 2) : '';
}

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
  const saved = useQuery({
    queryKey: ['enrollments', 'templates', connectionId],
    queryFn: () => backend.enrollmentsTemplates(connectionId),
    enabled: opened,
  });
  const student = useStudentToken(connectionId, opened).data;
  const [offering, setOffering] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Until the person picks, the most recently used offering (or the example when none is saved).
  const current = picked ?? saved.data?.[0]?.offering_id ?? EXAMPLE;
  const text = offeringText(offering, current, saved.data, template.data);
  const pickedTemplate = saved.data?.find((t) => t.offering_id === current);

  const parse = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`The offering is not valid JSON (${e instanceof Error ? e.message : String(e)}). Fix it and try again.`);
    }
  };
  const shown = (e: unknown) => (e instanceof Error && !('code' in e) ? e.message : toAppError(e).message);

  const save = useMutation({
    mutationFn: () => backend.enrollmentsSaveTemplate(connectionId, parse()),
    onSuccess: (t) => {
      setProblem(null);
      setPicked(t.offering_id);
      setOffering(null);
      notifySuccess('Template saved', `The next student of ${templateLabel(t)} starts from it. Nothing was sent.`);
      void client.invalidateQueries({ queryKey: ['enrollments', 'templates', connectionId] });
    },
    onError: (e) => setProblem(shown(e)),
  });
  const remove = useMutation({
    mutationFn: (offeringId: string) => backend.enrollmentsDeleteTemplate(connectionId, offeringId),
    onSuccess: () => {
      setPicked(EXAMPLE);
      setOffering(null);
      void client.invalidateQueries({ queryKey: ['enrollments', 'templates', connectionId] });
    },
    onError: (e) => notifyError('The template was not deleted', e),
  });
  const confirmDelete = (t: OfferingTemplate) =>
    modals.openConfirmModal({
      title: 'Delete this offering template?',
      children: (
        <Text size="sm">
          {templateLabel(t)} is no longer offered in this form. Associations already created are not touched, and the next successful
          create for this offering saves it again.
        </Text>
      ),
      labels: { confirm: 'Delete template', cancel: 'Keep it' },
      confirmProps: { color: 'red', 'data-testid': 'confirm-delete-template' },
      onConfirm: () => remove.mutate(t.offering_id),
    });

  const create = useMutation({
    mutationFn: () => {
      const parsed = parse();
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
      setProblem(shown(e));
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
        {student && (
          <Group gap="xs" data-testid="new-use-student">
            <Text size="sm">
              A token of {studentOfToken(student)} is pasted: their association is created as they would create it themselves.
            </Text>
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => {
                setPersonId(student.person_id);
                setName(student.name ?? '');
                setEmail(student.email ?? '');
              }}
            >
              Use this student
            </Button>
          </Group>
        )}
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
        <Group align="end" gap="xs" wrap="nowrap">
          <Select
            style={{ flex: 1 }}
            label="Offering"
            description="Every offering a create succeeded with is kept as a template; pick one, or start from the example."
            data={[
              ...(saved.data ?? []).map((t) => ({ value: t.offering_id, label: templateLabel(t) })),
              { value: EXAMPLE, label: 'Example offering (edit it into yours)' },
            ]}
            value={current}
            onChange={(v) => {
              if (!v) return;
              setPicked(v);
              setOffering(null);
              setProblem(null);
            }}
            allowDeselect={false}
            searchable
            data-testid="new-template"
          />
          <Tooltip label="Save this offering as its template (checked, not sent)">
            <ActionIcon variant="default" size="lg" aria-label="Save as template" loading={save.isPending} onClick={() => save.mutate()} data-testid="save-template">
              <IconDeviceFloppy size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={pickedTemplate ? 'Delete this saved template' : 'The example cannot be deleted'}>
            <ActionIcon
              variant="default"
              size="lg"
              color="red"
              aria-label="Delete template"
              disabled={!pickedTemplate}
              onClick={() => pickedTemplate && confirmDelete(pickedTemplate)}
              data-testid="delete-template"
            >
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
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
