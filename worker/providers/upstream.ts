// The one HTTP layer to upstream CRMs. Every request: reserve a turn in the account's shared
// bucket → sleep outside the bucket → claim it → fetch with a timeout → classify. 429s are
// reported (moving every caller's next turn) and retried; 5xx, timeouts and network errors are
// retried with jittered backoff; other 4xx fail at once with the upstream's message.
import type { z } from "zod";
import { intervalMs, toGcraConfig } from "../ratelimit/gcra";
import type { RateLimitConfig, RateLimiter, Reservation } from "../ratelimit/interface";
import type { RequestMeter } from "./meter";

export type UpstreamErrorKind = "timeout" | "network" | "rate_limited" | "server" | "client" | "auth" | "malformed" | "aborted" | "quota";

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "UpstreamError";
  }

  /**
   * Worth trying again soon: the upstream was slow, busy or broken, not refusing us. A spent
   * daily quota is not: the caller parks the location until `retryAfterMs` has passed.
   */
  get retryable(): boolean {
    return this.kind !== "client" && this.kind !== "auth" && this.kind !== "aborted" && this.kind !== "quota";
  }
}

/** A Retry-After longer than this is a quota, not a burst limit: the location is parked, not retried. */
export const QUOTA_RETRY_AFTER_MS = 3_600_000;

/**
 * A run's view of its upstream's daily quota (GHL reports `X-RateLimit-Daily-Remaining`). Once
 * what is left falls to `reserve`, the run stops asking (the reserve is for people opening
 * contacts) until `until`, when the quota is taken to reset.
 */
export type QuotaGuard = { reserve: number; until: number | null; detail: string | null };

/** The next UTC midnight: when GHL's daily budget is taken to reset (its reset time is not documented). */
export function nextUtcMidnight(now: number): number {
  return (Math.floor(now / 86_400_000) + 1) * 86_400_000;
}

function quotaError(quota: QuotaGuard, now: number): UpstreamError {
  const until = quota.until ?? nextUtcMidnight(now);
  return new UpstreamError("quota", quota.detail ?? "The upstream's daily quota is spent.", 429, Math.max(0, until - now));
}

/** Reads GHL's daily counter off an answer; at or below the reserve, the run stops asking. */
function observeQuota(res: Response, quota: QuotaGuard | undefined, now: number): void {
  if (!quota) return;
  const raw = res.headers.get("x-ratelimit-daily-remaining");
  const left = raw === null || raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isFinite(left) || left > quota.reserve) return;
  quota.until = nextUtcMidnight(now);
  quota.detail = `The upstream's daily quota is nearly spent (${left} requests left, ${quota.reserve} kept in reserve); syncing resumes when it resets.`;
}

export type UpstreamRequest = {
  url: string;
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: unknown;
  /** Sent form-urlencoded instead of `body` as JSON (OAuth token endpoints that require it). */
  form?: Record<string, string>;
};

/** Who pays for a request: the account's bucket, the run's meter, its timeout and cancel signal. */
export type UpstreamContext = {
  limiter: RateLimiter;
  meter: RequestMeter;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The bucket's rate, to tell "we use the upstream's whole window" from "slow down". */
  pace?: RateLimitConfig;
  /** Answers that mean "slow down" besides 429 (AmoCRM blocks abusers with 403). */
  isThrottle?: (res: Response) => boolean;
  /** Bounded retries inside one call; beyond them the queue retries the whole message later. */
  retries?: { throttled: number; transient: number };
  /** The fetch to send with (a budgeted invocation counts its subrequests); global fetch when absent. */
  fetch?: typeof fetch;
  /** The daily quota as seen so far (GHL); absent, quota headers are ignored. */
  quota?: QuotaGuard;
};

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new UpstreamError("aborted", "The request was abandoned."));
    });
  });
}

/**
 * GHL says how much of its window is left. An empty window is a throttle seen coming, unless the
 * bucket's own pace cannot put more than the window's max into one window: then "0 left" only
 * says we use the whole allowance, and the bucket already spaces the next send. (Blocking a whole
 * window there stalled every caller for a second after each 7th request at a 7-per-second limit.)
 */
export function windowExhaustedMs(res: Response, pace?: RateLimitConfig): number | null {
  const remaining = res.headers.get("x-ratelimit-remaining");
  const interval = Number(res.headers.get("x-ratelimit-interval-milliseconds"));
  if (remaining !== "0" || !(Number.isFinite(interval) && interval > 0)) return null;
  const max = Number(res.headers.get("x-ratelimit-max"));
  if (pace && Number.isFinite(max) && max > 0) {
    const mostPerWindow = Math.floor(interval / intervalMs(toGcraConfig(pace))) + pace.burst;
    if (mostPerWindow <= max) return null;
  }
  return interval;
}

