// Sync run rows: claiming one (single-flight per location and kind), and ending one.
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { type SyncKind, type SyncRunRow, syncRuns } from "../../shared/db/schema";
import type { Db } from "../env";

const ACTIVE = ["queued", "running"] as const;

export type Claim = { run: SyncRunRow; created: boolean };

/**
 * Starts a run unless one is already queued or running for (location, kind), in which case the
 * caller joins that one. A run whose heartbeat stopped `staleMs` ago is taken as crashed first.
 * The partial unique index sync_runs_active makes this atomic however many callers race.
 */
export async function claimRun(
  db: Db,
  args: { locationId: string; kind: SyncKind; trigger: string; now: number; staleMs: number },
): Promise<Claim> {
  const id = crypto.randomUUID();
  const active = and(eq(syncRuns.locationId, args.locationId), eq(syncRuns.kind, args.kind), inArray(syncRuns.status, ACTIVE));
  const [, inserted, current] = await db.batch([
    db
      .update(syncRuns)
      .set({
        status: "failed",
        errorCode: "stalled",
        errorMessage: "The run stopped reporting progress and was given up.",
        finishedAt: args.now,
      })
      .where(and(active, lt(sql`coalesce(${syncRuns.heartbeatAt}, ${syncRuns.queuedAt})`, args.now - args.staleMs))),
    db
      .insert(syncRuns)
      .values({ id, locationId: args.locationId, kind: args.kind, trigger: args.trigger, queuedAt: args.now, heartbeatAt: args.now })
      .onConflictDoNothing()
      .returning({ id: syncRuns.id }),
    db.select().from(syncRuns).where(active).limit(1),
  ]);
  const run = current[0];
  if (!run) throw new Error("claimRun: no active run after insert");
  return { run, created: inserted.length === 1 };
}

export async function getRun(db: Db, runId: string): Promise<SyncRunRow | undefined> {
  const rows = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return rows[0];
}

export async function failRun(db: Db, runId: string, code: string, message: string, now: number): Promise<void> {
  await db
    .update(syncRuns)
    .set({ status: "failed", errorCode: code, errorMessage: message.slice(0, 1000), finishedAt: now })
    .where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, ACTIVE)));
}

export async function markContinuationSent(db: Db, runId: string, page: number): Promise<void> {
  await db
    .update(syncRuns)
    .set({ continuationSent: true })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.pagesDone, page)));
}
