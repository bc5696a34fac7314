// Drives a run: holds its lease, reads pages (up to FETCH_AHEAD pages are fetched while one is
// written, so the shared bucket stays busy however slow writes get), and writes each page with
// its checkpoint in one db.batch. Once the last page is written, the run ends in its own batch
// (finish.ts), after a full pass's reconcile is decided (reconcile.ts). Stops when the run is
// done, the time slice or the invocation's budget is spent, or the lease is lost; a crash repeats
// at most the page being written and the pages fetched ahead.
import { sql } from "drizzle-orm";
import { type SyncRunRow, syncRuns } from "../../shared/db/schema";
import { RequestMeter } from "../providers/meter";
import type { KindPage, SyncSource } from "../providers/sync-source";
import type { UpstreamContext } from "../providers/upstream";
import type { Cost } from "../platform/budget";
import { type DriveOutcome, type SyncDeps, type Upstream, upstreamContext, upstreamFor } from "./driver";
import { driveFilteredImport } from "./filtered-import";
import { finishRun } from "./finish";
import { mergeMetrics, readMetrics } from "./metrics";
import { PageFeed } from "./page-feed";
import { PLAN_COST, planReconcile } from "./reconcile";
import { acquireLease } from "./runs";
import { writePage } from "./writers";

/** Pages fetched ahead of the one being written (see PageFeed); a crash may fetch them again. */
export const FETCH_AHEAD = 2;
/**
 * What one page may cost an invocation: the fetch and its calls to the bucket (reserve, claim,
 * reclaims of grants read late: about 5 per fetch on a busy machine, docs/benchmarks.md); its write
 * (read of stored rows, checkpoint, count, upserts, links). Held while the page is in flight.
 */
export const PAGE_COST: Cost = { subrequests: 6, d1: 8 };

export const leaseMsOf = (deps: SyncDeps): number => deps.config.SYNC_LEASE_SECONDS * 1000;

/** Every page is written and the run has yet to end (a crash or a handover came in between). */
export const passDone = (run: SyncRunRow): boolean => run.pagesDone > 0 && run.cursor === null;

function maxUpdated(page: KindPage): number | null {
  let max: number | null = null;
  for (const r of page.page.records) if (max === null || r.dateUpdated > max) max = r.dateUpdated;
  return max;
}

/**
 * Applies one fetched page and moves the checkpoint in one round trip; null when the lease was
 * lost meanwhile. Created/updated counts are known only after the batch, so they reach the stored
 * metrics with the next checkpoint (or the run's summary).
 */
async function applyPage(deps: SyncDeps, run: SyncRunRow, owner: string, page: KindPage, meter: RequestMeter): Promise<SyncRunRow | null> {
  const at = deps.now();
  const { written, counters } = writePage(deps.db, run.locationId, page, at);
  const m = meter.snapshot();
  meter.reset();
  const top = maxUpdated(page);
  const next: SyncRunRow = {
    ...run,
    cursor: page.page.next,
    pagesDone: run.pagesDone + 1,
    entitiesSeen: run.entitiesSeen + page.page.records.length,
    totalEstimate: page.page.total ?? run.totalEstimate,
    expectedTotal: run.pagesDone === 0 ? page.page.total : run.expectedTotal,
    reconcileReason: run.reconcileReason ?? page.page.incomplete ?? null,
    requests: run.requests + m.requests,
    throttled: run.throttled + m.throttled,
    highWaterMark: top === null ? run.highWaterMark : Math.max(top, run.highWaterMark ?? top),
    heartbeatAt: at,
    progressAt: at,
    leaseUntil: at + leaseMsOf(deps),
    metrics: mergeMetrics(readMetrics(run), { created: 0, updated: 0 }, m),
  };
  const checkpoint = deps.db
    .update(syncRuns)
    .set({
      cursor: next.cursor,
      pagesDone: next.pagesDone,
      entitiesSeen: next.entitiesSeen,
      totalEstimate: next.totalEstimate,
      expectedTotal: next.expectedTotal,
      reconcileReason: next.reconcileReason,
      requests: next.requests,
      throttled: next.throttled,
      highWaterMark: next.highWaterMark,
      heartbeatAt: at,
      progressAt: at,
      leaseUntil: next.leaseUntil,
      metrics: next.metrics,
    })
    .where(sql`${syncRuns.id} = ${run.id} and ${syncRuns.leaseOwner} = ${owner} and ${syncRuns.pagesDone} = ${run.pagesDone}`)
    .returning({ id: syncRuns.id });
  const [knownRows, moved] = await deps.db.batch([written.known, checkpoint, ...counters, ...written.statements]);
  if (moved.length === 0) return null;
  next.metrics = mergeMetrics(readMetrics(next), written.tally(knownRows), { requests: 0, throttled: 0, bytes: 0, perSecond: {} });
  return next;
}

