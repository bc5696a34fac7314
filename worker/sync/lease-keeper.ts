// Keeps a driver's lease alive through long work that has no pages to checkpoint (a filtered
// import): renewed before a request once a quarter of the lease has passed, and with every write.
// A renewal that finds the lease gone (expired and taken, or the run failed meanwhile) stops the
// work, so a run is never driven twice and a failed run is never finished.
import type { SyncDeps } from "./driver";
import { renewLease } from "./runs";

export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`The lease on run ${runId} was lost: another driver has it, or the run ended.`);
    this.name = "LeaseLostError";
  }
}

export class LeaseKeeper {
  private renewedAt: number;

  constructor(
    private readonly deps: SyncDeps,
    readonly runId: string,
    readonly owner: string,
    private readonly leaseMs: number,
  ) {
    this.renewedAt = deps.now();
  }

  /** Before a request: renews when a quarter of the lease has gone by. */
  async beat(): Promise<void> {
    if (this.deps.now() - this.renewedAt < this.leaseMs / 4) return;
    await this.renew(false);
  }

  /** Renews now (`progressed`: a chunk was written, which the watchdog counts as progress). */
  async renew(progressed: boolean): Promise<void> {
    const now = this.deps.now();
    if (!(await renewLease(this.deps.db, this.runId, this.owner, now, this.leaseMs, progressed))) throw new LeaseLostError(this.runId);
    this.renewedAt = now;
  }

  /** A renewal already written (inside a write's batch) that succeeded. */
  renewed(at: number): void {
    this.renewedAt = at;
  }
}
