import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type Ref } from 'react';
import type { ProfileView, SecretField, SecretStatus } from '../../bindings';
import { KEYRING_NOTE, secretFieldLabels, secretPlaceholder } from '../../lib/connectionForm';
import { useClearSecret } from '../../lib/mutations';
import { toAppError } from '../../lib/backend';

interface SecretInputProps {
  field: SecretField;
  testId: string;
  /** Where the saved connection's secret comes from; null while adding. */
  status: SecretStatus | null;
  secretEnv: string | null;
  /** The saved connection, for Clear; null while adding. */
  connectionId: string | null;
  onCleared: (view: ProfileView) => void;
  inputRef: Ref<HTMLInputElement>;
}

/**
 * A write-only secret: uncontrolled, so what is typed lives only in the input until Save reads it,
 * and React never holds it.
 */
export function SecretInput({ field, testId, status, secretEnv, connectionId, onCleared, inputRef }: SecretInputProps) {
  const [confirming, setConfirming] = useState(false);
  // Shown under the field rather than as a toast: a toast would sit over the form's Save button.
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const clear = useClearSecret();
  const label = secretFieldLabels[field];
  const canClear = connectionId !== null && status?.source === 'keyring';

  async function clearIt() {
    if (connectionId === null) return;
    setOutcome(null);
    try {
      const view = await clear.mutateAsync({ id: connectionId, field });
      onCleared(view);
      setOutcome({
        ok: true,
        message: `${label} cleared: it was removed from your operating system's keyring. The connection cannot sign in until you set a new one.`,
      });
    } catch (error) {
      setOutcome({ ok: false, message: `Could not clear the ${label.toLowerCase()}: ${toAppError(error).message}` });
    } finally {
      setConfirming(false);
    }
  }

  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <PasswordInput
          ref={inputRef}
          label={label}
          description={KEYRING_NOTE}
          placeholder={secretPlaceholder(status, secretEnv)}
          autoComplete="new-password"
          spellCheck={false}
          data-testid={testId}
          data-secret-field={field}
          style={{ flexGrow: 1 }}
        />
        {canClear && !confirming && (
          <Button
            variant="default"
            onClick={() => {
              setOutcome(null);
              setConfirming(true);
            }}
            style={{ flexShrink: 0 }}
            data-testid="clear-secret"
          >
            Clear
          </Button>
        )}
      </Group>
      {confirming && (
        <Group gap="sm" data-testid="clear-secret-confirm">
          <Text size="sm">
            Remove the saved {label.toLowerCase()} from the keyring? The connection cannot sign in until you set a new
            one.
          </Text>
          <Button size="xs" color="red" loading={clear.isPending} onClick={() => void clearIt()} data-testid="confirm-clear-secret">
            Clear it
          </Button>
          <Button size="xs" variant="default" onClick={() => setConfirming(false)} disabled={clear.isPending}>
            Keep it
          </Button>
        </Group>
      )}
      {outcome && (
        <Text size="sm" c={outcome.ok ? 'teal' : 'red'} data-testid="secret-outcome" data-ok={String(outcome.ok)}>
          {outcome.message}
        </Text>
      )}
    </Stack>
  );
}
