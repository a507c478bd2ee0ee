import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconPlayerStop, IconUserCheck, IconUserSearch } from '@tabler/icons-react';
import type { OpenLearningUser } from '../../bindings';
import { CopyAction } from '../../components/CopyAction';
import { ErrorAlert } from '../../components/ErrorAlert';
import { toAppError } from '../../lib/backend';
import { idModeExplanations, idModeLabels, idModes, type IdMode, type LaunchForm } from '../../lib/launchRequest';

interface FindLearnerProps {
  form: LaunchForm;
  onChange: (patch: Partial<LaunchForm>) => void;
  /** The learner found for the external id now typed. */
  found: OpenLearningUser | null;
  finding: boolean;
  findError: unknown;
  onFind: () => void;
  /** Stops a find waiting for OpenLearning. */
  onCancelFind: () => void;
}

/** Who to launch: an external id (with Find, to see who it is) or an OpenLearning user id. */
export function FindLearner({ form, onChange, found, finding, findError, onFind, onCancelFind }: FindLearnerProps) {
  const cancelled = findError !== null && toAppError(findError).code === 'cancelled';
  return (
    <Stack gap="sm">
      <Stack gap={4}>
        <Text size="sm" fw={500} id="launch-id-mode-label">
          Name the learner by
        </Text>
        <SegmentedControl
          value={form.mode}
          onChange={(value) => onChange({ mode: value as IdMode })}
          data={idModes.map((m) => ({ value: m, label: idModeLabels[m] }))}
          w="fit-content"
          aria-labelledby="launch-id-mode-label"
          data-testid="launch-id-mode"
        />
        <Text size="sm" c="dimmed" maw={820}>
          {idModeExplanations[form.mode]}
        </Text>
      </Stack>

      {form.mode === 'external_id' ? (
        <>
          <Group align="flex-end" gap="sm">
            <TextInput
              label="External id"
              description="Press Enter or Find to see who it is"
              placeholder="e.g. s1234567"
              value={form.externalId}
              onChange={(event) => onChange({ externalId: event.currentTarget.value })}
              onKeyDown={(event) => {
                if (event.key === 'Enter') onFind();
              }}
              spellCheck={false}
              autoComplete="off"
              w={320}
              data-testid="launch-external-id"
            />
            <Button
              variant="default"
              leftSection={<IconUserSearch size={16} />}
              onClick={onFind}
              disabled={form.externalId.trim() === ''}
              loading={finding}
              data-testid="launch-find"
            >
              Find
            </Button>
            {finding && (
              <Button
                variant="subtle"
                color="gray"
                leftSection={<IconPlayerStop size={16} />}
                onClick={onCancelFind}
                data-testid="launch-find-cancel"
              >
                Cancel
              </Button>
            )}
          </Group>
          {found && <FoundUser user={found} />}
          {cancelled && (
            <Alert color="gray" variant="light" title="Find stopped" data-testid="launch-find-cancelled" maw={640}>
              <Text size="sm">OpenLearning was not asked to the end, so nobody was found or remembered. Press Find to ask again.</Text>
            </Alert>
          )}
          {findError !== null && !cancelled && (
            <div data-testid="launch-find-error">
              <ErrorAlert title="Could not find the learner" error={findError} />
            </div>
          )}
        </>
      ) : (
        <TextInput
          label="OpenLearning user id"
          placeholder="e.g. 12345"
          value={form.userId}
          onChange={(event) => onChange({ userId: event.currentTarget.value })}
          spellCheck={false}
          autoComplete="off"
          w={320}
          data-testid="launch-user-id"
        />
      )}
    </Stack>
  );
}

function FoundUser({ user }: { user: OpenLearningUser }) {
  return (
    <Paper withBorder p="sm" radius="md" maw={640} data-testid="launch-found-user" data-user-id={user.user_id}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <IconUserCheck size={20} color="var(--mantine-color-teal-6)" style={{ flexShrink: 0, marginTop: 2 }} />
        <Stack gap={2}>
          <Text fw={600} data-testid="launch-found-name">
            {user.full_name ?? 'No name in OpenLearning'}
          </Text>
          <Group gap={4} wrap="nowrap">
            <Text size="sm">
              OpenLearning user id{' '}
              <Text span ff="monospace" data-testid="launch-found-user-id">
                {user.user_id}
              </Text>
            </Text>
            <CopyAction value={user.user_id} label="Copy user id" />
          </Group>
          <Text size="sm" c={user.email ? undefined : 'dimmed'} data-testid="launch-found-email">
            {user.email ?? 'No email in OpenLearning'}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
