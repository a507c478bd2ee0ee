// About Crosswalk, and "Report a problem": the version, commit and build date; where the data and
// logs are; a short problem report put on the clipboard (versions, OS, the last log lines —
// redacted by the back end, never a secret) and a diagnostics bundle (a zip) for the IT team.
import { Button, Code, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { AppInfo } from '../bindings';
import { ErrorAlert } from '../components/ErrorAlert';
import { backend } from '../lib/backend';
import { notifyError, notifyInfo, notifySuccess } from '../lib/notify';

export function AboutModal({ opened, onClose, info }: { opened: boolean; onClose: () => void; info: AppInfo | undefined }) {
  const copy = useMutation({
    mutationFn: () => backend.copyProblemReport(),
    onSuccess: () => notifySuccess('Copied', 'The problem report is on the clipboard: paste it into your support ticket.'),
  });
  const bundle = useMutation({
    mutationFn: () => backend.saveDiagnostics(),
    onSuccess: (r) => {
      if (r === null) return notifyInfo('Not saved', 'No file was chosen.');
      notifySuccess('Diagnostics saved', `${r.path}: send this file to your IT team. It holds no password, key or token.`);
    },
    onError: (e) => notifyError('The diagnostics bundle could not be saved', e),
  });
  return (
    <Modal opened={opened} onClose={onClose} title="About Crosswalk" size="lg" data-testid="about-modal">
      <Stack gap="sm">
        {info && (
          <Table data-testid="about-versions" fz="sm">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>Version</Table.Th>
                <Table.Td data-testid="about-version">{info.version}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Commit</Table.Th>
                <Table.Td data-testid="about-commit">{info.commit}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Built</Table.Th>
                <Table.Td>{info.build_date}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Data folder</Table.Th>
                <Table.Td>{info.data_dir}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Logs</Table.Th>
                <Table.Td>{info.log_dir}</Table.Td>
              </Table.Tr>
              {info.demo && (
                <Table.Tr>
                  <Table.Th>Mode</Table.Th>
                  <Table.Td>Demo (the built-in sandbox at {info.sandbox_url})</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        )}
        <Text size="sm" fw={600}>
          Report a problem
        </Text>
        <Text size="sm">
          <b>Copy a problem report</b> puts the versions, your system and the last lines of the log on the clipboard, to
          paste into a support ticket. <b>Save diagnostics…</b> writes a zip of the logs and the set-up (the kinds and hosts
          of your connections) for the IT team. Neither ever holds a password, key or token.
        </Text>
        <Group>
          <Button data-testid="about-copy-report" loading={copy.isPending} onClick={() => copy.mutate()}>
            Copy a problem report
          </Button>
          <Button variant="default" data-testid="about-save-diagnostics" loading={bundle.isPending} onClick={() => bundle.mutate()}>
            Save diagnostics…
          </Button>
          <Button variant="default" onClick={() => void backend.openLogsFolder().catch((e: unknown) => notifyError('The logs folder could not be opened', e))}>
            Open logs folder
          </Button>
        </Group>
        {copy.isError && <ErrorAlert title="The report could not be copied" error={copy.error} />}
        {copy.data && (
          <ScrollArea.Autosize mah={240}>
            <Code block data-testid="about-report">
              {copy.data}
            </Code>
          </ScrollArea.Autosize>
        )}
      </Stack>
    </Modal>
  );
}
