import { Button, Group, Paper, Stack, TagsInput, Text, Title } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { toAppError } from '../../lib/backend';
import type { OpenEdxProfile } from '../../lib/connections';
import { useSetWatchedProviders } from '../../lib/mutations';
import { notifySuccess } from '../../lib/notify';
import { MAX_GRANTABLE_PROVIDER_ID, tooLongToGrant } from '../../lib/permissionMatrix';

/** The provider ids each saved Open edX connection watches: its lookups, mirrors and matrix columns. */
export function WatchedProviders({ connections }: { connections: OpenEdxProfile[] }) {
  return (
    <Stack gap="sm" mt="lg">
      <Title order={4}>Watched providers</Title>
      <Text size="sm" c="dimmed" maw={820}>
        The provider ids a connection watches decide where Crosswalk looks learners up, which providers it
        mirrors, and the columns above. Type an id and press Enter to add it (as Open edX names it, e.g.
        saml-university), click × to remove one, then Save.
      </Text>
      {connections.map((c) => (
        <WatchedProvidersOf key={c.id} connection={c} />
      ))}
    </Stack>
  );
}

function WatchedProvidersOf({ connection }: { connection: OpenEdxProfile }) {
  const saved = connection.settings.providers;
  const [draft, setDraft] = useState<string[] | null>(null);
  const save = useSetWatchedProviders();
  const value = draft ?? saved;
  const changed = draft !== null && (draft.length !== saved.length || draft.some((p, i) => p !== saved[i]));
  const long = tooLongToGrant(value);

  return (
    <Paper withBorder p="sm" radius="md" data-testid="watched-connection" data-connection={connection.id}>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TagsInput
          label={connection.demo ? `${connection.name} (demo)` : connection.name}
          description={
            connection.demo
              ? 'Demo connections cannot be changed.'
              : 'Provider ids, exactly as Open edX spells them'
          }
          value={value}
          onChange={(providers) => {
            save.reset();
            setDraft(providers);
          }}
          splitChars={[',', ' ', ';']}
          clearable={!connection.demo}
          disabled={connection.demo}
          style={{ flex: 1 }}
          maw={720}
          data-testid="watched-providers"
        />
        <Button
          leftSection={<IconDeviceFloppy size={16} />}
          disabled={connection.demo || !changed}
          loading={save.isPending}
          onClick={() =>
            save.mutate(
              { connectionId: connection.id, providers: value },
              {
                onSuccess: (view) => {
                  setDraft(null);
                  notifySuccess(
                    'Watched providers saved',
                    `${view.profile.name} now watches ${value.length === 0 ? 'no provider' : value.join(', ')}.`,
                  );
                },
              },
            )
          }
          data-testid="save-watched"
        >
          Save
        </Button>
      </Group>
      {long.length > 0 && (
        <Text size="xs" c="orange" mt={4} data-testid="watched-too-long">
          {long.join(', ')} {long.length === 1 ? 'is' : 'are'} longer than {MAX_GRANTABLE_PROVIDER_ID} characters: a
          restricted application cannot be granted {long.length === 1 ? 'it' : 'them'} with a filter (the LMS keeps at
          most 32 characters, and &quot;tpa_provider:&quot; takes 13).
        </Text>
      )}
      {save.isError && (
        <Text size="sm" c="red" mt={4} data-testid="watched-error">
          {toAppError(save.error, 'set_watched_providers').message}
        </Text>
      )}
    </Paper>
  );
}
