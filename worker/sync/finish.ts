// The end of a run whose last page is written: one db.batch that marks it succeeded, records its
// reconcile (done or skipped, and why), tombstones what the reconcile confirmed gone, moves the
// incremental mark and tells the location it is healthy. The first statement requires the
// driver's lease on a running run, and every later one requires that it took effect: a driver
// that lost its lease (or a run the dead-letter queue or the watchdog failed meanwhile) finishes
// nothing.
import { and, eq, gte, sql } from "drizzle-orm";
import { type SyncRunRow, contacts, syncCursors, syncRuns } from "../../shared/db/schema";
import type { SyncRelatedMessage } from "../../shared/schemas/messages";
import type { RequestMeter } from "../providers/meter";
import { uncountLive } from "../db/contact-counts";
import { recordSuccess } from "../db/location-sync";
import { markDeleted } from "../db/reconcile-queries";
import type { SyncDeps } from "./driver";
import { logRunEnd, readMetrics, summarise } from "./metrics";
import type { ReconcilePlan } from "./reconcile";
import { leaseHeld } from "./runs";
import { type Statement, writePage } from "./writers";

const RELATED_PER_MESSAGE = 25;

/** Writes the run's end; false when the lease was no longer ours (nothing was written then). */
export async function finishRun(
  deps: SyncDeps,
  run: SyncRunRow,
  owner: string,
  plan: ReconcilePlan | null,
  at: number,
  meter: RequestMeter,
): Promise<boolean> {
  const sent = meter.snapshot(); // requests since the last page: the reconcile's questions by id
  const db = deps.db;
  const guard = leaseHeld(run.id, owner, "succeeded");
  const full = run.mode === "full" && plan?.outcome === "done";
  const since = run.startedAt ?? run.queuedAt;
  const deleteIds = plan?.outcome === "done" ? plan.deleteIds : [];

  const marks = deleteIds.length ? markDeleted(db, run.kind, run.locationId, since, deleteIds, at, guard) : [];
  const present = plan?.outcome === "done" && plan.present && plan.present.page.records.length ? writePage(db, run.locationId, plan.present, at) : null;
  const statements: Statement[] = [
    ...(run.kind === "contacts" && deleteIds.length ? [uncountLive(db, run.locationId, deleteIds, at, guard)] : []),
    ...marks,
    ...(present ? [...present.counters, ...present.written.statements] : []),
    db
      .insert(syncCursors)
      .select(
        sql`select ${run.locationId}, ${run.kind}, ${run.highWaterMark}, ${full ? at : null}, ${at} where ${guard}`,
      )
      .onConflictDoUpdate({
        target: [syncCursors.locationId, syncCursors.kind],
        set: {
          highWaterMark: sql`max(coalesce(${syncCursors.highWaterMark}, 0), coalesce(excluded.high_water_mark, 0))`,
          lastSuccessAt: at,
          ...(full ? { lastFullAt: at } : {}),
        },
      }),
    recordSuccess(db, run.locationId, run.kind, at, guard),
    db.update(syncRuns).set({ leaseOwner: null, leaseUntil: null }).where(sql`${syncRuns.id} = ${run.id} and ${guard}`),
  ];
  const ended = db
    .update(syncRuns)
    .set({
      status: "succeeded",
      requests: sql`${syncRuns.requests} + ${sent.requests}`,
      throttled: sql`${syncRuns.throttled} + ${sent.throttled}`,
      finishedAt: at,
      progressAt: at,
      reconcile: plan?.outcome ?? null,
      reconcileReason: plan?.outcome === "skipped" ? plan.reason.slice(0, 1000) : null,
    })
    .where(sql`${syncRuns.id} = ${run.id} and ${syncRuns.leaseOwner} = ${owner} and ${syncRuns.status} = 'running'`)
    .returning({ id: syncRuns.id });
  const offset = run.kind === "contacts" && deleteIds.length ? 1 : 0;
  const [endedRows, ...rest] = await db.batch([ended, ...statements]);
  if (endedRows.length === 0) return false;
  meter.reset();
  const deleted = rest.slice(offset, offset + marks.length).reduce((n, rows) => n + (rows as unknown[]).length, 0);
  await afterFinish(deps, { ...run, requests: run.requests + sent.requests, throttled: run.throttled + sent.throttled }, at, plan, deleted);
  return true;
}

/** After the batch: store the summary, log it, queue follow-ups. */
async function afterFinish(deps: SyncDeps, run: SyncRunRow, at: number, plan: ReconcilePlan | null, deleted: number): Promise<void> {
  const metrics = readMetrics(run);
  metrics.deleted += deleted;
  const reconcile = plan === null ? undefined : plan.outcome === "done" ? { outcome: "done", checked_by_id: plan.checked } : { outcome: "skipped", reason: plan.reason };
  const summary = { ...summarise({ ...run, finishedAt: at }, metrics, at), ...(reconcile ? { reconcile } : {}) };
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
