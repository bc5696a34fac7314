// The end of a successful run, written in the same batch as its last page: run status, the
// incremental mark, and — only for a full pass that reached its last page — the reconcile that
// marks records missing upstream as deleted. A failed or partial run never gets here.
import { and, eq, gte, lt, notLike, sql } from "drizzle-orm";
import { type SyncRunRow, companies, contacts, locations, syncCursors, syncRuns } from "../../shared/db/schema";
import type { SyncRelatedMessage } from "../../shared/schemas/messages";
import type { SyncDeps } from "./driver";
import { logRunEnd, readMetrics, summarise } from "./metrics";
import { RELATED_TABLES, type Statement } from "./writers";

export type Finish = { statements: Statement[]; reconcileAt: number | null };

/** Contacts made by CSV imports are ours, not upstream's: a reconcile never deletes them. */
const IMPORTED = "import:%";
const RELATED_PER_MESSAGE = 25;

function reconcile(deps: SyncDeps, run: SyncRunRow): Statement {
  const since = run.startedAt ?? run.queuedAt;
  if (run.kind === "contacts") {
    return deps.db
      .update(contacts)
      .set({ deleted: true })
      .where(
        and(
          eq(contacts.locationId, run.locationId),
          eq(contacts.deleted, false),
          lt(contacts.syncedAt, since),
          notLike(contacts.externalId, IMPORTED),
        ),
      )
      .returning({ id: contacts.id });
  }
  const table = run.kind === "companies" ? companies : RELATED_TABLES[run.kind];
  return deps.db
    .update(table)
    .set({ deleted: true })
    .where(and(eq(table.locationId, run.locationId), eq(table.deleted, false), lt(table.syncedAt, since)))
    .returning({ id: table.id });
}

export function finishStatements(deps: SyncDeps, run: SyncRunRow, at: number): Finish {
  const statements: Statement[] = [];
  const full = run.mode === "full";
  if (full) statements.push(reconcile(deps, run));
  statements.push(
    deps.db
      .update(syncRuns)
      .set({ status: "succeeded", finishedAt: at, leaseOwner: null, leaseUntil: null })
      .where(eq(syncRuns.id, run.id)),
    deps.db
      .insert(syncCursors)
      .values({ locationId: run.locationId, kind: run.kind, highWaterMark: run.highWaterMark, lastSuccessAt: at, lastFullAt: full ? at : null })
      .onConflictDoUpdate({
        target: [syncCursors.locationId, syncCursors.kind],
        set: {
          highWaterMark: sql`max(coalesce(${syncCursors.highWaterMark}, 0), coalesce(excluded.high_water_mark, 0))`,
          lastSuccessAt: at,
          ...(full ? { lastFullAt: at } : {}),
        },
      }),
  );
  if (run.kind === "contacts") {
    statements.push(
      deps.db
        .update(locations)
        .set({
          lastSyncedAt: at,
          dataVersion: sql`${locations.dataVersion} + 1`,
          contactCount: sql`(select count(*) from ${contacts} where ${contacts.locationId} = ${run.locationId} and ${contacts.deleted} = 0)`,
        })
        .where(eq(locations.id, run.locationId)),
    );
  }
  return { statements, reconcileAt: full ? 0 : null };
}

/** After the batch: book what the reconcile deleted, store the summary, log it, queue follow-ups. */
export async function afterFinish(deps: SyncDeps, run: SyncRunRow, at: number, finish: Finish, results: unknown[]): Promise<void> {
  const removed = finish.reconcileAt === null ? [] : (results[finish.reconcileAt] as unknown[]);
  const metrics = readMetrics(run);
  metrics.deleted += removed.length;
  const summary = summarise({ ...run, finishedAt: at }, metrics, at);
  await deps.db.update(syncRuns).set({ metrics: summary }).where(eq(syncRuns.id, run.id));
  logRunEnd(run, "succeeded", summary);
  if (run.kind === "contacts" && run.mode === "incremental" && run.since !== null) await queueRelated(deps, run, run.since);
}

/** Tasks and notes of the contacts this incremental run saw change (GHL: 2 requests each). */
async function queueRelated(deps: SyncDeps, run: SyncRunRow, since: number): Promise<void> {
  const changed = await deps.db
    .select({ id: contacts.externalId })
    .from(contacts)
    .where(and(eq(contacts.locationId, run.locationId), eq(contacts.deleted, false), gte(contacts.dateUpdated, since)))
    .limit(5000);
  const messages: { body: SyncRelatedMessage; contentType: "json" }[] = [];
  for (let i = 0; i < changed.length; i += RELATED_PER_MESSAGE) {
    const ids = changed.slice(i, i + RELATED_PER_MESSAGE).map((c) => c.id);
    messages.push({ body: { type: "sync.related", run_id: run.id, location_id: run.locationId, contact_ids: ids }, contentType: "json" });
  }
  for (let i = 0; i < messages.length; i += 100) await deps.env.SYNC_QUEUE.sendBatch(messages.slice(i, i + 100));
}
