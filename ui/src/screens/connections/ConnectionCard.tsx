import { Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCopy, IconPencil, IconPlugConnected, IconTrash } from '@tabler/icons-react';
import type { ProfileView } from '../../bindings';
import { connectionFields, kindColors, kindLabels, secretBadge, type Field } from '../../lib/connections';
import { useDeleteConnection, useDuplicateConnection, useTestConnection } from '../../lib/mutations';
import { notifyError, notifySuccess, notifyWarning } from '../../lib/notify';
import { CheckResult } from './CheckResult';

interface ConnectionCardProps {
  view: ProfileView;
  onEdit: (view: ProfileView) => void;
}

/** One connection: its details, where its secrets are, and what can be done with it. */
export function ConnectionCard({ view, onEdit }: ConnectionCardProps) {
  const { profile, secrets } = view;
  const kind = profile.settings.kind;
  const test = useTestConnection();
  const duplicate = useDuplicateConnection();
  const remove = useDeleteConnection();
  const busy = duplicate.isPending || remove.isPending;
  const secretWords = secrets.map((s) => s.label).join(' and ') || 'secrets';

  async function runTest() {
    test.reset();
    try {
      const check = await test.mutateAsync(profile.id);
      if (check.ok) notifySuccess('Connection works', check.summary);
      else notifyWarning('Connection does not work yet', check.summary);
    } catch (error) {
      notifyError(`Could not test “${profile.name}”`, error);
    }
  }

  async function runDuplicate() {
    try {
      const copy = await duplicate.mutateAsync(profile.id);
      notifySuccess(
        'Connection copied',
        `“${copy.profile.name}” is a copy of “${profile.name}”. Secrets are not copied: set the copy's ${secretWords} with Edit.`,
      );
    } catch (error) {
      notifyError(`Could not copy “${profile.name}”`, error);
    }
  }

  async function runDelete() {
    try {
      await remove.mutateAsync(profile.id);
      notifySuccess('Connection deleted', `“${profile.name}” and its ${secretWords} in the keyring are gone.`);
    } catch (error) {
      notifyError(`Could not delete “${profile.name}”`, error);
    }
  }

  function confirmDelete() {
    const confirmProps = { color: 'red', 'data-testid': 'confirm-delete' };
    modals.openConfirmModal({
      title: `Delete “${profile.name}”?`,
      children: (
        <Text size="sm">
          Crosswalk forgets this connection and deletes its {secretWords} from your operating system&apos;s keyring
          too. This cannot be undone: to use it again you would have to add it again, with its secret. Export it first
          if you might need it later.
        </Text>
      ),
      labels: { confirm: 'Delete connection', cancel: 'Keep it' },
      confirmProps,
      onConfirm: () => void runDelete(),
    });
  }

  return (
    <Card
      withBorder
      padding="lg"
      data-testid="connection-card"
      data-connection-id={profile.id}
      data-connection-name={profile.name}
    >
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <Title order={4}>{profile.name}</Title>
        <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
          <Badge color={kindColors[kind]} variant="light" data-testid="kind-badge">
            {kindLabels[kind]}
          </Badge>
          {profile.demo && (
            <Badge color="yellow" variant="filled" data-testid="demo-badge">
              Demo
            </Badge>
          )}
        </Group>
      </Group>
      <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing={0} layout="fixed">
        <Table.Tbody>
          {connectionFields(view).map((field) => (
            <FieldRow key={field.label} field={field} />
          ))}
        </Table.Tbody>
      </Table>

      <Group gap={6} mt="sm">
        {secrets.map((status) => {
          const badge = secretBadge(status, profile.secret_env);
          return (
            <Badge
              key={status.field}
              color={badge.color}
              variant={badge.tone === 'warning' ? 'filled' : 'light'}
              tt="none"
              data-testid="secret-badge"
              data-secret-source={status.source}
            >
              {badge.text}
            </Badge>
          );
        })}
      </Group>
      {secrets.some((s) => s.source === 'not_set') && (
        <Text size="xs" c="orange" mt={4}>
          A connection cannot sign in without its secrets: press Edit to set them.
        </Text>
      )}

      {profile.demo && (
        <Text size="xs" c="dimmed" mt="sm" data-testid="demo-note">
          Points at Crosswalk&apos;s built-in sandbox, which serves made-up data. It is not saved and goes away when
          demo mode is off, so it cannot be edited, copied or deleted; Test works.
        </Text>
      )}

      <Group gap="xs" mt="md">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlugConnected size={16} />}
          loading={test.isPending}
          onClick={() => void runTest()}
          data-testid="test-connection"
        >
          Test
        </Button>
        {!profile.demo && (
          <>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPencil size={16} />}
              disabled={busy}
              onClick={() => onEdit(view)}
              data-testid="edit-connection"
            >
              Edit
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconCopy size={16} />}
              loading={duplicate.isPending}
              disabled={remove.isPending}
              onClick={() => void runDuplicate()}
              title="Makes a copy with the same settings. Secrets are not copied."
              data-testid="duplicate-connection"
            >
              Duplicate
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={16} />}
              loading={remove.isPending}
              disabled={duplicate.isPending}
              onClick={confirmDelete}
              data-testid="delete-connection"
            >
              Delete
            </Button>
          </>
        )}
      </Group>

      {test.data && (
        <CheckResult
          check={test.data}
          providers={profile.settings.kind === 'openedx' ? profile.settings.providers : []}
          onClose={() => test.reset()}
        />
      )}
    </Card>
  );
}

function FieldRow({ field }: { field: Field }) {
  const color = field.tone === 'warning' ? 'orange' : field.tone === 'dimmed' ? 'dimmed' : undefined;
  return (
    <Table.Tr>
      <Table.Th w={130} style={{ verticalAlign: 'top' }}>
        <Text size="sm" c="dimmed" fw={500}>
          {field.label}
        </Text>
      </Table.Th>
      <Table.Td>
        {Array.isArray(field.value) ? (
          <Group gap={4}>
            {field.value.map((v) => (
              <Badge key={v} variant="outline" color="gray" tt="none">
                {v}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text
            size="sm"
            c={color}
            fw={field.tone === 'warning' ? 600 : undefined}
            ff={field.monospace ? 'monospace' : undefined}
            style={{ overflowWrap: 'anywhere' }}
          >
            {field.value}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
