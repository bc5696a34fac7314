// Callers see limits, not objects: `check` throws the API's 429 (with Retry-After) when a key's
// bucket is empty. Keys name what is limited: "<what>:<who>".
import { AppError } from "../http/errors";
import type { LimitRule, Verdict } from "./bucket";

export type AbuseLimits = {
  /** Takes one; refused → 429 rate_limited. */
  check(key: string, rule: LimitRule, what: string): Promise<void>;
  /** Would one more pass? Takes nothing. */
  peek(key: string, rule: LimitRule): Promise<Verdict>;
  /** Takes one whatever the verdict (counting failures after the fact). */
  record(key: string, rule: LimitRule): Promise<Verdict>;
};

export function tooMany(what: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError("rate_limited", `Too many ${what}: try again in ${seconds} s.`, undefined, seconds);
}

export function abuseLimits(namespace: Env["ABUSE_LIMITER"]): AbuseLimits {
  const stub = (key: string) => namespace.get(namespace.idFromName(key));
  return {
    async check(key, rule, what) {
      const verdict = await stub(key).take(rule, 1);
      if (!verdict.ok) throw tooMany(what, verdict.retryAfterMs);
    },
    peek: (key, rule) => stub(key).take(rule, 0),
    record: (key, rule) => stub(key).take(rule, 1),
  };
}
