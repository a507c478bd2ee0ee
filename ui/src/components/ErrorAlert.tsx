import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { toAppError } from '../lib/backend';

interface ErrorAlertProps {
  /** What could not be done, in a few words: "Could not load learners". */
  title: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
}

/** A failure shown where the content would have been, with the back end's message and a way to try again. */
export function ErrorAlert({ title, error, onRetry, retrying = false }: ErrorAlertProps) {
  const appError = toAppError(error);
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      icon={<IconAlertTriangle size={20} />}
      data-testid="error-alert"
      data-error-code={appError.code}
    >
      <Text size="sm" data-testid="error-message">
        {appError.message}
      </Text>
      {onRetry && (
        <Group mt="sm">
          <Button
            size="xs"
            variant="white"
            color="red"
            leftSection={<IconRefresh size={16} />}
            onClick={onRetry}
            loading={retrying}
            data-testid="retry"
          >
            Retry
          </Button>
        </Group>
      )}
    </Alert>
  );
}
