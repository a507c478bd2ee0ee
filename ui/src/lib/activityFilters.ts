// The Activity screen's filters, and how they become the back end's `ActivityQuery`.
import type { ActivityQuery, Outcome } from '../bindings';
import { sinceInstant, type SincePreset } from './since';

export interface ActivityFilters {
  text: string;
  action: string | null;
  outcome: Outcome | null;
  since: SincePreset;
}

export const noActivityFilters: ActivityFilters = { text: '', action: null, outcome: null, since: 'all' };

/** How many entries the screen asks for at most; the count line says when there are more. */
export const ACTIVITY_LIMIT = 500;

export function toActivityQuery(filters: ActivityFilters, now: Date = new Date()): ActivityQuery {
  const text = filters.text.trim();
  return {
    text: text === '' ? null : text,
    action: filters.action,
    outcome: filters.outcome,
    since: sinceInstant(filters.since, now),
    limit: ACTIVITY_LIMIT,
  };
}

export function hasFilters(filters: ActivityFilters): boolean {
  return (
    filters.text.trim() !== '' || filters.action !== null || filters.outcome !== null || filters.since !== 'all'
  );
}
