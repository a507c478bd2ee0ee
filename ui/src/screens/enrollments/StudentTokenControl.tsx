// A pasted student token for a direct connection: the home endpoints act for the student whose
// token they get, so with one pasted Crosswalk creates, reads and changes that student's
// associations as the student (POST /associations/external/me), and everyone else's with the
// connection's own token. The back end checks the token with GET /persons/me and keeps it in the
// OS keyring until it expires, it is removed, or the app quits; the webview only ever sees whose
// it is.
import { Alert, Badge, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { backend, toAppError } from '../../lib/backend';
import { notifyError, notifySuccess } from '../../lib/notify';
import { studentOfToken, studentTokenKey, useStudentToken } from '../../lib/studentToken';

export function StudentTokenControl({ connectionId }: { connectionId: string }) {
  const client = useQueryClient();
  const token = useStudentToken(connectionId);
  const [opened, setOpened] = useState(false);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: studentTokenKey(connectionId) });

  const paste = useMutation({
    mutationFn: () => backend.enrollmentsPasteStudentToken(connectionId, value),
    onSuccess: (t) => {
      setValue('');
      setProblem(null);
      setOpened(false);
      notifySuccess('Student token kept for this session', `Associations of ${studentOfToken(t)} are now sent with their own token.`);
      refresh();
    },
    onError: (e) => setProblem(toAppError(e).message),
  });
  const forget = useMutation({
    mutationFn: () => backend.enrollmentsForgetStudentToken(connectionId),
    onSuccess: refresh,
    onError: (e) => notifyError('The student token was not removed', e),
  });

  const t = token.data;
  return (
    <>
      {t ? (
        <Group gap={6} data-testid="student-token" data-person-id={t.person_id}>
          <Badge variant="light" color="grape" leftSection={<IconKey size={12} />}>
            Acting for {studentOfToken(t)}
          </Badge>
          <Text size="xs" c="dimmed">
            {t.expires_at ? `until ${new Date(t.expires_at).toLocaleString()}` : 'until the app quits'}
          </Text>
          <Button size="compact-xs" variant="subtle" color="red" loading={forget.isPending} onClick={() => forget.mutate()} data-testid="student-token-remove">
            Remove
          </Button>
        </Group>
      ) : (
        <Button size="compact-sm" variant="subtle" leftSection={<IconKey size={14} />} onClick={() => setOpened(true)} data-testid="student-token-paste">
          Paste a student token…
        </Button>
      )}
      <Modal opened={opened} onClose={() => setOpened(false)} title="Paste a student token" data-testid="student-token-modal">
        <Stack>
          <Text size="sm">
            The home institution’s endpoints act for the student whose token they get. Paste a student’s access token (for instance a
            test student’s, from the broker’s sign-in) and Crosswalk sends that student’s associations with it — creating them as the
            student does — and everyone else’s with this connection’s own token.
          </Text>
          <Text size="sm" c="dimmed">
            Crosswalk first asks the home institution whose token it is. The token is kept in your system keyring, never shown again,
            and removed when it expires, when you remove it, or when Crosswalk quits.
          </Text>
          <PasswordInput
            label="Student access token"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            autoComplete="off"
            data-testid="student-token-input"
          />
          {problem && (
            <Alert color="red" title="Not kept" data-testid="student-token-problem">
              {problem}
            </Alert>
          )}
          <Group justify="end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button loading={paste.isPending} disabled={value.trim() === ''} onClick={() => paste.mutate()} data-testid="student-token-save">
              Check and keep
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
