// Tasks and notes per contact (GHL has no bulk endpoint: two requests per contact). Fetched for
// contacts an incremental run saw change, and on demand for a contact whose copy is stale.
import { and, eq, lt } from "drizzle-orm";
import { contacts, notes, tasks } from "../../shared/db/schema";
import { RequestMeter } from "../providers/meter";
import { type SyncDeps, upstreamContext, upstreamFor } from "./driver";
import { type Statement, writeRelated } from "./writers";

/**
 * `interactive`: a person opened the contact and waits; those two requests may use the daily
 * reserve that background syncs leave (UPSTREAM_DAILY_RESERVE).
 */
export async function refreshContactRelated(
  deps: SyncDeps,
  locationId: string,
  contactIds: string[],
  opts: { signal?: AbortSignal; interactive?: boolean } = {},
): Promise<void> {
  const upstream = await upstreamFor(deps, locationId);
  const { source } = upstream;
  if (!source.contactRelated || contactIds.length === 0) return;
  const ctx = upstreamContext(deps, upstream, new RequestMeter(), opts.signal, opts.interactive ? 0 : undefined);
  for (const contactId of contactIds) {
    const fetched = await source.contactRelated(ctx, contactId);
    const at = deps.now();
    const [t, n] = await Promise.all([
      writeRelated(deps.db, "tasks", locationId, fetched.tasks, at),
      writeRelated(deps.db, "notes", locationId, fetched.notes, at),
    ]);
    // Whatever this contact no longer has upstream is gone: the lists are complete per contact.
    const gone = [tasks, notes].map((table) =>
      deps.db
        .update(table)
        .set({ deleted: true, deletedAt: at })
        .where(and(eq(table.locationId, locationId), eq(table.contactExternalId, contactId), eq(table.deleted, false), lt(table.syncedAt, at))),
    );
    const stamp = deps.db
      .update(contacts)
      .set({ relatedSyncedAt: at })
      .where(and(eq(contacts.locationId, locationId), eq(contacts.externalId, contactId)));
    const statements: Statement[] = [...t.statements, ...n.statements, ...gone, stamp];
    const [first, ...rest] = statements;
    if (first) await deps.db.batch([first, ...rest]);
  }
}

/** True when the contact's tasks/notes were never fetched or predate its last upstream change. */
export function relatedIsStale(contact: { relatedSyncedAt: number | null; dateUpdated: number }): boolean {
  return contact.relatedSyncedAt === null || contact.relatedSyncedAt < contact.dateUpdated;
}

