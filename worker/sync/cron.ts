// The cron trigger: the runs watchdog, then a fair refresh of stale locations. An AmoCRM location
// configured with a company filter caches that slice, so it is refreshed by an incremental
// filtered import; every other location by its provider's kinds.
//
// Fair: locations come healthy-first (fewest consecutive failures), then longest-unsynced first;
// a failing location waits out its backoff (next_attempt_at); one whose credentials were refused
// is parked until they are replaced; one with a run in flight is left to the watchdog. The tick
// starts locations only while the invocation's budget has room, so the rest wait for the next
// tick instead of overrunning the platform's limits.
import { amocrmSettingsSchema } from "../../shared/schemas/amocrm";
import { dueLocations, recordFailure } from "../db/location-sync";
import { failStalledRuns, orphanedRuns } from "../db/sync-queries";
import type { Cost } from "../platform/budget";
import { PROVIDER_KINDS } from "../providers/sync-source";
import { leaseMsOf } from "./drive";
import { type SyncDeps, enqueueRun } from "./driver";
import { startRequestedSync } from "./request";
import { startSync } from "./trigger";
import { syncTtlMs } from "./ttl";

/** Locations looked at per tick; how many are started depends on the budget. */
export const CRON_MAX_LOCATIONS = 200;
/** Runs resumed per tick at most. */
const MAX_RESUMES = 100;
/** Starting one location: per kind a claim (a read and a batch of 3) and a queue send. */
const LOCATION_COST: Cost = { subrequests: 4, d1: 17 };
const RESUME_COST: Cost = { subrequests: 1, d1: 0 };

export type CronResult = { failed: number; resumed: number; started: number; locations: number; deferred: number };

/** Fails runs that stopped progressing; resumes runs whose driver died with its lease. */
async function watchRuns(deps: SyncDeps, now: number): Promise<{ failed: number; resumed: number }> {
  const stale = await failStalledRuns(deps.db, now, deps.config.SYNC_STALE_SECONDS * 1000);
  for (const run of stale) {
    await recordFailure(deps.db, run.locationId, "stalled", "A run stopped making progress.", now, deps.config.SYNC_FAILURE_BACKOFF_SECONDS * 1000);
  }
  const orphans = await orphanedRuns(deps.db, now, leaseMsOf(deps), MAX_RESUMES);
  let resumed = 0;
  for (const run of orphans) {
    const hold = deps.budget?.hold(RESUME_COST);
    if (deps.budget && !hold) break;
    await enqueueRun(deps, { run_id: run.id, location_id: run.locationId, kind: run.kind });
    deps.budget?.release(hold ?? null);
    resumed++;
  }
  return { failed: stale.length, resumed };
}

export async function refreshStale(deps: SyncDeps): Promise<CronResult> {
  const now = deps.now();
  const { failed, resumed } = await watchRuns(deps, now);
  const staleBefore = now - deps.config.SYNC_TTL_SECONDS * 1000;
  const webhooks = {
    since: now - deps.config.WEBHOOK_FLOWING_SECONDS * 1000,
    staleBefore: now - syncTtlMs(deps.config, now, now),
  };
  const due = await dueLocations(deps.db, now, staleBefore, CRON_MAX_LOCATIONS, webhooks);
  let started = 0;
  let locations = 0;
  for (const location of due) {
    const hold = deps.budget?.hold(LOCATION_COST);
    if (deps.budget && !hold) break;
    try {
      locations++;
      const settings = amocrmSettingsSchema.safeParse(location.settings);
      if (location.provider === "amocrm" && settings.success && settings.data.company_filter) {
        const runs = await startRequestedSync(deps, location, { mode: "filtered", incremental: true }, "cron");
        started += runs.filter((r) => !r.joined).length;
        continue;
      }
      for (const kind of PROVIDER_KINDS[location.provider]) {
        if ((await startSync(deps, location.id, kind, "cron")).created) started++;
      }
    } finally {
      deps.budget?.release(hold ?? null);
    }
  }
  return { failed, resumed, started, locations, deferred: due.length - locations };
}
