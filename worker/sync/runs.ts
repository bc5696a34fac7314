// Sync run rows: claiming one (single-flight per location and kind, full or incremental), the
// lease whoever drives it holds, and ending it.
import { type SQL, and, eq, inArray, lt, or, isNull, sql } from "drizzle-orm";
import { type SyncKind, type SyncMode, type SyncRunRow, syncCursors, syncRuns } from "../../shared/db/schema";
import { recordFailure } from "../db/location-sync";
import type { Db } from "../env";

const ACTIVE = ["queued", "running"] as const;
/** Upstream search indexes lag a few seconds: incremental runs re-read this much before the mark. */
export const INCREMENTAL_OVERLAP_MS = 120_000;

export type Claim = { run: SyncRunRow; created: boolean };
export type ClaimArgs = {
  locationId: string;
  kind: SyncKind;
  trigger: string;
  mode?: SyncMode;
  now: number;
  staleMs: number;
  fullEveryMs: number;
  /** A filtered import's filter and flags, and its own incremental mark (it keeps no cursor). */
  options?: Record<string, unknown>;
  since?: number | null;
};

/** Full when asked, when nothing was synced yet, or when the last full reconcile is too old. */
async function decideMode(db: Db, args: ClaimArgs): Promise<{ mode: SyncMode; since: number | null }> {
  if (args.mode === "filtered") return { mode: "filtered", since: args.since ?? null };
  const [cursor] = await db
    .select()
    .from(syncCursors)
    .where(and(eq(syncCursors.locationId, args.locationId), eq(syncCursors.kind, args.kind)));
  const canIncrement = cursor?.highWaterMark != null && cursor.lastFullAt != null && args.now - cursor.lastFullAt < args.fullEveryMs;
  const mode = args.mode ?? (canIncrement ? "incremental" : "full");
  if (mode === "full" || cursor?.highWaterMark == null) return { mode: "full", since: null };
  return { mode, since: cursor.highWaterMark - INCREMENTAL_OVERLAP_MS };
}

/**
 * Starts a run unless one is already queued or running for (location, kind), in which case the
 * caller joins that one. A run whose heartbeat stopped `staleMs` ago is taken as crashed first.
 * The partial unique index sync_runs_active makes this atomic however many callers race.
 */
export async function claimRun(db: Db, args: ClaimArgs): Promise<Claim> {
  const id = crypto.randomUUID();
  const { mode, since } = await decideMode(db, args);
  const active = and(eq(syncRuns.locationId, args.locationId), eq(syncRuns.kind, args.kind), inArray(syncRuns.status, ACTIVE));
  const [, inserted, current] = await db.batch([
    db
      .update(syncRuns)
      .set({ status: "failed", errorCode: "stalled", errorMessage: "The run stopped reporting progress and was given up.", finishedAt: args.now })
      .where(and(active, lt(sql`coalesce(${syncRuns.heartbeatAt}, ${syncRuns.queuedAt})`, args.now - args.staleMs))),
    db
      .insert(syncRuns)
      .values({
        id,
        locationId: args.locationId,
        kind: args.kind,
        mode,
        since,
        options: args.options ?? null,
        trigger: args.trigger,
        queuedAt: args.now,
        heartbeatAt: args.now,
      })
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

/**
 * Takes (or renews) the right to drive a run: free, expired, or already ours. Undefined when the
 * run is over or someone else is driving it. Marks the run running on first take.
 */
export async function acquireLease(db: Db, runId: string, owner: string, now: number, leaseMs: number): Promise<SyncRunRow | undefined> {
  const rows = await db
    .update(syncRuns)
    .set({
      status: "running",
      leaseOwner: owner,
      leaseUntil: now + leaseMs,
      heartbeatAt: now,
      startedAt: sql`coalesce(${syncRuns.startedAt}, ${now})`,
    })
    .where(
      and(
        eq(syncRuns.id, runId),
        inArray(syncRuns.status, ACTIVE),
        or(isNull(syncRuns.leaseOwner), eq(syncRuns.leaseOwner, owner), lt(syncRuns.leaseUntil, now)),
      ),
    )
    .returning();
  return rows[0];
}

/**
 * Extends a lease its owner still holds (a filtered import between requests). False when the lease
 * was lost: the run is over, or another driver took it after it expired.
 */
export async function renewLease(db: Db, runId: string, owner: string, now: number, leaseMs: number, progressed = false): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ leaseUntil: now + leaseMs, heartbeatAt: now, ...(progressed ? { progressAt: now } : {}) })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.leaseOwner, owner), eq(syncRuns.status, "running")))
    .returning({ id: syncRuns.id });
  return rows.length === 1;
}

/** SQL true while `owner` holds the run's lease with the run in `status` (guards a final batch's statements). */
export function leaseHeld(runId: string, owner: string, status: "running" | "succeeded"): SQL {
  return sql`exists (select 1 from ${syncRuns} where ${syncRuns.id} = ${runId} and ${syncRuns.leaseOwner} = ${owner} and ${syncRuns.status} = ${status})`;
}

/**
 * Ends an active run as failed (a finished run stays as it is) and books the failure on its
 * location: refused credentials park it, anything else earns it a longer wait (see
 * location-sync). True when this call failed the run.
 */
export async function failRun(db: Db, runId: string, code: string, message: string, now: number, backoffBaseMs = 60_000): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ status: "failed", errorCode: code, errorMessage: message.slice(0, 1000), finishedAt: now, leaseOwner: null, leaseUntil: null })
    .where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, ACTIVE)))
    .returning({ locationId: syncRuns.locationId });
  const failed = rows[0];
  if (failed) await recordFailure(db, failed.locationId, code, message, now, backoffBaseMs);
  return failed !== undefined;
}
