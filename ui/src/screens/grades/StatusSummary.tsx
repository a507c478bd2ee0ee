import { Alert, Group, List, Paper, SimpleGrid, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconDatabase, IconPlayerStop } from '@tabler/icons-react';
import type { Reconciliation, RowStatus } from '../../bindings';
import { countOf, formatCount, formatLocalTime } from '../../lib/format';
import {
  countFor,
  mirrorNote,
  problemText,
  shownStatuses,
  statusColors,
  statusLabels,
  statusShort,
} from '../../lib/gradesStatus';
import { useNow } from '../../lib/useNow';

/** How many problems the summary lists; all of them are in the rows table and the error file. */
const PROBLEMS_LISTED = 5;

interface CountCardProps {
  label: string;
  count: number;
  note: string;
  color: string;
  selected: boolean;
  onClick: () => void;
  testId: string;
}

function CountCard({ label, count, note, color, selected, onClick, testId }: CountCardProps) {
  return (
    <UnstyledButton
      onClick={onClick}
      aria-pressed={selected}
      aria-label={`${label}: ${formatCount(count)}. Show ${selected ? 'all rows' : `only these rows`}`}
      data-testid={testId}
      data-count={count}
      data-selected={selected ? 'true' : undefined}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    >
      <Paper
        withBorder
        radius="md"
        p="sm"
        h="100%"
        style={{
          // An outline, not a thicker border: selecting a card moves nothing.
          outline: selected ? `2px solid var(--mantine-color-${color}-filled)` : undefined,
          outlineOffset: -1,
          background: selected ? `var(--mantine-color-${color}-light)` : undefined,
        }}
      >
        <Text size="xl" fw={700} c={count > 0 ? `${color}.7` : 'dimmed'} lh={1.2} data-testid="grades-count-value">
          {formatCount(count)}
        </Text>
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

interface StatusSummaryProps {
  reconciliation: Reconciliation;
  filter: RowStatus | null;
  onFilter: (status: RowStatus | null) => void;
}

/** The counts (each one filters the rows table), where the links came from, and what went wrong. */
export function StatusSummary({ reconciliation: r, filter, onFilter }: StatusSummaryProps) {
  const now = useNow();
  const note = mirrorNote(r, now);
  const extraProblems = r.counts.problems - Math.min(r.problems.length, PROBLEMS_LISTED);

  return (
    <Stack gap="sm" data-testid="grades-summary">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        <CountCard
          label="All rows"
          count={r.counts.rows}
          note="Every line of the report"
          color="indigo"
          selected={filter === null}
          onClick={() => onFilter(null)}
          testId="grades-count-all"
        />
        {shownStatuses(r.counts).map((status) => (
          <CountCard
            key={status}
            label={statusLabels[status]}
            count={countFor(r.counts, status)}
            note={statusShort[status]}
            color={statusColors[status]}
            selected={filter === status}
            onClick={() => onFilter(filter === status ? null : status)}
            testId={`grades-count-${status}`}
          />
        ))}
      </SimpleGrid>

      <Group gap={6} wrap="nowrap" align="flex-start">
        <IconDatabase size={16} style={{ flexShrink: 0, marginTop: 2 }} color={note.warn ? 'var(--mantine-color-orange-6)' : undefined} />
        <Tooltip label={r.mirror_synced_at ? `Mirror synced ${formatLocalTime(r.mirror_synced_at)}` : 'No mirror'} disabled={!r.mirror_synced_at}>
          <Text size="sm" c={note.warn ? 'orange' : 'dimmed'} data-testid="grades-mirror-age">
            {note.text}
          </Text>
        </Tooltip>
      </Group>

      {r.cancelled && (
        <Alert color="blue" variant="light" icon={<IconPlayerStop size={20} />} title="Live lookups cancelled" data-testid="grades-cancelled">
          You cancelled the live lookups, so the learners Open edX was not asked about count as “not linked”. Match again
          to finish them.
        </Alert>
      )}
      {r.live_errors.length > 0 && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle size={20} />}
          title="Some live lookups failed"
          data-testid="grades-live-errors"
        >
          <Text size="sm">
            The learners in those requests count as “not linked”. Check the connection in Connections (or try again
            later), then match again.
          </Text>
          <List size="sm" mt={4}>
            {r.live_errors.map((error) => (
              <List.Item key={error}>{error}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {r.problems.length > 0 && (
        <Paper withBorder radius="md" p="sm" data-testid="grades-problems">
          <Text size="sm" fw={600} mb={4}>
            Lines Crosswalk could not read
          </Text>
          <List size="sm" spacing={2}>
            {r.problems.slice(0, PROBLEMS_LISTED).map((p) => (
              <List.Item key={p.line} data-testid="grades-problem">
                {problemText(p)}
              </List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed" mt={4}>
            {extraProblems > 0 ? `And ${countOf(extraProblems, 'more line')}. ` : ''}
            Every problem goes to the error file, with its line number, so you can fix the report and load it again.
          </Text>
        </Paper>
      )}
    </Stack>
  );
}
