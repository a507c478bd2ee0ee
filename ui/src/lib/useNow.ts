import { useEffect, useState } from 'react';

/** The current time, renewed every `refreshMs`, for ages shown on screen ("3 h ago"). */
export function useNow(refreshMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), refreshMs);
    return () => window.clearInterval(timer);
  }, [refreshMs]);
  return now;
}
