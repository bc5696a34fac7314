// What sync code needs around it: the database, bindings, config and a clock; and the upstream of
// a location (its source and the shared bucket of its account).
import type { LocationRow } from "../../shared/db/schema";
import type { SyncRunMessage } from "../../shared/schemas/messages";
import { openCredentials } from "../auth/credentials";
import { readSecrets } from "../auth/secrets";
import type { Config } from "../config";
import { getLocation } from "../db/location-queries";
import type { Db } from "../env";
import type { AccessTokens } from "../providers/access-tokens";
import { upstreamUrlProblem } from "../providers/hosts";
import { type SyncSource, rateLimitKey, syncSourceFor } from "../providers/sync-source";
import type { RequestMeter } from "../providers/meter";
import { UpstreamError, type UpstreamContext } from "../providers/upstream";
import { type InvocationBudget, invocationBudget } from "../platform/budget";
import { meteredEnv, meteredFetch } from "../platform/metered";
import { getDb } from "../db/client";
import { rateLimiterFor } from "../ratelimit/client";
import { rateLimitConfigFrom } from "../ratelimit/config";
import { locationTokens } from "../tokens/client";
import type { RateLimitConfig, RateLimiter } from "../ratelimit/interface";

/**
 * `budget`: what this invocation may still ask of the platform (the sync consumer and the cron set
 * one; their env's bindings count into it). Without one, nothing is bounded.
 */
export type SyncDeps = { db: Db; env: Env; config: Config; now: () => number; budget?: InvocationBudget };

/**
 * The same deps with a fresh budget for this invocation (from INVOCATION_MAX_*), and the env's
 * bindings and the database counting into it.
 */
export function withInvocationBudget(deps: Omit<SyncDeps, "db" | "budget">): SyncDeps & { budget: InvocationBudget } {
  const budget = invocationBudget(deps.config);
  const env = meteredEnv(deps.env, budget);
  return { ...deps, env, db: getDb(env.DB), budget };
}

/** How a drive ended: the run finished, it handed over (slice or budget spent), or it was not ours. */
export type DriveOutcome = "done" | "yielded" | "not_ours";

export type Upstream = {
  location: LocationRow;
  /** The location's access token, renewed by its token broker when it can be. */
  tokens: AccessTokens;
  source: SyncSource;
  limiter: RateLimiter;
  /** The bucket's rate and burst (see UpstreamContext.pace). */
  pace: RateLimitConfig;
};

function numberSetting(location: LocationRow, key: string): number | undefined {
  const value = location.settings[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * The pace of a location's upstream calls: the deployment's RATE_LIMIT_RPS / RATE_LIMIT_BURST, or
 * the location's own `settings.rate_limit_rps` / `rate_limit_burst`. An invalid override throws
 * (a RangeError): its syncs fail and say why.
 */
export function locationPace(env: Pick<Env, "RATE_LIMIT_RPS" | "RATE_LIMIT_BURST">, location: LocationRow): RateLimitConfig {
  return rateLimitConfigFrom(env, { rps: numberSetting(location, "rate_limit_rps"), burst: numberSetting(location, "rate_limit_burst") });
}

/** The requests per second a location's syncs run at, for display; null when its override is invalid. */
export function locationRps(env: Pick<Env, "RATE_LIMIT_RPS" | "RATE_LIMIT_BURST">, location: LocationRow): number | null {
  try {
    return locationPace(env, location).rps;
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

export async function upstreamFor(deps: SyncDeps, locationId: string): Promise<Upstream> {
  const location = await getLocation(deps.db, locationId);
  if (!location) throw new UpstreamError("client", `Location '${locationId}' no longer exists.`);
  if (!location.credentialsEnc) throw new UpstreamError("auth", `Location '${location.id}' has no upstream credentials.`);
  const problem = location.baseUrl ? upstreamUrlProblem(location.provider, location.baseUrl, deps.config.DEV_MODE) : null;
  if (problem) throw new UpstreamError("client", `Location '${location.id}' has a base_url credentials may not go to: ${problem}.`);
  const credentials = await openCredentials((await readSecrets(deps.env)).credentials, location.id, location.credentialsEnc);
  const config = locationPace(deps.env, location);
  const tokens = locationTokens(deps.env, location.id, credentials, location.provider === "ghl" ? "GoHighLevel" : "AmoCRM");
  return {
    location,
    tokens,
    source: syncSourceFor(location, tokens, deps.config),
    limiter: rateLimiterFor(deps.env.RATE_LIMITER, rateLimitKey(location), config),
    pace: config,
  };
}

/**
 * How a run talks to its upstream: the account's bucket, the run's meter, the timeout, the daily
 * quota guard (GHL's reserve), and a fetch counted into the invocation's budget.
 */
export function upstreamContext(
  deps: SyncDeps,
  upstream: Upstream,
  meter: RequestMeter,
  signal?: AbortSignal,
  /** Requests a person is waiting for may use the reserve (0); background work keeps it. */
  reserve = deps.config.UPSTREAM_DAILY_RESERVE,
): UpstreamContext {
  return {
    limiter: upstream.limiter,
    pace: upstream.pace,
    meter,
    timeoutMs: deps.config.UPSTREAM_TIMEOUT_MS,
    signal,
    quota: { reserve, until: null, detail: null },
    ...(deps.budget ? { fetch: meteredFetch(deps.budget) } : {}),
  };
}

/** Puts "carry on with this run" on the queue. */
export async function enqueueRun(deps: SyncDeps, msg: Omit<SyncRunMessage, "type">, delaySeconds?: number): Promise<void> {
  const body: SyncRunMessage = { type: "sync.run", ...msg };
  await deps.env.SYNC_QUEUE.send(body, { contentType: "json", ...(delaySeconds ? { delaySeconds } : {}) });
}
