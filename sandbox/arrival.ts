// When a request reached the simulated upstream. A real upstream counts requests against its rate
// limit at its edge, as they arrive; this Worker only sees a request once its isolate is free. It
// was seen busy for 238–327 ms at a time (a CPU profile showed a 225 ms garbage collection pause),
// long enough to bunch the requests that arrived meanwhile into one burst and answer 429 to a
// client that spaced them correctly. The local stack therefore puts a small proxy in front of the sandbox
// (scripts/lib/sandbox-ingress.ts) that stamps each request as it arrives.

export const ARRIVAL_HEADER = "x-sandbox-arrival-ms";

/** How far back an ingress stamp may lie: further means a clock or header that is not ours. */
const MAX_QUEUE_MS = 60_000;

/**
 * The ingress stamp when there is a plausible one (not after `now`, not long before), else `now`:
 * a stamp can only move an arrival back by the time the request waited for this isolate.
 */
export function arrivalTime(req: Request, now: number): number {
  const raw = req.headers.get(ARRIVAL_HEADER);
  const stamped = raw === null || raw === "" ? Number.NaN : Number(raw);
  return Number.isFinite(stamped) && stamped <= now && now - stamped <= MAX_QUEUE_MS ? stamped : now;
}