/**
 * An empty answer to a page the previous one linked to (AmoCRM): the real end if the previous page
 * was full (its `next` may only have said "full"), a fault if it was short (or unknown here):
 * then the pass is incomplete. Either way the reconcile asks AmoCRM by id before deleting.
 */
function judgeEmptyEnd(page: KindPage, previousCount: number | null, source: SyncSource): KindPage {
  if (!page.page.endedEmpty || page.page.incomplete) return page;
  if (previousCount !== null && previousCount >= source.pageSize(page.kind)) return page;
  const reason = `Upstream answered an empty page after a page of ${previousCount ?? "unknown size"} that linked to it.`;
  return { ...page, page: { ...page.page, incomplete: reason } } as KindPage;
}

type PagesOutcome = { state: "pass_done" | "yielded" | "not_ours"; run: SyncRunRow };

/** Writes pages until the pass is done, the slice or the budget ends, or the lease is lost. */
async function drivePages(deps: SyncDeps, run: SyncRunRow, owner: string, upstream: Upstream, ctx: UpstreamContext, sliceEnd: number): Promise<PagesOutcome> {
  const { source } = upstream;
  const budget = deps.budget;
  const holds: Cost[] = [];
  const admit = (): boolean => {
    if (!budget) return true;
    const hold = budget.hold(PAGE_COST);
    if (hold) holds.push(hold);
    return hold !== null;
  };
  if (!admit()) return { state: "yielded", run };
  const { kind, since } = run;
  const feed = new PageFeed((cursor) => source.fetch(kind, ctx, cursor, since), {
    buffer: FETCH_AHEAD,
    cursorAfter: source.cursorAfter?.bind(source),
    open: () => Date.now() < sliceEnd - 2000 && admit(),
  }, run.pagesDone === 0 ? null : run.cursor);
  let previousCount: number | null = null;
  try {
    for (let page = await feed.take(); page; page = await feed.take()) {
      const applied = await applyPage(deps, run, owner, judgeEmptyEnd(page, previousCount, source), ctx.meter);
      budget?.release(holds.shift() ?? null);
      if (!applied) return { state: "not_ours", run };
      run = applied;
      previousCount = page.page.records.length;
      if (run.cursor === null) return { state: "pass_done", run };
    }
    return { state: "yielded", run };
  } finally {
    for (const hold of holds) budget?.release(hold);
  }
}

/** The last page is written: decide the reconcile (full passes) and end the run. */
async function endRun(deps: SyncDeps, run: SyncRunRow, owner: string, upstream: Upstream, ctx: UpstreamContext): Promise<DriveOutcome> {
  const hold = deps.budget?.hold(PLAN_COST);
  if (deps.budget && !hold) return "yielded";
  try {
    const plan = run.mode === "full" ? await planReconcile(deps, run, upstream.source, ctx) : null;
    if (run.mode === "full" && plan === null) return "yielded";
    return (await finishRun(deps, run, owner, plan, deps.now(), ctx.meter)) ? "done" : "not_ours";
  } finally {
    deps.budget?.release(hold ?? null);
  }
}

/**
 * Runs pages of `runId` as `owner` until done, until `sliceEnd`, until the invocation's budget is
 * spent, or until `signal` aborts. The caller decides what happens after a yield (the consumer
 * enqueues a continuation).
 */
export async function driveRun(
  deps: SyncDeps,
  runId: string,
  owner: string,
  sliceEnd: number,
  signal?: AbortSignal,
): Promise<DriveOutcome> {
  let run = await acquireLease(deps.db, runId, owner, deps.now(), leaseMsOf(deps));
  if (!run) return "not_ours";
  const meter = new RequestMeter();
  try {
    const upstream = await upstreamFor(deps, run.locationId);
    const ctx = upstreamContext(deps, upstream, meter, signal);
    if (run.mode === "filtered") return await driveFilteredImport(deps, run, owner, upstream, ctx);
    if (!passDone(run)) {
      const pages = await drivePages(deps, run, owner, upstream, ctx, sliceEnd);
      run = pages.run;
      if (pages.state !== "pass_done") return pages.state;
    }
    return await endRun(deps, run, owner, upstream, ctx);
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
