// The keyboard shortcuts, listed where people look for them: press ? (or Ctrl/Cmd+/) anywhere.
import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { shortcuts } from './shortcuts';

export function ShortcutsModal({ opened, onClose, mod }: { opened: boolean; onClose: () => void; mod: string }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" data-testid="shortcuts-modal">
      <Stack gap="xs">
        <Table fz="sm">
          <Table.Tbody>
            {shortcuts(mod).map((s) => (
              <Table.Tr key={s.what} data-testid="shortcut">
                <Table.Td w={150}>
                  <Group gap={4} wrap="nowrap">
                    {s.keys.map((k) => (
                      <Kbd key={k}>{k}</Kbd>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{s.what}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          Tab and Shift+Tab move between controls; Enter or Space presses the focused button.
        </Text>
      </Stack>
    </Modal>
  );
}
