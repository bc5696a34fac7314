import { useEffect, useState } from "react";

/** Date.now(), refreshed every `intervalMs`, so "x min ago" keeps counting without new data. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
