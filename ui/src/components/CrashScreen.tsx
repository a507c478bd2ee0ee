import { Alert, Button, Code, Container, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { endBoot } from '../boot';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/**
 * The last line of defence: a rendering error shows what happened and how to carry on, instead of
 * an empty window. Nothing is lost by reloading: all data lives in the Rust core.
 */
export class CrashBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    endBoot(); // The first frame must not cover what went wrong.
    console.error('Crosswalk screen crashed', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Container size="sm" py="xl" data-testid="crash-screen">
        <Stack>
          <Title order={2}>Something went wrong on this screen</Title>
          <Alert color="red" icon={<IconAlertTriangle />} title="What happened">
            <Code block data-testid="crash-message">
              {error.message}
            </Code>
          </Alert>
          <Text>
            Your data is safe: it is kept by Crosswalk's core, not by this window. Reload the window to carry on. If
            this keeps happening, send the message above and the log file (Activity → Open logs folder) to your
            support team.
          </Text>
          <Button onClick={() => window.location.reload()} w="fit-content">
            Reload the window
          </Button>
        </Stack>
      </Container>
    );
  }
}
