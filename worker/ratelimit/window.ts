// The log of granted send times: pure maths beside gcra.ts. GCRA spaces turns T apart, but callers
// claim them when they wake, late ones included; the log is what keeps every window of W holding
// at most N sends whatever the callers' timing. Times are epoch milliseconds, sorted.

/** At most `n` sends in any half-open window [x, x + w). */
export type SendWindow = { n: number; w: number };

/**
 * Float slack when comparing send times: epoch-scale doubles carry ~1e-4 ms of rounding, and a
 * strictly spaced schedule has exactly N·T between a send and the N-th after it.
 */
const EPS_MS = 1e-3;

/**
 * N = max(1, ⌊rps⌋) + burst − 1 sends in any W = max(1, ⌊rps⌋)·T. With burst 1 this is the upstream's
 * rps per second plus the margin's slack (7 sends per 1040 ms at 7 rps, 4 %): what strict GCRA
 * spacing produces anyway, so the log only binds once callers claimed late. With burst b the
 * window stays ⌊rps⌋·T long (not N·T): GCRA lets b go at once and then one per T, which puts
 * exactly N sends in ⌊rps⌋·T but more than N in N·T; the longer window would quietly shrink the burst.
 */
export function sendWindow(config: { rps: number; burst: number }, intervalMs: number): SendWindow {
  const k = Math.max(1, Math.floor(config.rps));
  return { n: k + config.burst - 1, w: k * intervalMs };
}

/** Drops sends that can no longer share a window with a send at or after `now`. */
export function prune(sent: readonly number[], now: number, win: SendWindow): number[] {
  return sent.filter((s) => s > now - win.w);
}

/** Inserts a send at `at`, keeping the log sorted. */
export function insert(sent: readonly number[], at: number): number[] {
  const after = sent.findIndex((s) => s > at);
  const i = after === -1 ? sent.length : after;
  return [...sent.slice(0, i), at, ...sent.slice(i)];
}

/** Removes the send closest to `at` (within half a millisecond); null when none is there. */
export function remove(sent: readonly number[], at: number): number[] | null {
  let best = -1;
  for (let i = 0; i < sent.length; i++) {
    const d = Math.abs((sent[i] ?? Infinity) - at);
    if (d < 0.5 && (best === -1 || d < Math.abs((sent[best] ?? Infinity) - at))) best = i;
  }
  return best === -1 ? null : [...sent.slice(0, best), ...sent.slice(best + 1)];
}

/**
 * Would one more send at `at` keep every window that contains `at` at ≤ n? Only windows
 * containing `at` are checked, so a log that was legal under an older config never wedges it.
 * The fullest such window can be taken to start at a send in (at − w, at].
 */
export function fits(sent: readonly number[], at: number, win: SendWindow): boolean {
  const all = insert(sent, at);
  for (let i = 0; i < all.length; i++) {
    const start = all[i] ?? 0;
    if (start > at) break;
    if (start <= at - win.w + EPS_MS) continue;
    let count = 0;
    for (let j = i; j < all.length && (all[j] ?? Infinity) < start + win.w - EPS_MS; j++) count++;
    if (count > win.n) return false;
  }
  return true;
}

/**
 * The earliest time ≥ `from` where a send fits. Moving right only helps when a send drops out of
 * the window (at s + w), so those are the only candidates besides `from`; the last one always
 * fits (no send left within w before it, and n ≥ 1).
 */
export function earliestFit(sent: readonly number[], from: number, win: SendWindow): number {
  if (fits(sent, from, win)) return from;
  for (const s of sent) {
    const candidate = s + win.w;
    if (candidate > from && fits(sent, candidate, win)) return candidate;
  }
  return Math.max(from, (sent.at(-1) ?? from) + win.w);
}
