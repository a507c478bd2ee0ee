// The time windows offered by the Activity filter.

export const sincePresets = [
  { value: 'hour', label: 'Last hour', ms: 60 * 60 * 1000 },
  { value: 'day', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { value: 'week', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { value: 'all', label: 'All time', ms: null },
] as const;

export type SincePreset = (typeof sincePresets)[number]['value'];

export function isSincePreset(value: string): value is SincePreset {
  return sincePresets.some((p) => p.value === value);
}

/** The RFC 3339 instant a preset starts at, counted back from `now`; `null` for all time. */
export function sinceInstant(preset: SincePreset, now: Date = new Date()): string | null {
  const found = sincePresets.find((p) => p.value === preset);
  if (!found || found.ms === null) return null;
  return new Date(now.getTime() - found.ms).toISOString();
}
