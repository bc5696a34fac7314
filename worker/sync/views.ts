// Runs as the API shows them: progress, current rate and an ETA from the bucket's rate.
import type { SyncRunRow } from "../../shared/db/schema";
import type { ParkedView, SyncRunView } from "../../shared/schemas/sync";
import type { Parked } from "../db/location-sync";
import { readMetrics } from "./metrics";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const PHASE = { queued: "waiting", running: "fetching", succeeded: "done", failed: "failed", cancelled: "cancelled" } as const;
const RECENT_SECONDS = 5;

export function toRunView(run: SyncRunRow, opts: { now: number; pageSize: number; rps: number }): SyncRunView {
  const perSecond = readMetrics(run).per_second;
  const nowSecond = Math.floor(opts.now / 1000);
  let recent = 0;
  for (let s = nowSecond - RECENT_SECONDS; s < nowSecond; s++) recent += perSecond[String(s)] ?? 0;
  const active = run.status === "queued" || run.status === "running";
  const remaining = run.totalEstimate !== null ? Math.max(0, run.totalEstimate - run.entitiesSeen) : null;
  const eta = active && remaining !== null ? Math.ceil(Math.ceil(remaining / opts.pageSize) / opts.rps) : null;
  const { per_second: _omit, ...metrics } = (run.metrics ?? {}) as Record<string, unknown>;
  return {
    id: run.id,
    location_id: run.locationId,
    kind: run.kind,
    mode: run.mode,
    status: run.status,
    phase: PHASE[run.status],
    trigger: run.trigger,
    pages_done: run.pagesDone,
    entities_seen: run.entitiesSeen,
    total_estimate: run.totalEstimate,
    requests: run.requests,
    throttled: run.throttled,
    current_rps: active ? Number((recent / RECENT_SECONDS).toFixed(2)) : 0,
    eta_seconds: eta,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage ?? "" } : null,
    reconcile: run.reconcile,
    reconcile_reason: run.reconcile === "skipped" ? run.reconcileReason : null,
    metrics: run.metrics ? metrics : null,
    queued_at: iso(run.queuedAt) ?? "",
    started_at: iso(run.startedAt),
    finished_at: iso(run.finishedAt),
  };
}

export function toParkedView(parked: Parked | null): ParkedView | null {
  return parked && { reason: parked.reason, until: iso(parked.until), message: parked.detail };
}
