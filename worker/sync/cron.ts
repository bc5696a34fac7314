// The cron trigger: resume runs whose driver died, and refresh locations whose cache is stale.
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { locations } from "../../shared/db/schema";
import { type SyncDeps, enqueueRun } from "./driver";
import { orphanedRuns } from "./runs";
import { startSync } from "./trigger";

const SYNCABLE = "ghl" as const; // AmoCRM joins with issue #4
const KINDS = ["contacts", "conversations", "opportunities"] as const;

export async function refreshStale(deps: SyncDeps): Promise<{ resumed: number; started: number }> {
  const now = deps.now();
  const orphans = await orphanedRuns(deps.db, now);
  for (const run of orphans) await enqueueRun(deps, { run_id: run.id, location_id: run.locationId, kind: run.kind });

  const staleBefore = now - deps.config.SYNC_TTL_SECONDS * 1000;
  const stale = await deps.db
    .select({ id: locations.id })
    .from(locations)
    .where(
      and(
        eq(locations.provider, SYNCABLE),
        isNotNull(locations.credentialsEnc),
        or(isNull(locations.lastSyncedAt), lt(locations.lastSyncedAt, staleBefore)),
      ),
    )
    .limit(200);
  let started = 0;
  for (const { id } of stale) {
    for (const kind of KINDS) {
      if ((await startSync(deps, id, kind, "cron")).created) started++;
    }
  }
  return { resumed: orphans.length, started };
}
