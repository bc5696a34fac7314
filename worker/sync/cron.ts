// The cron trigger: resume runs whose driver died, and refresh locations whose cache is stale.
// An AmoCRM location configured with a company filter caches that slice, so it is refreshed by
// an incremental filtered import; every other location by its provider's kinds.
import { and, isNotNull, isNull, lt, or } from "drizzle-orm";
import { locations } from "../../shared/db/schema";
import { amocrmSettingsSchema } from "../../shared/schemas/amocrm";
import { PROVIDER_KINDS } from "../providers/sync-source";
import { type SyncDeps, enqueueRun } from "./driver";
import { startRequestedSync } from "./request";
import { orphanedRuns } from "./runs";
import { startSync } from "./trigger";

export async function refreshStale(deps: SyncDeps): Promise<{ resumed: number; started: number }> {
  const now = deps.now();
  const orphans = await orphanedRuns(deps.db, now);
  for (const run of orphans) await enqueueRun(deps, { run_id: run.id, location_id: run.locationId, kind: run.kind });

  const staleBefore = now - deps.config.SYNC_TTL_SECONDS * 1000;
  const stale = await deps.db
    .select()
    .from(locations)
    .where(and(isNotNull(locations.credentialsEnc), or(isNull(locations.lastSyncedAt), lt(locations.lastSyncedAt, staleBefore))))
    .limit(200);
  let started = 0;
  for (const location of stale) {
    const settings = amocrmSettingsSchema.safeParse(location.settings);
    if (location.provider === "amocrm" && settings.success && settings.data.company_filter) {
      const runs = await startRequestedSync(deps, location, { mode: "filtered", incremental: true }, "cron");
      started += runs.filter((r) => !r.joined).length;
      continue;
    }
    for (const kind of PROVIDER_KINDS[location.provider]) {
      if ((await startSync(deps, location.id, kind, "cron")).created) started++;
    }
  }
  return { resumed: orphans.length, started };
}
