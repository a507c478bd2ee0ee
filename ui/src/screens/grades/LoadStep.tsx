import { Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconFileSpreadsheet, IconFlask, IconFolderOpen } from '@tabler/icons-react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAppInfo } from '../../lib/queries';
import type { LoadReport } from './useLoadReport';

interface LoadStepProps {
  load: LoadReport;
  /** Files are being dragged over the window. */
  dragging: boolean;
  /** A match is running: another report waits until it ends. */
  busy: boolean;
}

/** Step 1: get the grade report in, by drop, dialog or (in demo mode) the demo report. */
export function LoadStep({ load, dragging, busy }: LoadStepProps) {
  const appInfo = useAppInfo();
  const demo = appInfo.data?.demo === true;
  const source = load.isPending ? load.variables.kind : null;

  return (
    <Stack gap="md">
      <Paper
        withBorder
        radius="md"
        p="xl"
        data-testid="grades-drop-zone"
        data-dragging={dragging ? 'true' : undefined}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          borderColor: dragging ? 'var(--mantine-primary-color-filled)' : undefined,
          background: dragging ? 'var(--mantine-primary-color-light)' : undefined,
          transition: 'background 120ms, border-color 120ms',
        }}
      >
        <Stack align="center" gap="sm" py="md">
          <ThemeIcon size={56} radius="xl" variant="light">
            <IconFileSpreadsheet size={30} stroke={1.5} />
          </ThemeIcon>
          <Text fw={600} size="lg" ta="center">
            {dragging ? 'Drop the grade report to read it' : 'Drop a grade report here'}
          </Text>
          <Text size="sm" c="dimmed" ta="center" maw={560}>
            A CSV or Excel file, of any size. Crosswalk only reads it: the file itself is never changed.
          </Text>
          <Group gap="sm" mt="xs">
            <Button
              leftSection={<IconFolderOpen size={16} />}
              onClick={() => load.mutate({ kind: 'dialog' })}
              loading={source === 'dialog' || source === 'drop'}
              disabled={busy || (load.isPending && source === 'demo')}
              data-testid="grades-choose-file"
            >
              Choose file…
            </Button>
            {demo && (
              <Button
                variant="light"
                leftSection={<IconFlask size={16} />}
                onClick={() => load.mutate({ kind: 'demo' })}
                loading={source === 'demo'}
                disabled={busy || (load.isPending && source !== 'demo')}
                data-testid="grades-demo-report"
              >
                Try the demo grade report
              </Button>
            )}
          </Group>
          {busy && (
            <Text size="sm" c="dimmed">
              A match is running: open another report once it has finished.
            </Text>
          )}
        </Stack>
      </Paper>

      {load.isError && (
        <ErrorAlert
          title="Could not read the report"
          error={load.error}
          onRetry={load.variables.kind === 'drop' ? () => load.mutate(load.variables) : undefined}
          retrying={load.isPending}
        />
      )}

      <Stack gap={4} maw={820}>
        <Text size="sm" fw={600}>
          Where to get the report
        </Text>
        <List size="sm" c="dimmed" spacing={2}>
          <List.Item>
            In Open edX, open the course, then Instructor → Data Download → Generate Grade Report (or Generate Problem
            Grade Report). When its name appears in the list below, click it to download it.
          </List.Item>
          <List.Item>
            Any other CSV or Excel file works too, as long as one of its columns holds the learners’ Open edX usernames.
          </List.Item>
          {demo && (
            <List.Item>
              In demo mode, “Try the demo grade report” makes a report of the sandbox’s learners with every kind of row
              in it: matched, not linked, ambiguous, unenrolled and broken lines.
            </List.Item>
          )}
        </List>
      </Stack>
    </Stack>
  );
}
