// GCRA with reservations and claims: pure maths, the clock is passed in (a Worker's clock only
// moves on I/O). A caller is told when its turn is; it sleeps outside the Durable Object and then
// claims it. Only a claim puts a send in the log, so a caller that wakes late (its isolate was
// busy) still sends as soon as the window allows: nobody else holds a booking it would collide
// with, and the turn it slept through is not lost.
import { type SendWindow, earliestFit, fits, insert, prune, remove, sendWindow } from "./window";

/** Persisted per upstream account. Times are epoch milliseconds. */
export type GcraState = {
  /** Theoretical arrival time: when the next turn is due at the steady rate (≤ now: bucket full). */
  tat: number;
  /** No send before this (upstream said 429 / AmoCRM's 403 block). */
  blockedUntil: number;
  /** Consecutive throttles without a success in between; drives the backoff. */
  strikes: number;
  /** Granted send times (sorted) that can still share a window with a future send: see window.ts. */
  sent: number[];
};

export type GcraConfig = {
  rps: number;
  /** How many sends may go at once after an idle period; 1 = strictly spaced. */
  burst: number;
  /** Extra spacing in percent, see DEFAULT_MARGIN_PCT. */
  marginPct: number;
};

/** What reserve, claim and reclaim answer: waitMs 0 = go now (the send is logged at slotAt). */
export type Turn = { state: GcraState; waitMs: number; slotAt: number };

/**
 * Upstreams count ARRIVALS in a window, we control departures. Sent exactly 1/rps apart, rps+1
 * requests land inside one second whenever the first one's trip is slower than the last one's.
 * Spacing sends by T = (1000/rps)·(1 + m/100) makes rps intervals span 1000 + 10·m ms, so with
 * burst 1 every 1000 ms window sees ≤ rps arrivals while the jitter spread (slowest minus fastest
 * trip) stays under 10·m ms: 40 ms at 4 %, minus 1 ms for rounding waitMs up, well above typical
 * WAN jitter. The price is 1/1.04 = 96 % of the limit, above the 95 % target. (A burst b > 1 lets
 * up to rps + b − 1 through by definition: use it only where the upstream allows bursts.)
 */
export const DEFAULT_MARGIN_PCT = 4;

/** Backoff without Retry-After: 2 s, 4 s, 8 s … by strike, capped (see backoffMs). */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 60_000;
/** A bogus Retry-After (days, or a parse slip) must not wedge an account: cap any one block. */
export const MAX_BLOCK_MS = 3_600_000;

export const initialState = (): GcraState => ({ tat: 0, blockedUntil: 0, strikes: 0, sent: [] });

/** Emission interval T in ms. */
export function intervalMs(config: GcraConfig): number {
  return (1000 / config.rps) * (1 + config.marginPct / 100);
}

/** The window the send log enforces for this config (see sendWindow). */
export function windowOf(config: GcraConfig): SendWindow {
  return sendWindow(config, intervalMs(config));
}

/**
 * Fills the default margin and throws on a config no limiter should run with (callers pass it
 * over RPC on every call). Picks only the known fields.
 */
export function toGcraConfig(config: { rps: number; burst: number; marginPct?: number | undefined }): GcraConfig {
  const { rps, burst, marginPct = DEFAULT_MARGIN_PCT } = config;
  if (!(Number.isFinite(rps) && rps > 0 && rps <= 1000)) throw new RangeError(`rps must be in (0, 1000], got ${rps}`);
  if (!(Number.isInteger(burst) && burst >= 1 && burst <= 1000)) throw new RangeError(`burst must be an integer in [1, 1000], got ${burst}`);
  if (!(Number.isFinite(marginPct) && marginPct >= 0 && marginPct <= 100)) throw new RangeError(`marginPct must be in [0, 100], got ${marginPct}`);
  return { rps, burst, marginPct };
}

/**
 * Takes the next turn at the GCRA pace. A turn that is due now (an idle bucket) is granted at
 * once; a later one is only a time to come back and claim(): nothing is logged for it, so if its
 * caller wakes late the sends around it are not in the way. The turn is also never earlier than
 * the send log allows (window.ts).
 */
