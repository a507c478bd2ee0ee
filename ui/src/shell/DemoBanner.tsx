import { Alert, Anchor } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { Link } from 'react-router';

export function DemoBanner() {
  return (
    <Alert color="yellow" variant="light" icon={<IconFlask size={20} />} mb="lg" data-testid="demo-banner" py="xs">
      Demo mode: you are looking at made-up data from Crosswalk&apos;s built-in sandbox. Add a connection in{' '}
      <Anchor component={Link} to="/connections" inherit>
        Connections
      </Anchor>{' '}
      to use your own systems.
    </Alert>
  );
}
