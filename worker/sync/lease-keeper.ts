// Keeps a driver's lease alive through long work that has no pages to checkpoint (a filtered
// import): a heartbeat renews it every third of the lease (a single request, with its retries,
// may outlast a lease), a request first renews it once a quarter of the lease has passed, and
// every write renews it in its batch. A renewal that finds the lease gone (expired and taken, or
// the run failed meanwhile) stops the work at the next request or write, so a run is never driven
// twice and a failed run is never finished.
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
  private timer: ReturnType<typeof setInterval> | undefined;
  private lost: LeaseLostError | null = null;

  constructor(
    private readonly deps: SyncDeps,
    readonly runId: string,
    readonly owner: string,
    private readonly leaseMs: number,
  ) {
    this.renewedAt = deps.now();
  }

  /** Starts the heartbeat; `stop` ends it (always, in a finally). */
  start(): void {
    this.timer = setInterval(() => {
      this.renew(false).catch((err: unknown) => {
        this.lost = err instanceof LeaseLostError ? err : new LeaseLostError(this.runId);
      });
    }, Math.max(100, this.leaseMs / 3));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Before a request: stops if the lease was lost; renews when a quarter of the lease has gone by. */
  async beat(): Promise<void> {
    if (this.lost) throw this.lost;
    if (this.deps.now() - this.renewedAt < this.leaseMs / 4) return;
    await this.renew(false);
  }

  /** Renews now (`progressed`: a chunk was written, which the watchdog counts as progress). */
  async renew(progressed: boolean): Promise<void> {
    const now = this.deps.now();
    if (!(await renewLease(this.deps.db, this.runId, this.owner, now, this.leaseMs, progressed))) {
      this.lost = new LeaseLostError(this.runId);
      throw this.lost;
    }
    this.renewedAt = Math.max(this.renewedAt, now);
  }

  /** A renewal already written (inside a write's batch) that succeeded. */
  renewed(at: number): void {
    this.renewedAt = Math.max(this.renewedAt, at);
  }
}
