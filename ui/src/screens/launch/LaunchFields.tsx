import { Alert, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ChangeEvent } from 'react';
import { contextWins, type LaunchForm } from '../../lib/launchRequest';

interface LaunchFieldsProps {
  form: LaunchForm;
  onChange: (patch: Partial<LaunchForm>) => void;
}

/** Where the launch takes the learner, and what pre-fills their sign-up. All optional. */
export function LaunchFields({ form, onChange }: LaunchFieldsProps) {
  const field = (key: 'classId' | 'contextId' | 'email' | 'fullName') => ({
    value: form[key],
    onChange: (event: ChangeEvent<HTMLInputElement>) => onChange({ [key]: event.currentTarget.value }),
    spellCheck: false,
    autoComplete: 'off',
  });
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" maw={820}>
        <TextInput
          label="Class id"
          description="The OpenLearning class to enrol the learner into (optional)"
          placeholder="e.g. class-101"
          {...field('classId')}
          data-testid="launch-class-id"
        />
        <TextInput
          label="Context id"
          description="Your own system's id for the class delivery (optional)"
          placeholder="e.g. BIO101-2025-S1"
          {...field('contextId')}
          data-testid="launch-context-id"
        />
      </SimpleGrid>
      {contextWins(form.classId, form.contextId) && (
        <Alert
          color="blue"
          variant="light"
          icon={<IconInfoCircle size={18} />}
          maw={820}
          py="xs"
          data-testid="launch-context-wins"
        >
          The context id wins: OpenLearning ignores the class id. Clear one of them if that is not what you want.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" maw={820}>
        <TextInput
          label="Email"
          description="Offers to link an existing account, or pre-fills sign-up (optional)"
          placeholder="e.g. ada.lovelace@student.example.edu"
          type="email"
          {...field('email')}
          data-testid="launch-email"
        />
        <TextInput
          label="Full name"
          description="Pre-fills sign-up (optional)"
          placeholder="e.g. Ada Lovelace"
          {...field('fullName')}
          data-testid="launch-full-name"
        />
      </SimpleGrid>
    </Stack>
  );
}
