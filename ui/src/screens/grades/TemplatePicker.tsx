import { Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Template } from '../../bindings';
import { templateOrder, templates } from '../../lib/gradesExport';

/** The receiving system, each with a line on what it imports. */
export function TemplatePicker({ value, onChange }: { value: Template; onChange: (template: Template) => void }) {
  return (
    <Radio.Group
      value={value}
      onChange={(v) => onChange(v as Template)}
      label="Where the grades go"
      description="Pick the system that will import the file: Crosswalk writes the columns it expects."
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm" mt="xs" data-testid="grades-template" data-value={value}>
        {templateOrder.map((template) => (
          <Radio.Card key={template} value={template} radius="md" p="sm" data-testid={`grades-template-${template}`}>
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} />
              <Stack gap={2}>
                <Text fw={600} size="sm">
                  {templates[template].label}
                </Text>
                <Text size="xs" c="dimmed">
                  {templates[template].imports}
                </Text>
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
