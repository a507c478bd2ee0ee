import { Box, NavLink, ScrollArea, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { IconHistory, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import type { KnownUser } from '../../bindings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { countOf, formatAgo } from '../../lib/format';
import { useKnownUsers } from '../../lib/launchQueries';
import { useNow } from '../../lib/useNow';

/** With more learners than this, a filter box appears above the list. */
const FILTER_FROM = 6;

interface KnownUsersProps {
  connectionId: string;
  /** The external id in the form, to mark its entry. */
  selected: string | null;
  onPick: (user: KnownUser) => void;
}

function matches(user: KnownUser, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [user.external_id, user.user_id, user.full_name ?? '', user.email ?? ''].some((f) =>
    f.toLowerCase().includes(needle),
  );
}

/** The learners found by external id on this connection before: one click fills the form. */
export function KnownUsers({ connectionId, selected, onPick }: KnownUsersProps) {
  const known = useKnownUsers(connectionId);
  const [filter, setFilter] = useState('');
  const now = useNow();

  let body;
  if (known.isPending) {
    body = <Skeleton height={72} />;
  } else if (known.isError) {
    body = (
      <ErrorAlert
        title="Could not read the learners found before"
        error={known.error}
        onRetry={() => void known.refetch()}
        retrying={known.isFetching}
      />
    );
  } else if (known.data.length === 0) {
    body = (
      <Text size="sm" c="dimmed" data-testid="launch-known-empty">
        None yet. Learners you find by external id are listed here (their ids, name and email only, never a launch).
      </Text>
    );
  } else {
    const shown = known.data.filter((u) => matches(u, filter));
    body = (
      <Stack gap={6}>
        {known.data.length > FILTER_FROM && (
          <TextInput
            size="xs"
            placeholder="Filter by id, name or email"
            aria-label="Filter the learners found before"
            leftSection={<IconSearch size={14} />}
            value={filter}
            onChange={(event) => setFilter(event.currentTarget.value)}
            w={280}
            data-testid="launch-known-filter"
          />
        )}
        <ScrollArea.Autosize mah={240} type="auto">
          <Box role="list" aria-label="Learners found before">
            {shown.map((user) => (
              <Box role="listitem" key={user.external_id}>
                <NavLink
                  component="button"
                  type="button"
                  active={user.external_id === selected}
                  label={
                    <Text size="sm" span>
                      <Text span ff="monospace">
                        {user.external_id}
                      </Text>
                      {user.full_name ? ` · ${user.full_name}` : ''}
                    </Text>
                  }
                  description={`OpenLearning user ${user.user_id}${user.email ? ` · ${user.email}` : ''} · found ${formatAgo(user.found_at, now)}`}
                  onClick={() => onPick(user)}
                  data-testid="launch-known-user"
                  data-external-id={user.external_id}
                />
              </Box>
            ))}
            {shown.length === 0 && (
              <Text size="sm" c="dimmed" p="xs">
                No learner found before matches “{filter.trim()}”.
              </Text>
            )}
          </Box>
        </ScrollArea.Autosize>
      </Stack>
    );
  }

  return (
    <Stack gap={4} maw={640} data-testid="launch-known-users">
      <Text size="sm" fw={500}>
        <IconHistory size={14} style={{ verticalAlign: -2, marginRight: 4 }} />
        Found before
        {known.data && known.data.length > 0 ? ` (${countOf(known.data.length, 'learner')})` : ''}
      </Text>
      {body}
    </Stack>
  );
}
