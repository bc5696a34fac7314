// Contact list queries, always scoped by location: another location's list is simply not found.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { type ContactListRow, contactLists, importTasks } from "../../shared/db/imports";
import type { ContactListView, ListCreate, ListPatch } from "../../shared/schemas/imports";
import type { Db } from "../env";
import { AppError } from "../http/errors";
import { InvocationBudget } from "./budget";
import { purgeList } from "./retention";

/** What a DELETE may spend removing the list's rows at once; retention finishes larger lists. */
const INLINE_PURGE = { d1: 40, subrequests: 10, wallMs: 5000 };

export function toListView(row: ContactListRow): ContactListView {
  return {
    id: row.id,
    location_id: row.locationId,
    name: row.name,
    description: row.description,
    contact_count: row.contactCount,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

/** The list if it belongs to one of `locationIds`; another location's list is not found. */
export async function requireList(db: Db, locationIds: string[], id: string): Promise<ContactListRow> {
  const row = await db
    .select()
    .from(contactLists)
    .where(
      and(
        eq(contactLists.id, id),
        // A token may name up to 100 locations: one JSON parameter (D1 binds ≤ 100).
        sql`${contactLists.locationId} in (select value from json_each(${JSON.stringify(locationIds)}))`,
        isNull(contactLists.deletedAt),
      ),
    )
    .get();
  if (!row) throw new AppError("list_not_found", `No contact list '${id}'.`);
  return row;
}

export async function listLists(db: Db, locationId: string): Promise<ContactListRow[]> {
  return db
    .select()
    .from(contactLists)
    .where(and(eq(contactLists.locationId, locationId), isNull(contactLists.deletedAt)))
    .orderBy(desc(contactLists.createdAt), desc(contactLists.id)).all();
}

export async function createList(db: Db, locationId: string, input: ListCreate, now: number): Promise<ContactListRow> {
  const row = await db
    .insert(contactLists)
    .values({ id: `cl_${crypto.randomUUID()}`, locationId, name: input.name, description: input.description ?? null, createdAt: now, updatedAt: now })
    .returning()
    .get();
  return row;
}

export async function patchList(db: Db, locationId: string, id: string, input: ListPatch, now: number): Promise<ContactListRow> {
  await requireList(db, [locationId], id);
  const set: Partial<typeof contactLists.$inferInsert> = { updatedAt: now };
  if (input.name !== undefined) set.name = input.name;
  if (input.description !== undefined) set.description = input.description;
  const row = await db.update(contactLists).set(set).where(and(eq(contactLists.id, id), eq(contactLists.locationId, locationId))).returning().get();
  if (!row) throw new AppError("list_not_found", `No contact list '${id}' in location '${locationId}'.`);
  return row;
}

/**
 * Deletes the list: it is gone for the API at once and its unfinished imports are cancelled; its
 * memberships, its tasks' rows (ledger, rejects, dedupe keys) and their R2 originals are removed
 * now as far as a small budget allows, the rest by retention. Contacts stay.
 */
export async function deleteList(db: Db, bucket: R2Bucket, locationId: string, id: string, now: number): Promise<void> {
  await requireList(db, [locationId], id);
  await db.batch([
    db
      .update(importTasks)
      .set({ status: "cancelled", finishedAt: now, updatedAt: now })
      .where(and(eq(importTasks.listId, id), inArray(importTasks.status, ["queued", "running"]))),
    db
      .update(contactLists)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(contactLists.id, id), eq(contactLists.locationId, locationId))),
  ]);
  await purgeList(db, bucket, new InvocationBudget(INLINE_PURGE), id, {});
}
