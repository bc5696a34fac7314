// A run's metrics: merged page by page into sync_runs.metrics, summarised when the run ends, and
// emitted as one structured log line (the origin's "metrics block", machine-readable).
import type { SyncRunRow } from "../../shared/db/schema";
import type { MeterSnapshot } from "../providers/meter";

export type RunMetrics = {
  created: number;
  updated: number;
  deleted: number;
  bytes: number;
  /** Requests sent per epoch second. */
  per_second: Record<string, number>;
  /** Rate-limiter calls (absent on runs stored before they were counted): see RequestMeter. */
  reservations?: number;
  claims?: number;
  reclaims?: number;
};

export type RunSummary = RunMetrics & {
  duration_ms: number;
  requests: number;
  throttled: number;
  avg_rps: number;
  peak_rps: number;
  entities_seen: number;
};

export function emptyMetrics(): RunMetrics {
  return { created: 0, updated: 0, deleted: 0, bytes: 0, per_second: {} };
}

export function readMetrics(run: SyncRunRow): RunMetrics {
  return { ...emptyMetrics(), ...(run.metrics as Partial<RunMetrics> | null) };
}

export function mergeMetrics(m: RunMetrics, page: { created: number; updated: number; deleted?: number }, meter: MeterSnapshot): RunMetrics {
  const per_second = { ...m.per_second };
  for (const [second, n] of Object.entries(meter.perSecond)) per_second[second] = (per_second[second] ?? 0) + n;
  return {
    created: m.created + page.created,
    updated: m.updated + page.updated,
    deleted: m.deleted + (page.deleted ?? 0),
    bytes: m.bytes + meter.bytes,
    per_second,
    reservations: (m.reservations ?? 0) + (meter.limiter?.reservations ?? 0),
    claims: (m.claims ?? 0) + (meter.limiter?.claims ?? 0),
    reclaims: (m.reclaims ?? 0) + (meter.limiter?.reclaims ?? 0),
  };
}

export function summarise(run: SyncRunRow, m: RunMetrics, finishedAt: number): RunSummary {
  const started = run.startedAt ?? run.queuedAt;
  const duration_ms = Math.max(0, finishedAt - started);
  const counts = Object.values(m.per_second);
  const requests = counts.reduce((a, b) => a + b, 0);
  // Average over the seconds the run was sending, so queue waits before it started do not count.
  const seconds = Object.keys(m.per_second).map(Number);
  const span = seconds.length ? Math.max(...seconds) - Math.min(...seconds) + 1 : 0;
  return {
    ...m,
    duration_ms,
    requests,
    throttled: run.throttled,
    avg_rps: span ? Number((requests / span).toFixed(2)) : 0,
    peak_rps: counts.length ? Math.max(...counts) : 0,
    entities_seen: run.entitiesSeen,
  };
}

export function logRunEnd(run: SyncRunRow, status: string, summary: RunSummary): void {
  console.log(
    JSON.stringify({
      event: "sync.run.finished",
      run_id: run.id,
      location_id: run.locationId,
      kind: run.kind,
      mode: run.mode,
      status,
      ...summary,
      per_second: undefined,
    }),
  );
}
