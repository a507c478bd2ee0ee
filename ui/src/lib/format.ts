// How numbers and times are written on screen. `locale` is left to the system unless a test pins it.

/**
 * "4,458" (or "4.458", "4 458"… as the locale writes it). Grouping is forced: some locales (Spanish,
 * Polish) leave four-digit numbers ungrouped by default, which reads badly beside "12,345".
 */
export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { useGrouping: 'always' }).format(n);
}

/** "1 learner", "3,003 learners". `plural` defaults to the noun plus "s". */
export function countOf(n: number, noun: string, plural = `${noun}s`, locale?: string): string {
  return `${formatCount(n, locale)} ${n === 1 ? noun : plural}`;
}

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Date and time in the user's own format, e.g. "14 Mar 2025, 09:41:07". Unreadable input comes back unchanged. */
export function formatLocalTime(value: string | Date, locale?: string, timeZone?: string): string {
  const date = toDate(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(date);
}

/** Only the clock time, e.g. "09:41:07". */
export function formatClockTime(value: string | Date, locale?: string, timeZone?: string): string {
  const date = toDate(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone }).format(date);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** "just now", "5 minutes ago", "yesterday", "in 2 hours". */
export function formatRelative(value: string | Date, now: Date = new Date(), locale?: string): string {
  const date = toDate(value);
  if (!date) return '';
  const diff = date.getTime() - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 45 * SECOND) return 'just now';

  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', YEAR],
    ['month', MONTH],
    ['week', WEEK],
    ['day', DAY],
    ['hour', HOUR],
    ['minute', MINUTE],
  ];
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'minute') {
      return rtf.format(Math.round(diff / size) || Math.sign(diff), unit);
    }
  }
  return 'just now';
}

export interface PageInfo {
  page: number;
  page_size: number;
  count: number;
  num_pages: number;
}

/** "Page 2 of 31, showing learners 101–200". */
export function pageSummary({ page, page_size, count, num_pages }: PageInfo, plural: string, locale?: string): string {
  if (count === 0) return `No ${plural} to show.`;
  const first = (page - 1) * page_size + 1;
  const last = Math.min(page * page_size, count);
  if (first > count) return `Page ${formatCount(page, locale)} is past the end of the list.`;
  const n = (x: number) => formatCount(x, locale);
  return `Page ${n(page)} of ${n(Math.max(num_pages, 1))}, showing ${plural} ${n(first)}–${n(last)}`;
}

/**
 * A short age for tables: "just now", "12 min ago", "3 h ago", "5 d ago". Empty for a missing or
 * unreadable time.
 */
export function formatAgo(value: string | Date, now: Date = new Date()): string {
  const date = toDate(value);
  if (!date || value === '') return '';
  const diff = Math.max(0, now.getTime() - date.getTime());
  if (diff < 45 * SECOND) return 'just now';
  if (diff < HOUR) return `${Math.max(1, Math.round(diff / MINUTE))} min ago`;
  if (diff < DAY) return `${Math.round(diff / HOUR)} h ago`;
  return `${formatCount(Math.round(diff / DAY))} d ago`;
}

/** "about 40 s left", "about 3 min left", "about 1 h 20 min left"; null while it is not known yet. */
export function formatTimeLeft(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return 'working out the time left';
  if (ms < 1500) return 'almost done';
  // Rounded first, so 59.7 s reads "about 1 min", never "about 60 s".
  const seconds = Math.round(ms / SECOND);
  if (seconds < 60) return `about ${seconds} s left`;
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}
