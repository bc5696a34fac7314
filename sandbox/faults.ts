// Per-location fault injection. Random faults draw from a seeded stream (reset whenever the
// faults are set), so the same request sequence meets the same faults on every run.
import { rngFor, type Rng } from "./data/prng";

/**
 * `error5xxNext`: the next n calls answer 500, whatever the rate. `retryAfterS`: the Retry-After
 * header of `burst429` answers (0 = none), e.g. 86400 for a day-long block. `emptyPageAt`: the
 * n-th `POST /contacts/search` after the faults were set (1-based), and the `emptyPageTimes - 1`
 * after it, come back empty: `emptyPageAs` "empty" (`{contacts: [], total}` with the true total),
 * "204" (no content) or "blank" (a 200 with an empty body, as a misbehaving proxy sends).
 */
export type EmptyAs = "empty" | "204" | "blank";
export interface Faults {
  error5xxRate: number;
  latencyMs: number;
  malformedRate: number;
  burst429: number;
  error5xxNext: number;
  retryAfterS: number;
  emptyPageAt: number;
  emptyPageTimes: number;
  emptyPageAs: EmptyAs;
}

export const NO_FAULTS: Faults = {
  error5xxRate: 0, latencyMs: 0, malformedRate: 0, burst429: 0,
  error5xxNext: 0, retryAfterS: 0, emptyPageAt: 0, emptyPageTimes: 1, emptyPageAs: "empty",
};

export interface FaultDecision { latencyMs: number; burst429: boolean; retryAfterS: number; error5xx: boolean; malformed: boolean }

export class FaultState {
  private current: Faults = { ...NO_FAULTS };
  private rng: Rng;
  /** Contact searches answered since the faults were last set (emptyPageAt counts these). */
  private searches = 0;

  constructor(private readonly seedLabel: string) { this.rng = this.stream(); }

  /** Seeded by location and the fault settings themselves, not by how many PUTs came before. */
  private stream(): Rng { return rngFor(0, this.seedLabel, "faults", JSON.stringify(this.current)); }

  get(): Faults { return { ...this.current }; }

  /** Partial merge; restarts the random stream so runs after a PUT are reproducible. */
  set(patch: Partial<Faults>): Faults {
    this.current = { ...this.current, ...patch };
    this.rng = this.stream();
    this.searches = 0;
    return this.get();
  }

  clear(): Faults { return this.set({ ...NO_FAULTS }); }

  /** Decide this request's faults. Both rates always draw, keeping the stream aligned. */
  decide(): FaultDecision {
    const r5 = this.rng();
    const rm = this.rng();
    const burst429 = this.current.burst429 > 0;
    if (burst429) this.current.burst429--;
    const forced5xx = !burst429 && this.current.error5xxNext > 0;
    if (forced5xx) this.current.error5xxNext--;
    return {
      latencyMs: this.current.latencyMs,
      burst429,
      retryAfterS: this.current.retryAfterS,
      error5xx: forced5xx || r5 < this.current.error5xxRate,
      malformed: rm < this.current.malformedRate,
    };
  }

  /** Called by each contact search the gate let through: how this one comes back, if empty. */
  emptySearch(): EmptyAs | null {
    const n = ++this.searches;
    const { emptyPageAt: at, emptyPageTimes: times, emptyPageAs: as } = this.current;
    return at > 0 && n >= at && n < at + Math.max(1, times) ? as : null;
  }
}
