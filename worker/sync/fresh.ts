// The fresh endpoint's sync: drive the contacts run inline until it is done or the deadline; past
// the deadline the queue carries on from the checkpoint. A run already driven elsewhere is waited
// for, not duplicated.
import { UpstreamError } from "../providers/upstream";
import { driveRun } from "./drive";
import { type SyncDeps, enqueueRun, withInvocationBudget } from "./driver";
import { parkForQuota } from "./park";
import { failRun, getRun } from "./runs";
import { claimSync } from "./trigger";

export type FreshOutcome = { state: "fresh" } | { state: "background" } | { state: "error"; message: string };

const POLL_MS = 200;

async function waitForRun(deps: SyncDeps, runId: string, deadline: number): Promise<FreshOutcome> {
  for (;;) {
    const run = await getRun(deps.db, runId);
    if (!run || run.status === "succeeded") return { state: "fresh" };
    if (run.status === "failed" || run.status === "cancelled") return { state: "error", message: run.errorMessage ?? run.status };
    const left = deadline - Date.now();
    if (left <= 0) return { state: "background" };
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, left)));
  }
}

export async function syncWithinDeadline(deps: SyncDeps, locationId: string, deadlineMs: number): Promise<FreshOutcome> {
  const deadline = Date.now() + deadlineMs;
  const { run, created } = await claimSync(deps, locationId, "contacts", "fresh");
  if (!created) return waitForRun(deps, run.id, deadline);

  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), deadlineMs);
  // The request is an invocation too: its pages count against the same platform limits.
  const driving = withInvocationBudget(deps);
  try {
    const outcome = await driveRun(driving, run.id, `fresh:${crypto.randomUUID()}`, deadline, stop.signal);
    if (outcome === "done") return { state: "fresh" };
    if (outcome === "not_ours") return waitForRun(deps, run.id, deadline);
  } catch (err) {
    if (err instanceof UpstreamError && err.kind === "quota") {
      await parkForQuota(deps, locationId, err, { type: "sync.run", run_id: run.id, location_id: locationId, kind: "contacts" });
      return { state: "background" };
    }
    const handOver = err instanceof UpstreamError && (err.retryable || err.kind === "aborted");
    if (!handOver) {
      const message = err instanceof Error ? err.message : String(err);
      const code = err instanceof UpstreamError ? `upstream_${err.kind}` : "internal_error";
      await failRun(deps.db, run.id, code, message, deps.now(), deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000);
      return { state: "error", message };
    }
  } finally {
    clearTimeout(timer);
  }
  // Out of time (or upstream was busy): the queue continues from the checkpoint.
  await enqueueRun(deps, { run_id: run.id, location_id: locationId, kind: "contacts" });
  return { state: "background" };
}
