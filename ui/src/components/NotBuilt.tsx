import { Alert, Card, List, Stack, Text, Title } from '@mantine/core';
import { IconBarrierBlock } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface NotBuiltProps {
  /** What the finished screen will let people do, one item per line. */
  plans: ReactNode[];
}

/** Says plainly that a screen is only a description for now: no fake forms, no pretend buttons. */
export function NotBuilt({ plans }: NotBuiltProps) {
  return (
    <Stack gap="lg" maw={820}>
      <Alert
        color="yellow"
        variant="light"
        icon={<IconBarrierBlock size={20} />}
        title="Not built yet in this version"
        data-testid="not-built"
      >
        This screen only describes what is coming. Nothing here talks to any system yet, and there is
        nothing to fill in. Until it arrives, keep doing this task the way you do today.
      </Alert>
      <Card withBorder padding="lg">
        <Title order={4} mb="xs">
          What it will do
        </Title>
        <List spacing="xs">
          {plans.map((plan, i) => (
            <List.Item key={i}>
              <Text size="sm">{plan}</Text>
            </List.Item>
          ))}
        </List>
      </Card>
    </Stack>
  );
}