function retryAfterMs(res: Response): number | null {
  const value = res.headers.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

async function describe(res: Response): Promise<string> {
  const text = (await res.text().catch(() => "")).slice(0, 500);
  try {
    const body = JSON.parse(text) as { message?: unknown; detail?: unknown; title?: unknown };
    const message = body.message ?? body.detail ?? body.title;
    if (message !== undefined) return Array.isArray(message) ? message.join("; ") : String(message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text || res.statusText;
}

async function sendOnce(req: UpstreamRequest, ctx: UpstreamContext): Promise<Response> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
  const headers = { accept: "application/json", ...req.headers };
  let res: Response;
  try {
    const payload = req.form
      ? { type: "application/x-www-form-urlencoded", text: new URLSearchParams(req.form).toString() }
      : req.body === undefined
        ? null
        : { type: "application/json", text: JSON.stringify(req.body) };
    res = await (ctx.fetch ?? fetch)(req.url, {
      method: req.method ?? "GET",
      headers: payload ? { ...headers, "content-type": payload.type } : headers,
      body: payload?.text,
      signal,
      // Never follow: a redirect would carry the Authorization header (or a refresh token) to a
      // host nobody checked (providers/hosts.ts).
      redirect: "manual",
    });
  } catch (err) {
    if (ctx.signal?.aborted) throw new UpstreamError("aborted", "The request was abandoned.");
    if (timeout.aborted) throw new UpstreamError("timeout", `No answer from upstream within ${ctx.timeoutMs} ms.`);
    throw new UpstreamError("network", `Upstream unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (res.ok) return res;
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new UpstreamError("client", `Upstream answered with a redirect (${res.status}); requests are never sent on to another address.`, res.status);
  }
  const message = await describe(res);
  if (res.status === 429 || ctx.isThrottle?.(res)) {
    const wait = retryAfterMs(res);
    const dailyLeft = res.headers.get("x-ratelimit-daily-remaining");
    if ((wait !== null && wait > QUOTA_RETRY_AFTER_MS) || (res.status === 429 && dailyLeft !== null && Number(dailyLeft) === 0)) {
      const now = Date.now();
      const until = wait !== null && wait > QUOTA_RETRY_AFTER_MS ? now + wait : nextUtcMidnight(now);
      const why = wait !== null && wait > QUOTA_RETRY_AFTER_MS ? `Retry-After ${Math.round(wait / 1000)} s` : "daily quota at 0";
      const detail = `The upstream's quota is spent (${res.status}, ${why}): ${message}`;
      if (ctx.quota) {
        ctx.quota.until = until;
        ctx.quota.detail = detail;
      }
      throw new UpstreamError("quota", detail, res.status, until - now);
    }
    throw new UpstreamError("rate_limited", `Upstream rate limit: ${message}`, 429, wait);
  }
  if (res.status >= 500) throw new UpstreamError("server", `Upstream error ${res.status}: ${message}`, res.status);
  if (res.status === 401 || res.status === 403) {
    throw new UpstreamError("auth", `Upstream refused the credentials (${res.status}): ${message}`, res.status);
  }
  throw new UpstreamError("client", `Upstream rejected the request (${res.status}): ${message}`, res.status);
}

async function parse<T extends z.ZodType>(res: Response, schema: T, meter: RequestMeter): Promise<z.infer<T> | null> {
  const text = await res.text();
  meter.bytes += text.length;
  if (res.status === 204 || text === "") return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UpstreamError("malformed", "Upstream sent a body that is not JSON.", res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new UpstreamError("malformed", `Upstream sent an unexpected body: ${parsed.error.issues[0]?.message ?? "?"}`, res.status);
  }
  return parsed.data;
}

/**
 * How long a grant's answer may have waited in the caller's isolate (beyond the normal round trip)
 * and still be used: a quarter of the 40 ms the limiter's 4 % margin leaves per window, the rest
 * is for trip jitter. A grant is logged when the limiter answers, so a send later than that
 * leaves less than the margin to the send N after it; past this, the caller asks again (reclaim).
 */
export const LATE_GRANT_MS = 10;
/**
 * Reclaims per send at most, so an isolate busy at every answer still makes progress; what its
 * last answer was held then comes out of the margin's share for trip jitter.
 */
const MAX_RECLAIMS = 3;

function backoffMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * Waits until the limiter grants a send: reserve a turn, sleep until it (outside the limiter),
 * claim it. Waking late costs nothing: the claim is judged when it is made. A grant whose answer
 * was held up in a busy isolate is reclaimed, so the log holds the real send time.
 */
async function waitForGrant(ctx: UpstreamContext): Promise<Reservation> {
  ctx.meter.reservations++;
  let turn = await ctx.limiter.reserve();
  let reclaims = 0;
  for (;;) {
    if (turn.waitMs > 0) {
      await sleep(turn.waitMs, ctx.signal);
      ctx.meter.claims++;
      turn = await ctx.limiter.claim(turn.slotAt);
    } else if (turn.heldMs > LATE_GRANT_MS && reclaims < MAX_RECLAIMS) {
      reclaims++;
      ctx.meter.reclaims++;
      turn = await ctx.limiter.reclaim(turn.slotAt);
    } else {
      return turn;
    }
  }
}

/**
 * One logical upstream call: reserve, send, parse and check the body, with bounded retries.
 * Resolves to null for an empty answer (AmoCRM's 204). A body of the wrong shape is a transient
 * fault like a 5xx: the upstream may be mid-deploy.
 */
export async function sendJson<T extends z.ZodType>(
  req: UpstreamRequest,
  schema: T,
  ctx: UpstreamContext,
): Promise<z.infer<T> | null> {
  const limits = ctx.retries ?? { throttled: 6, transient: 3 };
  let throttles = 0;
  let faults = 0;
  for (;;) {
    if (ctx.quota?.until != null && ctx.quota.until > Date.now()) throw quotaError(ctx.quota, Date.now());
    const slot = await waitForGrant(ctx);
    ctx.meter.sent(Date.now());
    try {
      const res = await sendOnce(req, ctx);
      const body = await parse(res, schema, ctx.meter);
      observeQuota(res, ctx.quota, Date.now());
      if (slot.throttled) await ctx.limiter.reportSuccess();
      const exhausted = windowExhaustedMs(res, ctx.pace);
      if (exhausted !== null) await ctx.limiter.reportThrottled(exhausted);
      return body;
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      if (err.kind === "rate_limited") {
        ctx.meter.throttled++;
        await ctx.limiter.reportThrottled(err.retryAfterMs);
        if (++throttles <= limits.throttled) continue;
      } else if (err.retryable && ++faults <= limits.transient) {
        await sleep(backoffMs(faults), ctx.signal);
        continue;
      }
      throw err;
    }
  }
}
