// The log of booked send times: pure maths beside gcra.ts. GCRA spaces slots T apart, but a caller
// that wakes late and still sends (confirmLate) moves its booking; the log is what keeps every
// window of W holding at most N sends whatever moved. Times are epoch milliseconds, sorted.

/** At most `n` booked sends in any half-open window [x, x + w). */
export type SendWindow = { n: number; w: number };

/**
 * Float slack when comparing slot times: epoch-scale doubles carry ~1e-4 ms of rounding, and a
 * strictly spaced schedule has exactly N·T between a send and the N-th after it.
 */
const EPS_MS = 1e-3;

/**
 * N = max(1, ⌊rps⌋) + burst − 1 sends in any W = max(1, ⌊rps⌋)·T. With burst 1 this is the upstream's
 * rps per second plus the margin's slack (7 sends per 1040 ms at 7 rps, 4 %): what strict GCRA
 * spacing produces anyway, so the log only binds once a booking has moved. With burst b the window
 * stays ⌊rps⌋·T long (not N·T): GCRA lets b go at once and then one per T, which puts exactly N
 * sends in ⌊rps⌋·T but more than N in N·T; the longer window would quietly shrink the burst.
 */
export function sendWindow(config: { rps: number; burst: number }, intervalMs: number): SendWindow {
  const k = Math.max(1, Math.floor(config.rps));
  return { n: k + config.burst - 1, w: k * intervalMs };
}

/** Drops bookings that can no longer share a window with a send at or after `now`. */
export function prune(booked: readonly number[], now: number, win: SendWindow): number[] {
  return booked.filter((b) => b > now - win.w);
}

/** Inserts `cost` bookings at `at`, keeping the log sorted. */
export function insert(booked: readonly number[], at: number, cost = 1): number[] {
  const after = booked.findIndex((b) => b > at);
  const i = after === -1 ? booked.length : after;
  return [...booked.slice(0, i), ...Array<number>(cost).fill(at), ...booked.slice(i)];
}

/** Removes the booking closest to `slotAt` (within half a millisecond); null when none is there. */
export function remove(booked: readonly number[], slotAt: number): number[] | null {
  let best = -1;
  for (let i = 0; i < booked.length; i++) {
    const d = Math.abs((booked[i] ?? Infinity) - slotAt);
    if (d < 0.5 && (best === -1 || d < Math.abs((booked[best] ?? Infinity) - slotAt))) best = i;
  }
  return best === -1 ? null : [...booked.slice(0, best), ...booked.slice(best + 1)];
}

/**
 * Would `cost` more sends at `at` keep every window that contains `at` at ≤ n? Only windows
 * containing `at` are checked, so a log that was legal under an older config never wedges it.
 * The fullest such window can be taken to start at a booking in (at − w, at].
 */
export function fits(booked: readonly number[], at: number, win: SendWindow, cost = 1): boolean {
  const all = insert(booked, at, cost);
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
 * The earliest time ≥ `from` where `cost` sends fit. Moving right only helps when a booking drops
 * out of the window (at b + w), so those are the only candidates besides `from`; the last one
 * always fits (no booking left within w before it, and cost ≤ burst ≤ n).
 */
export function earliestFit(booked: readonly number[], from: number, win: SendWindow, cost = 1): number {
  if (fits(booked, from, win, cost)) return from;
  for (const b of booked) {
    const candidate = b + win.w;
    if (candidate > from && fits(booked, candidate, win, cost)) return candidate;
  }
  return Math.max(from, (booked.at(-1) ?? from) + win.w);
}
