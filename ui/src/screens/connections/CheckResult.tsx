import { Badge, CloseButton, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ConnectionCheck } from '../../bindings';
import { claimRows, PROVIDER_READ_SCOPE, providerAccess } from '../../lib/tokenClaims';

interface CheckResultProps {
  check: ConnectionCheck;
  /** The providers the connection watches (Open edX), to say which the token may read. */
  providers: string[];
  onClose: () => void;
}

/** What "Test" found: a summary, each step with what happened, and the token's claims if any. */
export function CheckResult({ check, providers, onClose }: CheckResultProps) {
  const access = check.claims ? providerAccess(check.claims, providers) : null;
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      mt="md"
      data-testid="check-result"
      data-ok={String(check.ok)}
      style={{ borderColor: `var(--mantine-color-${check.ok ? 'teal' : 'red'}-outline)` }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500} c={check.ok ? 'teal' : 'red'} data-testid="check-summary">
          {check.summary}
        </Text>
        <CloseButton size="sm" aria-label="Hide the test result" onClick={onClose} />
      </Group>

      <Stack gap={6} mt="xs">
        {check.steps.length === 0 && (
          <Text size="sm" c="dimmed">
            No steps were run.
          </Text>
        )}
        {check.steps.map((step, index) => (
          <Group key={`${index}-${step.name}`} gap="xs" wrap="nowrap" align="flex-start" data-testid="check-step" data-ok={String(step.ok)}>
            <Text span fw={700} c={step.ok ? 'teal' : 'red'} aria-hidden w={16} ta="center">
              {step.ok ? '✔' : '✘'}
            </Text>
            <div>
              <Text size="sm" fw={500}>
                <VisuallyHidden>{step.ok ? 'Passed: ' : 'Failed: '}</VisuallyHidden>
                {step.name}
              </Text>
              <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {step.detail}
              </Text>
            </div>
          </Group>
        ))}
      </Stack>

      {check.claims && (
        <Stack gap={4} mt="sm" data-testid="check-claims">
          <Text size="sm" fw={600}>
            What the access token allows
          </Text>
          <Text size="xs" c="dimmed">
            For Open edX, the scopes and filters decide which providers this client may read: a restricted
            application needs the scope {PROVIDER_READ_SCOPE} and a filter tpa_provider:&lt;provider id&gt; for each
            provider.
          </Text>
          <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={0} layout="fixed">
            <Table.Tbody>
              {claimRows(check.claims).map((row) => (
                <Table.Tr key={row.label} data-testid="claim-row">
                  <Table.Th w={150} style={{ verticalAlign: 'top' }}>
                    <Text size="sm" c="dimmed" fw={500}>
                      {row.label}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {Array.isArray(row.value) ? (
                      row.value.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          none
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {row.value.map((v) => (
                            <Badge key={v} variant="outline" color="gray" tt="none">
                              {v}
                            </Badge>
                          ))}
                        </Group>
                      )
                    ) : (
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {row.value}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              {access && access.length > 0 && (
                <Table.Tr data-testid="provider-access">
                  <Table.Th w={150} style={{ verticalAlign: 'top' }}>
                    <Text size="sm" c="dimmed" fw={500}>
                      Watched providers
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {access.map(({ provider, readable }) => (
                      <Text
                        key={provider}
                        size="sm"
                        c={readable ? 'teal' : 'red'}
                        data-readable={String(readable)}
                        style={{ overflowWrap: 'anywhere' }}
                      >
                        <span aria-hidden>{readable ? '✔ ' : '✘ '}</span>
                        {provider}: {readable ? 'may read' : 'may not read'}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Paper>
  );
}
