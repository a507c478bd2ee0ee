import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface ScreenHeaderProps {
  title: string;
  /** One plain paragraph: what this screen is for and who would use it. */
  children: ReactNode;
  /** Buttons for the whole screen, shown beside the title. */
  actions?: ReactNode;
}

/** Every screen starts with its name and a plain explanation of what it is for. */
export function ScreenHeader({ title, children, actions }: ScreenHeaderProps) {
  useDocumentTitle(`${title} · Crosswalk`);
  return (
    <Stack gap={6} mb="lg">
      <Group justify="space-between" align="center" wrap="nowrap">
        <Title order={2} data-testid="screen-title">
          {title}
        </Title>
        {actions}
      </Group>
      <Text c="dimmed" maw={820} data-testid="screen-explanation">
        {children}
      </Text>
    </Stack>
  );
}
