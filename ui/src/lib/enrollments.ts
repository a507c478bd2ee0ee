// Words and colours of the Enrollments screen: what each state means to people, and the chips.
import type { Association, EnrollmentCounts } from '../bindings';

/** The chips, in order: a state, or "stuck" / "error" (which cut across states). */
export const FILTERS = ['all', 'pending', 'queued', 'associated', 'denied', 'canceled', 'stuck', 'error'] as const;
export type Filter = (typeof FILTERS)[number];

export const filterLabels: Record<Filter, string> = {
  all: 'All',
  pending: 'Pending',
  queued: 'Queued',
  associated: 'Approved',
  denied: 'Denied',
  canceled: 'Cancelled',
  stuck: 'Stuck',
  error: 'Needs attention',
};

/** How many associations a chip stands for. */
export function countFor(counts: EnrollmentCounts, filter: Filter): number {
  switch (filter) {
    case 'all':
      return counts.total;
    case 'pending':
      return counts.pending;
    case 'queued':
      return counts.queued;
    case 'associated':
      return counts.associated;
    case 'denied':
      return counts.denied;
    case 'canceled':
      return counts.canceled;
    case 'stuck':
      return counts.stuck;
    case 'error':
      return counts.error;
  }
}

export const stateColors: Record<string, string> = {
  pending: 'yellow',
  queued: 'blue',
  associated: 'teal',
  denied: 'red',
  canceled: 'gray',
  finished: 'grape',
};

/** The badge a row shows: what needs attention first, then the home side's state. */
export function badgeOf(a: Association): { label: string; color: string } {
  if (a.status === 'unknown' || a.status === 'sending') return { label: 'Unknown — check', color: 'orange' };
  if (a.stuck) return { label: 'Stuck', color: 'orange' };
  if (a.status === 'error') return { label: `Error${a.state ? ` (${a.state})` : ''}`, color: 'red' };
  if (!a.state) return { label: 'Not read yet', color: 'gray' };
  return { label: a.state, color: stateColors[a.state] ?? 'gray' };
}

/** Who is enrolled, in the words at hand. */
export function studentOf(a: Association): string {
  return a.person_name ?? a.person_email ?? a.person_id ?? 'Not read yet';
}

export function offeringOf(a: Association): string {
  return [a.offering_code, a.offering_name].filter((x): x is string => !!x).join(' · ') || '—';
}

/** Our side's possible changes, with what the home side will see. */
export const remoteStateChanges = [
  {
    value: 'associated',
    label: 'Accept on our side',
    testId: 'association-accept',
    color: 'teal',
    explains: 'The home institution will see that we accept the student in the course.',
  },
  {
    value: 'denied',
    label: 'Deny on our side',
    testId: 'association-deny',
    color: 'red',
    explains: 'The home institution will see that we refuse the student: the enrollment ends.',
  },
  {
    value: 'canceled',
    label: 'Cancel on our side',
    testId: 'association-cancel',
    color: 'gray',
    explains: 'The home institution will see that the enrollment is cancelled on our side: the student is no longer enrolled.',
  },
] as const;

export const whoLabels: Record<string, string> = {
  home: 'Home institution',
  host: 'Us',
  crosswalk: 'Crosswalk',
};
