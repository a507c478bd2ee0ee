import { Skeleton, Stack } from '@mantine/core';

/** Shown for the moment a screen's code is being loaded. */
export function ScreenLoading() {
  return (
    <Stack gap="sm" aria-label="Loading the screen" data-testid="screen-loading">
      <Skeleton height={32} width={220} />
      <Skeleton height={16} width="70%" />
      <Skeleton height={16} width="55%" />
    </Stack>
  );
}
