// What the screen says about a launch the back end made. The summary never holds the signature:
// the back end masks it, and `shownValue` masks again whatever a parameter marked masked carries.
import type { LaunchSummary, ShownParam } from '../bindings';

/** How a masked parameter is shown (the back end sends the same). */
export const MASK = '••••••';

/** A parameter's value as the screen may show it: never the value of a masked parameter. */
export function shownValue(param: ShownParam): string {
  return param.masked ? MASK : param.value;
}

/** Where the learner lands: "context ctx-1", "class 4711", or that no class was given. */
export function launchTarget({ class_id, context_id }: Pick<LaunchSummary, 'class_id' | 'context_id'>): string {
  if (context_id) return `context ${context_id}`;
  if (class_id) return `class ${class_id}`;
  return 'no class (the learner lands on their OpenLearning home page)';
}

/** When the one-shot page stops answering; null when there is none or the time is unreadable. */
export function expiryOf(summary: Pick<LaunchSummary, 'expires_at'>): Date | null {
  if (!summary.expires_at) return null;
  const date = new Date(summary.expires_at);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Milliseconds until the one-shot page expires (0 once it has); null when it has no expiry. */
export function msUntilExpiry(summary: Pick<LaunchSummary, 'expires_at'>, now: Date): number | null {
  const expiry = expiryOf(summary);
  return expiry === null ? null : Math.max(0, expiry.getTime() - now.getTime());
}
