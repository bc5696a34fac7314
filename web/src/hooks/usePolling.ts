// One polling loop: runs `task` now and then every `intervalMs`; after failures it backs off
// (doubling up to maxBackoffMs); stops while `enabled` is false (hidden tab, nothing to watch).
// A new interval (say, a sync just started) restarts the loop at once. poke() runs a tick now.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiError, Outcome } from "../api/http";

/** What a tick reports: ok (or unchanged, 304) keeps the pace; error backs off. */
export type TickResult = "ok" | "error";

/**
 * A tick's answer from one API read: an error is shown (and backs off), data clears it and is
 * handed on; an aborted read (the loop stopped) is no failure.
 */
export function settleTick<T>(out: Outcome<T>, setError: (error: ApiError | null) => void, onData: (data: T) => void): TickResult {
  if (out.kind === "aborted") return "ok";
  if (out.kind === "error") {
    setError(out);
    return "error";
  }
  setError(null);
  onData(out.data);
  return "ok";
}

type Options = { enabled: boolean; intervalMs: number; maxBackoffMs?: number };

export function usePolling(task: (signal: AbortSignal) => Promise<TickResult>, opts: Options): () => void {
  const { enabled, intervalMs, maxBackoffMs = 60_000 } = opts;
  const taskRef = useRef(task);
  useEffect(() => {
    taskRef.current = task;
  });
  const [pokes, setPokes] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const tick = async () => {
      const result = await taskRef.current(ctrl.signal);
      if (ctrl.signal.aborted) return;
      failures = result === "error" ? failures + 1 : 0;
      const delay = failures ? Math.min(maxBackoffMs, intervalMs * 2 ** failures) : intervalMs;
      timer = setTimeout(() => void tick(), delay);
    };
    void tick();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [enabled, intervalMs, maxBackoffMs, pokes]);

  return useCallback(() => setPokes((n) => n + 1), []);
}
