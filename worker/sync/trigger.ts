// Starting syncs: claim a run (or join the one under way) and put it on the queue.
import type { SyncKind, SyncMode, SyncRunRow } from "../../shared/db/schema";
import { type SyncDeps, enqueueRun } from "./driver";
import { type Claim, type ClaimArgs, claimRun, failRun } from "./runs";

/** What a filtered import carries besides kind and mode (its filter and flags, its own mark). */
export type RunExtras = Pick<ClaimArgs, "options" | "since">;

export async function claimSync(
  deps: SyncDeps,
  locationId: string,
  kind: SyncKind,
  trigger: string,
  mode?: SyncMode,
  extra: RunExtras = {},
): Promise<Claim> {
  return claimRun(deps.db, {
    locationId,
    kind,
    trigger,
    mode,
    ...extra,
    now: deps.now(),
    staleMs: deps.config.SYNC_STALE_SECONDS * 1000,
    fullEveryMs: deps.config.FULL_RECONCILE_HOURS * 3_600_000,
  });
}

/** A run that cannot reach the queue must not block single-flight: it fails at once. */
export async function queueRun(deps: SyncDeps, run: SyncRunRow): Promise<void> {
  try {
    await enqueueRun(deps, { run_id: run.id, location_id: run.locationId, kind: run.kind });
  } catch (err) {
    await failRun(deps.db, run.id, "queue_unavailable", `Could not enqueue the sync: ${String(err)}`, deps.now(), deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000);
    throw err;
  }
}

/** Starts a background sync of one kind, or joins the one under way. */
export async function startSync(
  deps: SyncDeps,
  locationId: string,
  kind: SyncKind,
  trigger: string,
  mode?: SyncMode,
  extra: RunExtras = {},
): Promise<Claim> {
  const claim = await claimSync(deps, locationId, kind, trigger, mode, extra);
  if (claim.created) await queueRun(deps, claim.run);
  return claim;
}

export async function startContactsSync(deps: SyncDeps, locationId: string, trigger: string): Promise<SyncRunRow> {
  return (await startSync(deps, locationId, "contacts", trigger)).run;
}
