// Starting syncs: claim a run (or join the running one) and put its first page on the queue.
import type { SyncRunRow } from "../../shared/db/schema";
import { type SyncDeps, enqueuePage } from "./driver";
import { type Claim, claimRun, failRun } from "./runs";

export async function claimContactsSync(deps: SyncDeps, locationId: string, trigger: string): Promise<Claim> {
  return claimRun(deps.db, {
    locationId,
    kind: "contacts",
    trigger,
    now: deps.now(),
    staleMs: deps.config.SYNC_STALE_SECONDS * 1000,
  });
}

/** Starts a background contacts sync of a location, or joins the one under way. */
export async function startContactsSync(deps: SyncDeps, locationId: string, trigger: string): Promise<SyncRunRow> {
  const { run, created } = await claimContactsSync(deps, locationId, trigger);
  if (created) await sendFirstPage(deps, run);
  return run;
}

/** A run that cannot reach the queue must not block single-flight: it fails at once. */
export async function sendFirstPage(deps: SyncDeps, run: SyncRunRow, page = 0): Promise<void> {
  try {
    await enqueuePage(deps, { run_id: run.id, location_id: run.locationId, kind: run.kind, page });
  } catch (err) {
    await failRun(deps.db, run.id, "queue_unavailable", `Could not enqueue the sync: ${String(err)}`, deps.now());
    throw err;
  }
}
