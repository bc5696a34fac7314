// Abuse limits as token buckets: a rule "N per window" holds up to N tokens and refills N over the
// window, so a burst of N passes and then one more per window/N. Pure maths, the clock passed in.
export type LimitRule = { limit: number; windowMs: number };
export type BucketState = { tokens: number; updatedAt: number };
export type Verdict = { ok: boolean; retryAfterMs: number; remaining: number };

export function fullBucket(rule: LimitRule, now: number): BucketState {
  return { tokens: rule.limit, updatedAt: now };
}

/** The bucket as of `now`: refilled for the time since it was last touched, never above the limit. */
export function refill(state: BucketState, rule: LimitRule, now: number): BucketState {
  const rate = rule.limit / rule.windowMs;
  const elapsed = Math.max(0, now - state.updatedAt);
  return { tokens: Math.min(rule.limit, state.tokens + elapsed * rate), updatedAt: Math.max(now, state.updatedAt) };
}

/** Takes `cost` tokens if they are there (cost 0 only looks). A refusal takes nothing. */
export function take(state: BucketState, rule: LimitRule, now: number, cost = 1): { state: BucketState; verdict: Verdict } {
  const current = refill(state, rule, now);
  const rate = rule.limit / rule.windowMs;
  // Looking (cost 0) asks whether one more would pass.
  const need = Math.max(cost, 1);
  if (current.tokens + 1e-9 >= need) {
    const next = { ...current, tokens: current.tokens - cost };
    return { state: next, verdict: { ok: true, retryAfterMs: 0, remaining: Math.floor(next.tokens) } };
  }
  return { state: current, verdict: { ok: false, retryAfterMs: Math.ceil((need - current.tokens) / rate), remaining: 0 } };
}

/** When the bucket is full again: after that its state can be forgotten. */
export function fullAt(state: BucketState, rule: LimitRule): number {
  const rate = rule.limit / rule.windowMs;
  return state.updatedAt + Math.ceil((rule.limit - state.tokens) / rate);
}
