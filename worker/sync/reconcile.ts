// A full pass's reconcile: which of the records the pass did not see may be marked deleted. Only
// a complete, plausible pass deletes anything:
//   1. it read every page to the upstream's real end (no page flagged the pass incomplete: an
//      empty answer where upstream's total or `next` link promised more);
//   2. it saw at least the count upstream reported (the smaller of the first and last page's
//      totals, so deletions during the pass that upstream's count shows are accounted for);
//   3. it would delete no more than RECONCILE_MAX_DELETE_PCT of the kind's live rows (or
//      RECONCILE_MIN_DELETE_ROWS, for small locations);
//   4. where upstream can be asked by id cheaply (AmoCRM, `filter[id][]` in batches of 250), each
//      candidate is asked for: only those it no longer returns are deleted, and those it returns
//      (a page-number shift hid them during the pass) are stored afresh.
// GoHighLevel is not asked by id: its search pages by a keyset cursor (`searchAfter`), so a
// deletion during a pass cannot hide a live contact, and asking would cost one request per
// candidate (no documented filter takes a list of ids): up to 1,250 requests at a 25,000-contact
// location's cap. Checks 1–3 stop the early-stop cases that remain.
import type { SyncRunRow } from "../../shared/db/schema";
import { candidateIds, reconcileCounts } from "../db/reconcile-queries";
import { AMO_PAGE } from "../providers/amocrm/client";
import type { KindPage, SyncSource } from "../providers/sync-source";
import type { UpstreamContext } from "../providers/upstream";
import type { Cost } from "../platform/budget";
import type { SyncDeps } from "./driver";

export type ReconcilePlan =
  | { outcome: "skipped"; reason: string }
  /** `deleteIds`: confirmed gone upstream; `present`: candidates upstream still returned (stored again). */
  | { outcome: "done"; deleteIds: string[]; present: KindPage | null; checked: number };

/** What planning may cost before the candidates are known: two reads and the final batch. */
export const PLAN_COST: Cost = { subrequests: 4, d1: 16 };

const skipped = (reason: string): ReconcilePlan => ({ outcome: "skipped", reason });

function percent(part: number, whole: number): string {
  return whole === 0 ? "100" : ((100 * part) / whole).toFixed(1).replace(/\.0$/, "");
}

/**
 * Decides the reconcile of a full pass whose last page is written. Null when the budget cannot
 * pay for asking upstream about the candidates: the caller hands over and a fresh invocation
 * plans again (nothing was written).
 */
export async function planReconcile(deps: SyncDeps, run: SyncRunRow, source: SyncSource, ctx: UpstreamContext): Promise<ReconcilePlan | null> {
  if (run.reconcileReason) return skipped(run.reconcileReason);
  const { config } = deps;
  const since = run.startedAt ?? run.queuedAt;
  const counts = await reconcileCounts(deps.db, run.kind, run.locationId, since);
  const reported = [run.expectedTotal, run.totalEstimate].filter((n): n is number => n !== null);
  if (reported.length > 0) {
    const required = Math.min(...reported);
    if (counts.seen < required) {
      return skipped(`The pass saw ${counts.seen} of the ${required} ${run.kind} upstream reported, so it deleted nothing.`);
    }
  }
  const allowed = Math.max(config.RECONCILE_MIN_DELETE_ROWS, Math.floor((counts.live * config.RECONCILE_MAX_DELETE_PCT) / 100));
  if (counts.candidates > allowed) {
    return skipped(
      `It would have deleted ${counts.candidates} of ${counts.live} ${run.kind} (${percent(counts.candidates, counts.live)}%), ` +
        `above the ${config.RECONCILE_MAX_DELETE_PCT}% cap, so it deleted nothing.`,
    );
  }
  if (counts.candidates === 0) return { outcome: "done", deleteIds: [], present: null, checked: 0 };
  const ids = await candidateIds(deps.db, run.kind, run.locationId, since, allowed);
  if (!source.present) return { outcome: "done", deleteIds: ids, present: null, checked: 0 };

  const batches = Math.ceil(ids.length / AMO_PAGE);
  const hold = deps.budget?.hold({ subrequests: 4 * (batches + 1), d1: 4 * batches + Math.ceil(ids.length / 1000) });
  if (deps.budget && !hold) return null;
  try {
    const present = await source.present(run.kind, ctx, ids);
    const there = new Set<string>(present.page.records.map((r) => r.externalId));
    return { outcome: "done", deleteIds: ids.filter((id) => !there.has(id)), present, checked: ids.length };
  } finally {
    deps.budget?.release(hold ?? null);
  }
}
