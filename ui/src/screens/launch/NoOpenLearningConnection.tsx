import { Alert, Anchor, List } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Said instead of the screen when Crosswalk has no OpenLearning connection. */
export function NoOpenLearningConnection() {
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconPlugConnected size={20} />}
      title="No OpenLearning connection yet"
      maw={820}
      data-testid="launch-no-connection"
    >
      Launches are made by OpenLearning for your institution, so this screen needs a connection to it. Add one in{' '}
      <Anchor component={Link} to="/connections" inherit data-testid="launch-add-connection">
        Connections
      </Anchor>{' '}
      (Add connection, then OpenLearning). You need:
      <List size="sm" mt={6}>
        <List.Item>the API address, e.g. https://api.openlearning.com/v2.1/;</List.Item>
        <List.Item>your institution&apos;s id in OpenLearning;</List.Item>
        <List.Item>
          the API key of an administrator of your institution portal (Crosswalk keeps it in the operating system&apos;s
          keyring).
        </List.Item>
      </List>
    </Alert>
  );
}
