import { ActionIcon, Button, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { AppError } from '../lib/backend';
import { notifyError } from '../lib/notify';

const COPIED_MS = 1500;

function useCopy(value: string) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () =>
        notifyError(
          'Could not copy',
          new AppError(
            'clipboard',
            'The system clipboard refused the text. Select it and press Ctrl+C (⌘C on a Mac) instead.',
          ),
        ),
    );
  };
  return { copied, copy };
}

interface CopyActionProps {
  value: string;
  /** What is copied, for the tooltip and screen readers: "Copy username". */
  label: string;
  testId?: string;
}

/** A small copy icon, for a table cell or a row. */
export function CopyAction({ value, label, testId }: CopyActionProps) {
  const { copied, copy } = useCopy(value);
  return (
    <Tooltip label={copied ? 'Copied' : label} withArrow openDelay={300}>
      <ActionIcon
        variant="subtle"
        color={copied ? 'teal' : 'gray'}
        size="sm"
        aria-label={label}
        onClick={(event) => {
          event.stopPropagation();
          copy();
        }}
        data-testid={testId}
        data-copied={copied ? 'true' : undefined}
      >
        {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** A labelled copy button, for a whole list or a block of text. */
export function CopyTextButton({ value, label, testId }: CopyActionProps) {
  const { copied, copy } = useCopy(value);
  return (
    <Button
      size="xs"
      variant={copied ? 'light' : 'default'}
      color={copied ? 'teal' : undefined}
      leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
      onClick={copy}
      data-testid={testId}
      data-copied={copied ? 'true' : undefined}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}
