// One unit of sync work: fetch a page of contacts, then write it and the checkpoint atomically.
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { contacts, locations, type NewContactRow, type SyncRunRow, syncRuns } from "../../shared/db/schema";
import { toContactRow } from "../contacts/rows";
import { chunk, excludedSet, rowsPerStatement } from "../db/upsert";
import type { Db } from "../env";
import type { ContactSource } from "../providers/contact-source";

export type PageOutcome =
  | { applied: true; done: boolean; count: number }
  | { applied: false; reason: "not_active" | "already_applied" | "ahead" };

const CONTACT_COLUMNS = Object.keys(getTableColumns(contacts)).length;
// related_synced_at belongs to the tasks/notes fetch, not to the contact sync: never overwritten here.
const contactUpdate = excludedSet(contacts, ["id", "locationId", "externalId", "relatedSyncedAt"]);

function upsertContacts(db: Db, rows: NewContactRow[]) {
  return chunk(rows, rowsPerStatement(CONTACT_COLUMNS)).map((part) =>
    db
      .insert(contacts)
      .values(part)
      .onConflictDoUpdate({
        target: [contacts.locationId, contacts.externalId],
        set: contactUpdate,
        // Never let an older copy overwrite a newer one (a redelivered page, a late webhook).
        setWhere: sql`excluded.date_updated >= ${contacts.dateUpdated} or ${contacts.deleted} = 1`,
      }),
  );
}

/**
 * Applies page `page` of `run`. A message whose page is not the run's next one is a redelivery or
 * a duplicate: it changes nothing. The run update is guarded by pages_done, so even two copies
 * racing count the page once; the contact upserts themselves are idempotent.
 */
export async function applyContactsPage(
  db: Db,
  source: ContactSource,
  run: SyncRunRow,
  page: number,
  now: () => number,
  signal?: AbortSignal,
): Promise<PageOutcome> {
  if (run.status !== "queued" && run.status !== "running") return { applied: false, reason: "not_active" };
  if (run.pagesDone > page) return { applied: false, reason: "already_applied" };
  if (run.pagesDone < page) return { applied: false, reason: "ahead" };

  const result = await source.fetchPage(page === 0 ? null : run.cursor, signal);
  const at = now();
  const done = result.next === null;
  const rows = result.contacts.map((c) => toContactRow(run.locationId, c, at));
  const liveCount = sql`(select count(*) from ${contacts} where ${contacts.locationId} = ${run.locationId} and ${contacts.deleted} = 0)`;

  await db.batch([
    db
      .update(syncRuns)
      .set({
        status: done ? "succeeded" : "running",
        cursor: result.next,
        pagesDone: page + 1,
        continuationSent: false,
        entitiesSeen: sql`${syncRuns.entitiesSeen} + ${rows.length}`,
        requests: sql`${syncRuns.requests} + 1`,
        startedAt: sql`coalesce(${syncRuns.startedAt}, ${at})`,
        heartbeatAt: at,
        finishedAt: done ? at : null,
      })
      .where(and(eq(syncRuns.id, run.id), eq(syncRuns.pagesDone, page))),
    ...upsertContacts(db, rows),
    db
      .update(locations)
      .set({
        dataVersion: sql`${locations.dataVersion} + 1`,
        contactCount: liveCount,
        updatedAt: at,
        ...(done ? { lastSyncedAt: at } : {}),
      })
      .where(eq(locations.id, run.locationId)),
  ]);
  return { applied: true, done, count: rows.length };
}
