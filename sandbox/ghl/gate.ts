// The front door of every GHL route, in the order a real API gateway would apply it:
// auth (401) -> rate limit / burst (429) -> injected latency and 5xx -> Version (400) -> route.
// It also stamps the five X-RateLimit-* headers on every answer and records traffic stats.
import type { Location, Sandbox } from "../sandbox";
import { arrivalTime } from "../arrival";
import type { RateDecision, RateConfig } from "../limits";
import { ghlErrors } from "./errors";

/** Conversations are their own API family with an older Version (2021-04-15 in the OpenAPI). */
function expectedVersion(pathname: string): string {
  return pathname.startsWith("/conversations") ? "2021-04-15" : "2021-07-28";
}

function bearer(req: Request): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return m?.[1] ?? null;
}

function withRateHeaders(res: Response, cfg: RateConfig, rate: RateDecision, body: ArrayBuffer): Response {
  const headers = new Headers(res.headers);
  headers.set("X-RateLimit-Limit-Daily", String(cfg.daily));
  headers.set("X-RateLimit-Daily-Remaining", String(rate.dailyRemaining));
  headers.set("X-RateLimit-Interval-Milliseconds", String(cfg.intervalMs));
  headers.set("X-RateLimit-Max", String(cfg.max));
  headers.set("X-RateLimit-Remaining", String(rate.remaining));
  return new Response(body, { status: res.status, headers });
}

/** Cuts the body mid-way: a 200 whose JSON cannot be parsed (a dropped connection, a bad proxy). */
function truncate(body: ArrayBuffer): ArrayBuffer {
  return body.slice(0, Math.max(1, Math.floor(body.byteLength / 2)));
}

export async function ghlGate(
  sandbox: Sandbox, req: Request, route: (loc: Location) => Promise<Response>,
): Promise<Response> {
  const arrival = arrivalTime(req, sandbox.now());
  const token = bearer(req);
  const who = token ? sandbox.resolveBearer(token) : undefined;
  const loc = typeof who === "object" ? who : undefined;
  if (!loc) {
    // Unknown token: no account to charge, so report the default budget untouched.
    const cfg = sandbox.options.rate;
    const res = who === "company" ? ghlErrors.wrongAuthClass() : ghlErrors.unauthorized();
    return withRateHeaders(res, cfg, { ok: true, remaining: cfg.max, dailyRemaining: cfg.daily, retryAfterS: 0 },
      await res.arrayBuffer());
  }
  const account = sandbox.accountOf(loc);
  account.stats.arrive(arrival);
  const fault = loc.faults.decide();
  const cfg = account.limiter.config;
  // Charge the limiter at arrival (before any injected latency) so its log stays in time order.
  const rate = fault.burst429 ? { ...account.limiter.peek(arrival), ok: false, remaining: 0, retryAfterS: 1 }
    : account.limiter.take(arrival);
  if (fault.latencyMs > 0) await sandbox.sleep(fault.latencyMs);

  let res: Response;
  if (!rate.ok) {
    res = ghlErrors.tooMany();
    if (fault.burst429 && fault.retryAfterS > 0) res.headers.set("Retry-After", String(fault.retryAfterS));
    else if (cfg.retryAfter) res.headers.set("Retry-After", String(rate.retryAfterS));
  } else if (fault.error5xx) {
    res = ghlErrors.internal();
  } else {
    const version = req.headers.get("version");
    const expected = expectedVersion(new URL(req.url).pathname);
    if (!version) res = ghlErrors.badRequest("Version header was not found");
    else if (version !== expected) res = ghlErrors.badRequest(`Version header is invalid; this endpoint expects ${expected}`);
    else res = await route(loc);
  }
  let body = await res.arrayBuffer();
  if (fault.malformed && res.status === 200) body = truncate(body);
  account.stats.finish(res.status, body.byteLength);
  return withRateHeaders(res, cfg, rate, body);
}
