import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The sentence at the top of a tab saying what it is for. */
export function TabIntro({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" maw={820} data-testid="tab-explanation">
      {children}
    </Text>
  );
}
