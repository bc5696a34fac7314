// A run's metrics object is free-form JSON on the API (Record<string, unknown>); read the summary
// numbers the sync engine stores (worker/sync/metrics.ts RunSummary) with a type check each.
import type { SyncRunView } from "../../../../shared/schemas/sync";

export type RunFigures = {
  avgRps: number | null;
  peakRps: number | null;
  durationMs: number | null;
  created: number | null;
  updated: number | null;
  deleted: number | null;
};

function num(m: Record<string, unknown> | null, key: string): number | null {
  const v = m?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function figuresOf(run: SyncRunView): RunFigures {
  const m = run.metrics;
  return {
    avgRps: num(m, "avg_rps"),
    peakRps: num(m, "peak_rps"),
    durationMs: num(m, "duration_ms"),
    created: num(m, "created"),
    updated: num(m, "updated"),
    deleted: num(m, "deleted"),
  };
}
