// The fresh endpoint's sync: pull pages inline until done or the deadline; past the deadline the
// queue carries on from the checkpoint. A sync already under way is joined, not duplicated.
import type { SyncDeps } from "./driver";
import { runPage } from "./driver";
import { UpstreamError } from "../providers/upstream";
import { failRun, getRun } from "./runs";
import { claimContactsSync, sendFirstPage } from "./trigger";

export type FreshOutcome = { state: "fresh" } | { state: "background" } | { state: "error"; message: string };

const POLL_MS = 200;

async function waitForRun(deps: SyncDeps, runId: string, deadline: number): Promise<FreshOutcome> {
  for (;;) {
    const run = await getRun(deps.db, runId);
    if (!run || run.status === "succeeded") return { state: "fresh" };
    if (run.status === "failed" || run.status === "cancelled") {
      return { state: "error", message: run.errorMessage ?? run.status };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { state: "background" };
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, left)));
  }
}

export async function syncWithinDeadline(deps: SyncDeps, locationId: string, deadlineMs: number): Promise<FreshOutcome> {
  const deadline = Date.now() + deadlineMs;
  const { run, created } = await claimContactsSync(deps, locationId, "fresh");
  if (!created) return waitForRun(deps, run.id, deadline);

  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), deadlineMs);
  let page = 0;
  try {
    while (Date.now() < deadline) {
      const outcome = await runPage(deps, run.id, page, stop.signal);
      if (!outcome.applied) return waitForRun(deps, run.id, deadline);
      if (outcome.done) return { state: "fresh" };
      page += 1;
    }
  } catch (err) {
    const handOver = err instanceof UpstreamError && (err.retryable || err.kind === "aborted");
    if (!handOver) {
      const message = err instanceof Error ? err.message : String(err);
      const code = err instanceof UpstreamError ? `upstream_${err.kind}` : "internal_error";
      await failRun(deps.db, run.id, code, message, deps.now());
      return { state: "error", message };
    }
  } finally {
    clearTimeout(timer);
  }
  await sendFirstPage(deps, run, page);
  return { state: "background" };
}
