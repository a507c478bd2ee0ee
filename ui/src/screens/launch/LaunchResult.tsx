import { Alert, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import {
  IconClipboardCheck,
  IconClockExclamation,
  IconExternalLink,
  IconFileCheck,
  IconFolderOpen,
  IconListDetails,
} from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { LaunchSummary } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { backend, toAppError } from '../../lib/backend';
import { formatClockTime } from '../../lib/format';
import type { LaunchAction, LaunchOutcome } from '../../lib/launchQueries';
import { launchTarget, msUntilExpiry } from '../../lib/launchSummary';
import { notifyError } from '../../lib/notify';
import { LaunchParams } from './LaunchParams';

const failureTitles: Record<LaunchAction, string> = {
  open: 'Could not open the launch',
  copy: 'Could not copy the launch HTML',
  save: 'Could not save the launch HTML',
  show: 'Could not make a launch to show',
};

interface LaunchResultProps {
  /** The latest action pressed. */
  action: LaunchAction | null;
  outcome: LaunchOutcome | null;
  error: unknown;
}

/** What the latest button press did. Shown while the tab is open, kept nowhere. */
export function LaunchResult({ action, outcome, error }: LaunchResultProps) {
  if (error !== null && action !== null && toAppError(error).code === 'cancelled') {
    return (
      <Alert color="gray" variant="light" title="Launch stopped" data-testid="launch-cancelled" maw={820}>
        <Text size="sm">
          Nothing was opened, copied or saved. If OpenLearning had already signed a launch, it was never used and
          expires on its own. Press a button again to make a new one.
        </Text>
      </Alert>
    );
  }
  if (error !== null && action !== null) {
    return (
      <div data-testid="launch-error">
        <ErrorAlert title={failureTitles[action]} error={error} />
      </div>
    );
  }
  if (!outcome) return null;
  switch (outcome.action) {
    case 'open':
      return <Opened summary={outcome.summary} />;
    case 'copy':
      return (
        <ResultPanel action="copy" icon={<IconClipboardCheck size={20} />} title="Launch HTML copied to the clipboard">
          <Text size="sm">
            Paste it now into the web page or LMS page that should launch the learner. It works once, for whoever
            posts it first, and only for a short time; copy something else once it is pasted.
          </Text>
          <Who summary={outcome.summary} />
        </ResultPanel>
      );
    case 'save':
      return outcome.path === null ? null : <Saved path={outcome.path} />;
    case 'show':
      return (
        <ResultPanel action="show" icon={<IconListDetails size={20} />} title="Launch parameters" color="indigo">
          <Text size="sm">
            This launch was made only to be shown here and was then thrown away. Its signature and nonce are hidden:
            together they are the credential.
          </Text>
          <Who summary={outcome.summary} />
          <Text size="sm">
            The browser would send {outcome.summary.method}{' '}
            <Text span ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="launch-action-url">
              {outcome.summary.action}
            </Text>
          </Text>
          <LaunchParams params={outcome.summary.params} />
        </ResultPanel>
      );
  }
}

interface ResultPanelProps {
  action: LaunchAction;
  icon: ReactNode;
  title: string;
  color?: string;
  children: ReactNode;
}

function ResultPanel({ action, icon, title, color = 'teal', children }: ResultPanelProps) {
  // A new result may appear below the fold: bring it into view.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [action]);
  return (
    <Paper
      ref={ref}
      withBorder
      p="md"
      radius="md"
      maw={1040}
      role="status"
      aria-live="polite"
      data-testid="launch-result"
      data-action={action}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Text c={color} style={{ display: 'flex', flexShrink: 0, marginTop: 2 }}>
          {icon}
        </Text>
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600} data-testid="launch-result-title">
            {title}
          </Text>
          {children}
        </Stack>
      </Group>
    </Paper>
  );
}

/** Who was launched into what, and what the back end had to say about it. */
function Who({ summary }: { summary: LaunchSummary }) {
  return (
    <>
      <Text size="sm" data-testid="launch-result-who">
        OpenLearning user <Text span ff="monospace">{summary.user_id}</Text>, into {launchTarget(summary)}.
      </Text>
      {summary.notes.length > 0 && (
        <List size="sm" data-testid="launch-notes">
          {summary.notes.map((note) => (
            <List.Item key={note}>{note}</List.Item>
          ))}
        </List>
      )}
    </>
  );
}

/** True once the one-shot page has stopped answering; turns on by itself at that moment. */
function useExpired(summary: LaunchSummary): boolean {
  const [now, setNow] = useState(() => new Date());
  const left = msUntilExpiry(summary, now);
  useEffect(() => {
    if (left === null || left === 0) return;
    // Looked at again at the moment it expires (a launch page lives a minute; a longer wait is re-armed).
    const timer = window.setTimeout(() => setNow(new Date()), Math.min(left + 50, 60_000));
    return () => window.clearTimeout(timer);
  }, [left]);
  return left === 0;
}

function Opened({ summary }: { summary: LaunchSummary }) {
  const expired = useExpired(summary);
  const expiry = summary.expires_at ? formatClockTime(summary.expires_at) : null;
  return (
    <ResultPanel action="open" icon={<IconExternalLink size={20} />} title="Opened in your browser">
      <Text size="sm" data-testid="launch-expiry" data-expired={expired ? 'true' : undefined}>
        {expiry === null
          ? 'The link works once, and only for a short time.'
          : expired
            ? `The link expired at ${expiry}. Press Open in browser again for a new launch.`
            : `The link works once and expires at ${expiry}.`}
        {expired && <IconClockExclamation size={14} style={{ verticalAlign: -2, marginLeft: 4 }} />}
      </Text>
      <Who summary={summary} />
      <Text size="xs" c="dimmed">
        No browser window? Press Open in browser again, or use Copy HTML.
      </Text>
    </ResultPanel>
  );
}

function Saved({ path }: { path: string }) {
  const [revealing, setRevealing] = useState(false);
  const reveal = () => {
    setRevealing(true);
    backend
      .revealPath(path)
      .catch((error: unknown) => notifyError('Could not show the file', error))
      .finally(() => setRevealing(false));
  };
  return (
    <ResultPanel action="save" icon={<IconFileCheck size={20} />} title="Launch page saved">
      <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="launch-saved-path">
        {path}
      </Text>
      <Text size="sm">
        Open it in a browser soon: it works once and only for a short time, and whoever opens it first is signed in as
        the learner. Delete the file once it has been used.
      </Text>
      <Group>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconFolderOpen size={14} />}
          onClick={reveal}
          loading={revealing}
          data-testid="launch-reveal"
        >
          Show in folder
        </Button>
      </Group>
    </ResultPanel>
  );
}
