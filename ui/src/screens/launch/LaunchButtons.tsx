import { Button, Group, Stack, Text } from '@mantine/core';
import { IconClipboardCopy, IconDeviceFloppy, IconExternalLink, IconListDetails, IconPlayerStop } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { LaunchAction } from '../../lib/launchQueries';

interface LaunchButtonsProps {
  /** Why nothing can be launched yet; null when it can. */
  missing: string | null;
  /** The action under way, if any. */
  pending: LaunchAction | null;
  onRun: (action: LaunchAction) => void;
  /** Stops the action under way (shown only while one is). */
  onCancel: () => void;
}

const buttons: { action: LaunchAction; label: string; icon: ReactNode; testId: string; primary?: boolean }[] = [
  { action: 'open', label: 'Open in browser', icon: <IconExternalLink size={16} />, testId: 'launch-open', primary: true },
  { action: 'copy', label: 'Copy HTML', icon: <IconClipboardCopy size={16} />, testId: 'launch-copy-html' },
  { action: 'save', label: 'Save HTML…', icon: <IconDeviceFloppy size={16} />, testId: 'launch-save-html' },
  { action: 'show', label: 'Show parameters', icon: <IconListDetails size={16} />, testId: 'launch-show-params' },
];

/** Each press makes a fresh launch in the back end; nothing is made ahead of time. */
export function LaunchButtons({ missing, pending, onRun, onCancel }: LaunchButtonsProps) {
  return (
    <Stack gap={6}>
      <Group gap="sm">
        {buttons.map((b) => (
          <Button
            key={b.action}
            variant={b.primary ? 'filled' : 'default'}
            leftSection={b.icon}
            onClick={() => onRun(b.action)}
            disabled={missing !== null || (pending !== null && pending !== b.action)}
            loading={pending === b.action}
            data-testid={b.testId}
          >
            {b.label}
          </Button>
        ))}
        {pending !== null && (
          <Button variant="subtle" color="gray" leftSection={<IconPlayerStop size={16} />} onClick={onCancel} data-testid="launch-cancel">
            Cancel
          </Button>
        )}
      </Group>
      <Text size="sm" c={missing ? 'orange' : 'dimmed'} data-testid="launch-buttons-hint">
        {missing ??
          (pending !== null
            ? 'Waiting for OpenLearning. Cancel stops waiting: nothing is opened, copied or saved.'
            : 'Every button asks OpenLearning for a new launch. Open in browser is the safest: the launch goes straight to your browser and works once.')}
      </Text>
    </Stack>
  );
}
