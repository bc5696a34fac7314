// What one Worker invocation may ask of the platform, counted as it goes. Cloudflare kills an
// invocation that passes its subrequest or D1 query limit, and a queue batch then retries every
// message into the same wall; so work is started only while its likely cost still fits, and the
// caller hands the rest over (a continuation message) before any budget is reached.
//
// One budget per invocation, shared by everything that runs in it (a queue batch's concurrent
// runs, a cron tick). Counting happens in the wrappers of worker/platform/metered.ts, so nothing
// has to remember to report.

/** What is counted. Subrequests are what the platform counts as such: fetches, Durable Object calls, queue sends. */
export type BudgetKind = "subrequests" | "d1";

export type BudgetLimits = Record<BudgetKind, number>;
export type Cost = Partial<Record<BudgetKind, number>>;

/** The breakdown logged per invocation (`budget` log line) and read by `npm run bench:limits`. */
export type BudgetUsage = {
  fetches: number;
  do_calls: number;
  queue_sends: number;
  d1_statements: number;
  /** Round trips to D1: a batch of any size is one. */
  d1_calls: number;
  subrequests: number;
};

const KINDS: readonly BudgetKind[] = ["subrequests", "d1"];

export class InvocationBudget {
  private readonly used: Record<BudgetKind, number> = { subrequests: 0, d1: 0 };
  /** Promised to work already under way (a page requested, not yet written). */
  private readonly held: Record<BudgetKind, number> = { subrequests: 0, d1: 0 };
  private readonly detail = { fetches: 0, do_calls: 0, queue_sends: 0, d1_statements: 0, d1_calls: 0 };
  /** Set once a hold was refused: callers wind down and hand over. */
  private refused = false;

  constructor(readonly limits: BudgetLimits) {}

  fetch(n = 1): void {
    this.detail.fetches += n;
    this.used.subrequests += n;
  }

  durableObjectCall(n = 1): void {
    this.detail.do_calls += n;
    this.used.subrequests += n;
  }

  queueSend(n = 1): void {
    this.detail.queue_sends += n;
    this.used.subrequests += n;
  }

  /** `statements` run in one round trip (a batch, or one query). */
  d1(statements: number): void {
    this.detail.d1_statements += statements;
    this.detail.d1_calls += 1;
    this.used.d1 += statements;
  }

  /**
   * Reserves the likely cost of a unit of work (a page: its fetch, limiter calls and write) if it
   * fits beside what is used and already promised; null (and the budget counts as spent from now
   * on) when it does not. Give the hold back with `release` when the work is done or dropped: the
   * work's real cost has been counted by then.
   */
  hold(cost: Cost): Cost | null {
    if (this.refused) return null;
    for (const kind of KINDS) {
      if (this.used[kind] + this.held[kind] + (cost[kind] ?? 0) > this.limits[kind]) {
        this.refused = true;
        return null;
      }
    }
    for (const kind of KINDS) this.held[kind] += cost[kind] ?? 0;
    return cost;
  }

  release(cost: Cost | null): void {
    if (!cost) return;
    for (const kind of KINDS) this.held[kind] = Math.max(0, this.held[kind] - (cost[kind] ?? 0));
  }

  /** True once some work was refused, or a budget is used up: start nothing new. */
  spent(): boolean {
    return this.refused || KINDS.some((kind) => this.used[kind] >= this.limits[kind]);
  }

  usage(): BudgetUsage {
    return { ...this.detail, subrequests: this.used.subrequests };
  }
}

/** An invocation's budget from the deployment's vars (INVOCATION_MAX_SUBREQUESTS, INVOCATION_MAX_D1_STATEMENTS). */
export function invocationBudget(config: { INVOCATION_MAX_SUBREQUESTS: number; INVOCATION_MAX_D1_STATEMENTS: number }): InvocationBudget {
  return new InvocationBudget({ subrequests: config.INVOCATION_MAX_SUBREQUESTS, d1: config.INVOCATION_MAX_D1_STATEMENTS });
}
