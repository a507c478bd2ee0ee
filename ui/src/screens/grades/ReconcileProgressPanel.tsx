import { Button, Group, Paper, Progress, Text } from '@mantine/core';
import { IconPlayerStop } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { reconcilePercent, reconcileProgressText } from '../../lib/gradesStatus';
import { cancelRun, type GradesRun } from '../../lib/gradesSession';

/** A running match or reopen: what it is doing, how far it is, and Cancel. */
export function ReconcileProgressPanel({ run, title }: { run: GradesRun; title: string }) {
  const percent = reconcilePercent(run.progress);
  // It appears below the button that started it: make sure it is seen.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);
  return (
    <Paper
      ref={ref}
      withBorder
      p="sm"
      radius="md"
      data-testid="grades-progress"
      data-phase={run.progress?.phase ?? 'starting'}
    >
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <div>
          <Text size="sm" fw={600}>
            {title}
          </Text>
          <Text size="sm" data-testid="grades-progress-text" aria-live="polite">
            {run.cancelling ? 'Cancelling…' : reconcileProgressText(run.progress)}
          </Text>
        </div>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconPlayerStop size={14} />}
          onClick={() => void cancelRun()}
          loading={run.cancelling}
          data-testid="grades-cancel"
        >
          Cancel
        </Button>
      </Group>
      <Progress
        value={percent ?? 100}
        striped={percent === null}
        animated
        color={percent === null ? 'gray' : undefined}
        aria-label="Matching progress"
      />
      <Text size="xs" c="dimmed" mt={6}>
        Cancelling stops asking Open edX: the learners it has not been asked about yet stay “not linked”.
      </Text>
    </Paper>
  );
}
