import { useEffect, useState } from 'react';
import { formatRelative } from '../lib/format';

/** "5 minutes ago", kept current while it is on screen. */
export function RelativeTime({ value, refreshMs = 30_000 }: { value: string; refreshMs?: number }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs]);
  return <time dateTime={value}>{formatRelative(value, now)}</time>;
}
