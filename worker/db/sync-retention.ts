// Retention's deletes on the sync side: old finished runs (the newest per location and kind stay,
// an active run never goes) and contacts soft-deleted long ago. Each statement removes at most
// `limit` rows; callers repeat until one comes back short.
import { sql } from "drizzle-orm";
import { contactCompanies, contacts, syncRuns } from "../../shared/db/schema";
import type { Db } from "../env";

async function changes(result: Promise<D1Result>): Promise<number> {
  return (await result).meta.changes ?? 0;
}

/** Finished runs queued before `before`, beyond the newest `keep` of their (location, kind). */
export function deleteOldRuns(db: Db, before: number, keep: number, limit: number): Promise<number> {
  return changes(
    db.run(sql`delete from ${syncRuns} where id in (
      select id from (
        select id, queued_at, row_number() over (partition by location_id, kind order by queued_at desc, id desc) as rn
        from ${syncRuns} where status not in ('queued', 'running')
      ) where rn > ${keep} and queued_at < ${before} limit ${limit}
    ) and status not in ('queued', 'running')`),
  );
}

/**
 * Contacts soft-deleted before `before` (contacts.deleted_at, kept by triggers), with their company
 * links; their search index rows go with them (the FTS delete trigger). Returns how many went.
 */
export async function deleteSoftDeletedContacts(db: Db, before: number, limit: number): Promise<number> {
  const gone = await db.all<{ location_id: string; external_id: string }>(
    sql`delete from ${contacts} where id in (
      select id from ${contacts} where deleted_at < ${before} and deleted = 1 limit ${limit}
    ) returning location_id, external_id`,
  );
  if (gone.length) {
    const pairs = JSON.stringify(gone.map((g) => [g.location_id, g.external_id]));
    await db.run(
      sql`delete from ${contactCompanies} where (location_id, contact_external_id) in (select value ->> 0, value ->> 1 from json_each(${pairs}))`,
    );
  }
  return gone.length;
}
