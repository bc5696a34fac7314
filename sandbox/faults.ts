// Per-location fault injection. Random faults draw from a seeded stream (reset whenever the
// faults are set), so the same request sequence meets the same faults on every run.
import { rngFor, type Rng } from "./data/prng";

export interface Faults { error5xxRate: number; latencyMs: number; malformedRate: number; burst429: number }

export const NO_FAULTS: Faults = { error5xxRate: 0, latencyMs: 0, malformedRate: 0, burst429: 0 };

export interface FaultDecision { latencyMs: number; burst429: boolean; error5xx: boolean; malformed: boolean }

export class FaultState {
  private current: Faults = { ...NO_FAULTS };
  private rng: Rng;

  constructor(private readonly seedLabel: string) { this.rng = this.stream(); }

  /** Seeded by location and the fault settings themselves, not by how many PUTs came before. */
  private stream(): Rng { return rngFor(0, this.seedLabel, "faults", JSON.stringify(this.current)); }

  get(): Faults { return { ...this.current }; }

  /** Partial merge; restarts the random stream so runs after a PUT are reproducible. */
  set(patch: Partial<Faults>): Faults {
    this.current = { ...this.current, ...patch };
    this.rng = this.stream();
    return this.get();
  }

  clear(): Faults { return this.set({ ...NO_FAULTS }); }

  /** Decide this request's faults. Both rates always draw, keeping the stream aligned. */
  decide(): FaultDecision {
    const r5 = this.rng();
    const rm = this.rng();
    const burst429 = this.current.burst429 > 0;
    if (burst429) this.current.burst429--;
    return {
      latencyMs: this.current.latencyMs,
      burst429,
      error5xx: r5 < this.current.error5xxRate,
      malformed: rm < this.current.malformedRate,
    };
  }
}
