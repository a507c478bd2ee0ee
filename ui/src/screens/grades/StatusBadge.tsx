import { Badge } from '@mantine/core';
import type { RowStatus } from '../../bindings';
import { statusColors, statusLabels } from '../../lib/gradesStatus';

/** A row's status, coloured the same everywhere on the Grades screen. */
export function StatusBadge({ status }: { status: RowStatus }) {
  return (
    <Badge variant="light" color={statusColors[status]} data-testid="grade-status" data-status={status}>
      {status === 'problem' ? 'Problem' : statusLabels[status]}
    </Badge>
  );
}
