// Drives a run: holds its lease, reads pages (up to FETCH_AHEAD pages are fetched while one is
// written, so the shared bucket stays busy however slow writes get), and writes each page with
// its checkpoint in one db.batch. Stops when the run is done, the time slice is spent, or the
// lease is lost; a crash repeats at most the page being written and the pages fetched ahead.
import { eq, sql } from "drizzle-orm";
import { type SyncRunRow, contacts, locations, syncRuns } from "../../shared/db/schema";
import type { KindPage } from "../providers/sync-source";
import { RequestMeter } from "../providers/meter";
import type { UpstreamContext } from "../providers/upstream";
import { type SyncDeps, upstreamFor } from "./driver";
import { driveFilteredImport } from "./filtered-import";
import { finishStatements, afterFinish } from "./finish";
import { PageFeed } from "./page-feed";
import { mergeMetrics, readMetrics } from "./metrics";
import { acquireLease } from "./runs";
import { writeCompanies, writeContacts, writeRelated, type Written } from "./writers";

export const LEASE_MS = 60_000;
/** Pages fetched ahead of the one being written (see PageFeed); a crash may fetch them again. */
export const FETCH_AHEAD = 2;

export type DriveOutcome = "done" | "yielded" | "not_ours";

function maxUpdated(page: KindPage): number | null {
  let max: number | null = null;
  for (const r of page.page.records) if (max === null || r.dateUpdated > max) max = r.dateUpdated;
  return max;
}

function write(deps: SyncDeps, run: SyncRunRow, page: KindPage, at: number): Written {
  switch (page.kind) {
    case "contacts":
      return writeContacts(deps.db, run.locationId, page.page.records, at);
    case "companies":
      return writeCompanies(deps.db, run.locationId, page.page.records, at);
    default:
      return writeRelated(deps.db, page.kind, run.locationId, page.page.records, at);
  }
}

/**
 * Applies one fetched page and moves the checkpoint in one round trip; null when the lease was
 * lost meanwhile. Created/updated counts are known only after the batch, so they reach the stored
 * metrics with the next checkpoint (or the run's summary).
 */
async function applyPage(deps: SyncDeps, run: SyncRunRow, owner: string, page: KindPage, meter: RequestMeter): Promise<SyncRunRow | null> {
  const at = deps.now();
  const written = write(deps, run, page, at);
  const m = meter.snapshot();
  meter.reset();
  const done = page.page.next === null;
  const top = maxUpdated(page);
  const next: SyncRunRow = {
    ...run,
    cursor: page.page.next,
    pagesDone: run.pagesDone + 1,
    entitiesSeen: run.entitiesSeen + page.page.records.length,
    totalEstimate: page.page.total ?? run.totalEstimate,
    requests: run.requests + m.requests,
    throttled: run.throttled + m.throttled,
    highWaterMark: top === null ? run.highWaterMark : Math.max(top, run.highWaterMark ?? top),
    heartbeatAt: at,
    leaseUntil: at + LEASE_MS,
    metrics: mergeMetrics(readMetrics(run), { created: 0, updated: 0 }, m),
  };
  const checkpoint = deps.db
    .update(syncRuns)
    .set({
      cursor: next.cursor,
      pagesDone: next.pagesDone,
      entitiesSeen: next.entitiesSeen,
      totalEstimate: next.totalEstimate,
      requests: next.requests,
      throttled: next.throttled,
      highWaterMark: next.highWaterMark,
      heartbeatAt: at,
      leaseUntil: next.leaseUntil,
      metrics: next.metrics,
    })
    .where(sql`${syncRuns.id} = ${run.id} and ${syncRuns.leaseOwner} = ${owner} and ${syncRuns.pagesDone} = ${run.pagesDone}`)
    .returning({ id: syncRuns.id });
  const counters =
    run.kind === "contacts" && page.page.records.length > 0
      ? [
          deps.db
            .update(locations)
            .set({
              dataVersion: sql`${locations.dataVersion} + 1`,
              contactCount: sql`(select count(*) from ${contacts} where ${contacts.locationId} = ${run.locationId} and ${contacts.deleted} = 0)`,
              updatedAt: at,
            })
            .where(eq(locations.id, run.locationId)),
        ]
      : [];
  const finish = done ? finishStatements(deps, next, at) : null;
  const [knownRows, moved, ...rest] = await deps.db.batch([written.known, checkpoint, ...written.statements, ...counters, ...(finish?.statements ?? [])]);
  if (moved.length === 0) return null;
  next.metrics = mergeMetrics(readMetrics(next), written.tally(knownRows), { requests: 0, throttled: 0, bytes: 0, perSecond: {} });
  if (finish) await afterFinish(deps, next, at, finish, rest.slice(written.statements.length + counters.length));
  return next;
}

/**
 * Runs pages of `runId` as `owner` until done, until `sliceEnd`, or until `signal` aborts. The
 * caller decides what happens after a yield (the consumer enqueues a continuation).
 */
export async function driveRun(
  deps: SyncDeps,
  runId: string,
  owner: string,
  sliceEnd: number,
  signal?: AbortSignal,
): Promise<DriveOutcome> {
  let run = await acquireLease(deps.db, runId, owner, deps.now(), LEASE_MS);
  if (!run) return "not_ours";
  const upstream = await upstreamFor(deps, run.locationId);
  const { source, limiter, pace } = upstream;
  const meter = new RequestMeter();
  const ctx: UpstreamContext = { limiter, pace, meter, timeoutMs: deps.config.UPSTREAM_TIMEOUT_MS, signal };
  if (run.mode === "filtered") {
    try {
      await driveFilteredImport(deps, run, upstream, ctx);
      return "done";
    } finally {
      await releaseWithMeter(deps, run, owner, meter);
    }
  }
  const { kind, since } = run;
  const feed = new PageFeed((cursor) => source.fetch(kind, ctx, cursor, since), {
    buffer: FETCH_AHEAD,
    cursorAfter: source.cursorAfter?.bind(source),
    open: () => Date.now() < sliceEnd - 2000,
  }, run.pagesDone === 0 ? null : run.cursor);
  try {
    for (let page = await feed.take(); page; page = await feed.take()) {
      const applied = await applyPage(deps, run, owner, page, meter);
      if (!applied) return "not_ours";
      run = applied;
      if (run.cursor === null) return "done";
    }
    return "yielded";
  } finally {
    await releaseWithMeter(deps, run, owner, meter);
  }
}

/** Gives the lease back and books requests sent since the last checkpoint (failed or prefetched). */
async function releaseWithMeter(deps: SyncDeps, run: SyncRunRow, owner: string, meter: RequestMeter): Promise<void> {
  const m = meter.snapshot();
  await deps.db
    .update(syncRuns)
    .set({
      leaseOwner: null,
      leaseUntil: null,
      requests: sql`${syncRuns.requests} + ${m.requests}`,
      throttled: sql`${syncRuns.throttled} + ${m.throttled}`,
    })
    .where(sql`${syncRuns.id} = ${run.id} and ${syncRuns.leaseOwner} = ${owner}`);
}

