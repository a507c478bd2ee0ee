import { ActionIcon, Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { LetterRow } from '../../lib/gradesExport';

interface LetterTableProps {
  bands: LetterRow[];
  onChange: (bands: LetterRow[]) => void;
}

/** The bands of a letter (or pass/fail) grade, editable: a grade gets the label of the highest band it reaches. */
export function LetterTable({ bands, onChange }: LetterTableProps) {
  const set = (index: number, change: Partial<LetterRow>) =>
    onChange(bands.map((band, i) => (i === index ? { ...band, ...change } : band)));

  return (
    <Stack gap={6} data-testid="grades-letters">
      <Text size="xs" c="dimmed">
        A grade gets the label of the highest band it reaches, compared in percent (0.85 is 85 %).
      </Text>
      {bands.map((band, i) => (
        <Group key={i} gap="xs" wrap="nowrap" data-testid="grades-letter-band">
          <NumberInput
            aria-label={`Band ${i + 1}: from percent`}
            value={band.min ?? ''}
            onChange={(value) => set(i, { min: typeof value === 'number' ? value : null })}
            min={0}
            max={100}
            decimalScale={2}
            suffix=" %"
            w={110}
            size="xs"
            data-testid="grades-letter-min"
          />
          <Text size="xs" c="dimmed">
            and up:
          </Text>
          <TextInput
            aria-label={`Band ${i + 1}: label`}
            value={band.label}
            onChange={(event) => set(i, { label: event.currentTarget.value })}
            placeholder="Label, e.g. A"
            w={140}
            size="xs"
            data-testid="grades-letter-label"
          />
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Remove band ${i + 1}`}
            onClick={() => onChange(bands.filter((_, j) => j !== i))}
          >
            <IconTrash size={14} />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconPlus size={12} />}
          onClick={() => onChange([...bands, { min: null, label: '' }])}
          data-testid="grades-letter-add"
        >
          Add a band
        </Button>
      </Group>
    </Stack>
  );
}
