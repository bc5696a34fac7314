// How long a call to the limiter normally takes from this caller, so an answer that took longer
// (it sat in a busy isolate before the caller could act on it) can be told apart from the network.

/** Enough recent calls to find the floor again soon after the path to the object changes. */
const KEEP = 16;

export class RoundTrips {
  private readonly recent: number[] = [];

  /** Records one call's round trip; returns how far it was above the fastest recent one (≥ 0). */
  observe(ms: number): number {
    this.recent.push(ms);
    if (this.recent.length > KEEP) this.recent.shift();
    return ms - Math.min(...this.recent);
  }
}
