import { Alert, Anchor } from '@mantine/core';
import { Link } from 'react-router';
import type { OpenEdxProfile } from '../../lib/connections';

/** Said wherever a tab needs providers and the connection watches none. */
export function NoWatchedProvider({ connection }: { connection: OpenEdxProfile }) {
  return (
    <Alert color="yellow" variant="light" title="This connection watches no identity provider" data-testid="no-provider">
      Crosswalk only works with the providers a connection is set up to watch, and {connection.name} has none.{' '}
      {connection.demo ? (
        'Demo connections cannot be changed.'
      ) : (
        <>
          Add the providers to watch in the Permissions tab, or by editing the connection in{' '}
          <Anchor component={Link} to="/connections" inherit>
            Connections
          </Anchor>
          .
        </>
      )}
    </Alert>
  );
}