export function reserve(state: GcraState, config: GcraConfig, now: number): Turn {
  const t = intervalMs(config);
  const win = windowOf(config);
  const sent = prune(state.sent, now, win);
  const due = Math.max(now, state.tat - (config.burst - 1) * t, state.blockedUntil);
  const slotAt = earliestFit(sent, due, win);
  const next = { ...state, tat: Math.max(state.tat, now, state.blockedUntil, slotAt) + t, sent };
  if (slotAt > now) return { state: next, waitMs: Math.ceil(slotAt - now), slotAt };
  return { state: { ...next, sent: insert(sent, now) }, waitMs: 0, slotAt: now };
}

/**
 * The caller slept until its turn (`slotAt`, as reserve or an earlier claim gave it) and asks to
 * send. Granted now when no block is in force and the window allows, however late the caller is;
 * a window squeezed by other late senders means a short wait; a block means a fresh turn past it.
 * A caller early for its turn (clocks disagree) is told to wait for it.
 */
export function claim(state: GcraState, config: GcraConfig, now: number, slotAt: number): Turn {
  if (slotAt > now) return { state, waitMs: Math.ceil(slotAt - now), slotAt };
  return grantNow({ ...state, sent: prune(state.sent, now, windowOf(config)) }, config, now);
}

/**
 * A grant (at `grantedAt`) whose answer reached the caller late, so the send would not happen
 * when it was logged: the grant is withdrawn and the send asked for again at `now`.
 */
export function reclaim(state: GcraState, config: GcraConfig, now: number, grantedAt: number): Turn {
  const pruned = prune(state.sent, now, windowOf(config));
  return grantNow({ ...state, sent: remove(pruned, grantedAt) ?? pruned }, config, now);
}

function grantNow(state: GcraState, config: GcraConfig, now: number): Turn {
  if (now < state.blockedUntil) return reserve(state, config, now);
  const win = windowOf(config);
  if (fits(state.sent, now, win)) return { state: { ...state, sent: insert(state.sent, now) }, waitMs: 0, slotAt: now };
  const at = earliestFit(state.sent, now, win);
  return { state, waitMs: Math.ceil(at - now), slotAt: at };
}

/**
 * 2 s, 4 s, 8 s, 16 s, 32 s, then 60 s. Beyond 8 s because an upstream that still refuses us is
 * not counting a 1 s window (and AmoCRM answers repeated excess with a 403 block of the account);
 * capped at a minute so a sync resumes soon after the upstream recovers. Longer quotas (GHL's
 * daily one) come with Retry-After, which wins.
 */
export function backoffMs(strikes: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(strikes, 16));
}

/**
 * Upstream answered 429 (or 403 block). Every later turn moves past the block, and the burst
 * credit is forfeited: after a block, sends resume strictly spaced. Reports that arrive while a
 * block is in force are the same episode (requests already in flight when it began): they may
 * extend it with their Retry-After but add no strike, so one episode cannot escalate the backoff.
 */
export function throttled(state: GcraState, config: GcraConfig, now: number, retryAfterMs: number | null): GcraState {
  const inForce = now < state.blockedUntil;
  const valid = retryAfterMs !== null && Number.isFinite(retryAfterMs) && retryAfterMs >= 0;
  const penalty = Math.min(MAX_BLOCK_MS, valid ? retryAfterMs : inForce ? 0 : backoffMs(state.strikes));
  const blockedUntil = Math.max(state.blockedUntil, now + penalty);
  const tat = Math.max(state.tat, blockedUntil + (config.burst - 1) * intervalMs(config));
  return { ...state, tat, blockedUntil, strikes: inForce ? state.strikes : state.strikes + 1 };
}

export function succeeded(state: GcraState): GcraState {
  return state.strikes === 0 ? state : { ...state, strikes: 0 };
}

/**
 * No turn handed out ahead, no block, and no send that could still share a window with a new
 * one: the bucket is full again, so forgetting the state changes nothing but the strike count.
 */
export function isIdle(state: GcraState, config: GcraConfig, now: number): boolean {
  return idleAt(state, config) <= now;
}

/** When isIdle becomes true, absent new reservations (the cleanup alarm aims a little after). */
export function idleAt(state: GcraState, config: GcraConfig): number {
  const last = state.sent.at(-1);
  return Math.max(state.tat, state.blockedUntil, last === undefined ? 0 : last + windowOf(config).w);
}
