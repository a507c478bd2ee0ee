import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconFolderOpen } from '@tabler/icons-react';
import type { ExportResult } from '../../bindings';
import { CopyAction } from '../../components/CopyAction';
import { countOf, formatCount } from '../../lib/format';
import { useRevealPath } from '../../lib/gradesQueries';
import { notifyError } from '../../lib/notify';

function WrittenFile({ label, path, testId }: { label: string; path: string; testId: string }) {
  const reveal = useRevealPath();
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <div style={{ minWidth: 0 }}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid={`${testId}-path`}>
            {path}
          </Text>
          <CopyAction value={path} label={`Copy the path of the ${label.toLowerCase()}`} />
        </Group>
      </div>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconFolderOpen size={14} />}
        onClick={() => reveal.mutate(path, { onError: (error) => notifyError('Could not show the file', error) })}
        loading={reveal.isPending}
        data-testid={`${testId}-reveal`}
        style={{ flexShrink: 0 }}
      >
        Show in folder
      </Button>
    </Group>
  );
}

/** What the export wrote, and where. */
export function ExportResultNote({ result }: { result: ExportResult }) {
  return (
    <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} />} title="Grades exported" data-testid="grades-export-result">
      <Stack gap="sm">
        <Text size="sm">
          {countOf(result.rows_written, 'row')} written
          {result.skipped > 0 ? `, ${formatCount(result.skipped)} left out on purpose` : ''}
          {result.errors_written > 0
            ? `, ${formatCount(result.errors_written)} in the error file: sort those learners out, then export again.`
            : '. Every row could be exported.'}
        </Text>
        <WrittenFile label="Export" path={result.out_path} testId="grades-export-file" />
        {result.errors_path && <WrittenFile label="Error file" path={result.errors_path} testId="grades-errors-file" />}
        <Text size="xs" c="dimmed">
          Import the export in your LMS or SIS. This export is also listed in History.
        </Text>
      </Stack>
    </Alert>
  );
}
