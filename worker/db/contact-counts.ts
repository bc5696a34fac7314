// locations.contact_count kept by increments, never by recounting the location's contacts: each
// statement here goes into the same db.batch as the writes it accounts for, BEFORE them, so it
// sees the table as it was (D1 runs a batch as one transaction).
import { type SQL, eq, sql } from "drizzle-orm";
import { contacts, locations } from "../../shared/db/schema";
import type { Db } from "../env";

/** How many of these external ids have no live row yet (they become live with the upserts that follow). */
function notYetLive(locationId: string, externalIds: readonly string[]): SQL {
  return sql`(select count(distinct j.value) from json_each(${JSON.stringify(externalIds)}) j where not exists (select 1 from ${contacts} c where c.location_id = ${locationId} and c.external_id = j.value and c.deleted = 0))`;
}

/** How many of these external ids are live now (they stop being live with the mark that follows). */
function liveNow(locationId: string, externalIds: readonly string[]): SQL {
  return sql`(select count(*) from ${contacts} c where c.location_id = ${locationId} and c.deleted = 0 and c.external_id in (select value from json_each(${JSON.stringify(externalIds)})))`;
}

/** Before upserting contacts: count those that become live, and bump the data version. */
export function countBecomingLive(db: Db, locationId: string, externalIds: readonly string[], at: number) {
  return db
    .update(locations)
    .set({
      contactCount: sql`${locations.contactCount} + ${notYetLive(locationId, externalIds)}`,
      dataVersion: sql`${locations.dataVersion} + 1`,
      updatedAt: at,
    })
    .where(eq(locations.id, locationId));
}

/** Before marking contacts deleted: uncount those that are live (only when `guard` holds). */
export function uncountLive(db: Db, locationId: string, externalIds: readonly string[], at: number, guard: SQL) {
  return db
    .update(locations)
    .set({
      contactCount: sql`${locations.contactCount} - ${liveNow(locationId, externalIds)}`,
      dataVersion: sql`${locations.dataVersion} + 1`,
      updatedAt: at,
    })
    .where(sql`${locations.id} = ${locationId} and ${guard}`);
}
