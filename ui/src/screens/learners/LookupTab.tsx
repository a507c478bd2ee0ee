import { Button, Group, MultiSelect, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { IconFileImport, IconSearch } from '@tabler/icons-react';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { LookupMode } from '../../bindings';
import type { OpenEdxProfile } from '../../lib/connections';
import { countOf } from '../../lib/format';
import { isBulk, parseIds } from '../../lib/ids';
import { modeExplanations, modeLabels } from '../../lib/lookup';
import { useLookupRun } from '../../lib/lookupRun';
import { useImportIds } from '../../lib/mutations';
import { notifyError, notifySuccess } from '../../lib/notify';
import { takeOfferedIds } from '../../lib/offeredIds';
import { ConnectionPicker } from './ConnectionPicker';
import { LookupResults } from './LookupResults';
import { NoWatchedProvider } from './NoWatchedProvider';
import { TabIntro } from './TabIntro';

const modes: LookupMode[] = ['username', 'remote_id', 'auto'];

interface LookupTabProps {
  connections: OpenEdxProfile[];
  connection: OpenEdxProfile;
  onConnectionChange: (id: string) => void;
}

export function LookupTab({ connections, connection, onConnectionChange }: LookupTabProps) {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<LookupMode>('username');
  // Identifiers handed to the app from outside (a file given to Crosswalk) fill the box.
  useEffect(
    () =>
      takeOfferedIds((file) => {
        setText(file.ids.join('\n'));
        if (file.mode) setMode(file.mode);
      }),
    [],
  );
  // The providers picked for one connection; another connection starts with all it watches.
  const [picked, setPicked] = useState<{ connectionId: string; providers: string[] } | null>(null);
  const watched = connection.settings.providers;
  const providers =
    picked?.connectionId === connection.id ? picked.providers.filter((p) => watched.includes(p)) : watched;

  // A pasted column of ten thousand ids is split once typing settles, not on every key.
  const deferredText = useDeferredValue(text);
  const ids = useMemo(() => parseIds(deferredText), [deferredText]);
  const { run, start, cancel } = useLookupRun();
  const running = run !== null && (run.cachePending || run.livePending);
  const importIds = useImportIds();

  const lookUp = () => {
    const now = parseIds(text);
    if (now.length === 0 || providers.length === 0 || running) return;
    void start({ connectionId: connection.id, providers, ids: now, mode });
  };

  const importFile = () => {
    importIds.mutate(undefined, {
      onSuccess: (file) => {
        if (!file) return; // The person closed the dialog.
        setText(file.ids.join('\n'));
        if (file.mode) setMode(file.mode);
        const how = file.mode ? ` The column header says they are ${modeLabels[file.mode].toLowerCase()}s.` : '';
        notifySuccess('Identifiers read', `${countOf(file.ids.length, 'identifier')} from ${file.file}.${how}`);
      },
      onError: (error) => notifyError('Could not read the file', error),
    });
  };

  return (
    <Stack gap="md">
      <TabIntro>
        Find out who learners are in your own systems. Paste one identifier or a whole spreadsheet column
        (thousands are fine), or import a CSV or Excel file. The local mirror answers at once, even offline;
        then Open edX&apos;s live answer replaces it.
      </TabIntro>

      {watched.length === 0 && <NoWatchedProvider connection={connection} />}

      <Stack gap={4}>
        <Textarea
          label="Identifiers"
          description="One per line, or separated by commas, semicolons, tabs or spaces. Repeats are looked up once."
          placeholder={'jdoe\nasmith\n20231234'}
          autosize
          minRows={4}
          maxRows={10}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) lookUp();
          }}
          spellCheck={false}
          data-testid="lookup-input"
          maw={820}
        />
        <Text size="sm" c="dimmed" data-testid="lookup-count" aria-live="polite">
          {countOf(ids.length, 'identifier')}
          {isBulk(ids.length) && ' · a bulk lookup: Open edX is asked 50 at a time, with progress you can cancel'}
        </Text>
      </Stack>

      <Group align="flex-end" gap="md">
        <ConnectionPicker connections={connections} value={connection} onChange={onConnectionChange} testId="lookup-connection" />
        <MultiSelect
          label="Providers"
          description="Where to look (all watched ones to begin with)"
          data={watched}
          value={providers}
          onChange={(value) => setPicked({ connectionId: connection.id, providers: value })}
          placeholder={providers.length === 0 ? 'Pick at least one' : undefined}
          disabled={watched.length === 0}
          miw={300}
          maw={520}
          data-testid="lookup-providers"
        />
      </Group>

      <Stack gap={4}>
        <Text size="sm" fw={500}>
          The identifiers are
        </Text>
        <SegmentedControl
          value={mode}
          onChange={(value) => setMode(value as LookupMode)}
          data={modes.map((m) => ({ value: m, label: modeLabels[m] }))}
          w="fit-content"
          data-testid="lookup-mode"
        />
        <Text size="sm" c="dimmed" data-testid="lookup-mode-explanation">
          {modeExplanations[mode]}
        </Text>
      </Stack>

      <Group gap="sm">
        <Button
          leftSection={<IconSearch size={16} />}
          onClick={lookUp}
          disabled={ids.length === 0 || providers.length === 0}
          loading={running}
          data-testid="lookup-run"
        >
          Look up
        </Button>
        <Button
          variant="default"
          leftSection={<IconFileImport size={16} />}
          onClick={importFile}
          loading={importIds.isPending}
          data-testid="lookup-import"
        >
          Import CSV/Excel…
        </Button>
        {providers.length === 0 && watched.length > 0 && (
          <Text size="sm" c="orange">
            Pick at least one provider to look in.
          </Text>
        )}
      </Group>

      {run && <LookupResults run={run} onCancel={() => void cancel()} />}
    </Stack>
  );
}
