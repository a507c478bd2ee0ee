import { Alert } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';

/** Why the buttons work the way they do: a launch signs the learner in, once, for whoever uses it first. */
export function SecurityNote() {
  return (
    <Alert
      color="indigo"
      variant="light"
      icon={<IconShieldLock size={20} />}
      title="A launch is a key to the learner's account"
      maw={640}
      style={{ flex: '1 1 420px' }}
      data-testid="launch-security"
    >
      Whoever uses a launch first is signed in as the learner, so every button asks OpenLearning for a fresh one and
      Crosswalk hands it straight to where it goes: your web browser (through a page on this computer that answers
      once and expires after 60 seconds), the clipboard, or a file you choose. This window never sees its signature,
      and nothing about it is kept. Make launches only for learners you are helping, and never send one on.
    </Alert>
  );
}
