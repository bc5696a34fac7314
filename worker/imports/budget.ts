// What one import consumer invocation may spend before it hands its work over to a fresh message.
// Cloudflare stops an invocation that passes its plan's limits (D1: 1,000 queries per invocation;
// subrequests: 10,000 on Workers Paid, 1,000 on the older paid usage models, 50 on Free; CPU: 30 s
// by default), and the whole message then retries into the same wall. Work that counts what it
// spends can stop at a clean point below them instead: the split at a checkpoint, a batch before
// its next DNS lookup. The defaults live in limits.ts. (A sync-side counter is being written in
// parallel; the two can become one module.)

export type BudgetLimits = {
  /** D1 statements (each statement of a db.batch counts). */
  d1: number;
  /** fetch() calls, queue sends and R2 operations. */
  subrequests: number;
  /** Wall time of the invocation's own work, a stand-in for CPU time (Workers cannot read it). */
  wallMs: number;
};

export type BudgetKind = "d1" | "subrequests";

/** Thrown when work would pass its budget: the caller hands the rest over, it is not a failure. */
export class BudgetExhausted extends Error {
  constructor(readonly kind: BudgetKind | "time") {
    super(`invocation budget reached: ${kind}`);
  }
}

export class InvocationBudget {
  private readonly used: Record<BudgetKind, number> = { d1: 0, subrequests: 0 };
  private readonly startedAt: number;

  constructor(
    readonly limits: BudgetLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  spend(kind: BudgetKind, n = 1): void {
    this.used[kind] += n;
  }

  left(kind: BudgetKind): number {
    return this.limits[kind] - this.used[kind];
  }

  /** True when `n` more of `kind` still fit. */
  allows(kind: BudgetKind, n: number): boolean {
    return this.left(kind) >= n;
  }

  /** Takes `n` of `kind`, or throws BudgetExhausted without taking anything. */
  take(kind: BudgetKind, n = 1): void {
    if (!this.allows(kind, n)) throw new BudgetExhausted(kind);
    this.spend(kind, n);
  }

  timeUp(): boolean {
    return this.now() - this.startedAt >= this.limits.wallMs;
  }

  snapshot(): { d1: number; subrequests: number; ms: number } {
    return { ...this.used, ms: this.now() - this.startedAt };
  }
}
