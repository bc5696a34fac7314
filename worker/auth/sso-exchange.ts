// POST /api/auth/ghl-sso: a GoHighLevel custom page's encrypted user context → our short-lived
// token for the registered location(s) of its activeLocation, scoped by the user's GHL role.
//
// Every failure — the payload does not decode, its padding or JSON or fields are wrong, it names no
// location or an unknown one, its company is not the location's, the user is not confirmed — is ONE
// answer (sso_failed), after the same steps, no sooner than SSO_FAILURE_FLOOR_MS. Nothing of the
// payload is echoed. Failures are counted per client IP (SSO_FAILURES_PER_IP) and attempts per
// claimed location (SSO_ATTEMPTS_PER_LOCATION); past either, 429 with Retry-After.
//
// Before a token is minted the user is confirmed upstream with the location's own credentials
// (GET /users/{id}: the user exists and may open this location), a positive answer being kept
// for SSO_CONFIRM_CACHE_SECONDS.
import type { LocationRow } from "../../shared/db/schema";
import { SCOPES, type Scope } from "../../shared/schemas/scopes";
import { type AbuseLimits, tooMany } from "../abuse/client";
import type { Config } from "../config";
import { pinCompany } from "../db/location-admin";
import { ghlLocationsByAccount } from "../db/location-queries";
import { type ConfirmedUser, forgetConfirmation, recentConfirmation, rememberConfirmation } from "../db/sso-confirmations";
import { AppError } from "../http/errors";
import { GhlClient, type GhlUser } from "../providers/ghl";
import { RequestMeter } from "../providers/meter";
import type { SyncDeps } from "../sync/driver";
import { upstreamFor } from "../sync/driver";
import { type SsoUser, openPayload } from "./ghl-sso";
import type { KeyRing } from "./keyring";
import { mintToken } from "./tokens";

export const SSO_FAILED_MESSAGE =
  "GoHighLevel sign-in could not be completed. Reload the page in GoHighLevel; if this keeps happening, ask your administrator to check the app's installation.";
/** A lookup that can match nothing (ids are never empty), so a payload without a location costs a lookup too. */
const NO_LOCATION = "\u0000";
/** How long confirming a user upstream may take inside an interactive exchange. */
const CONFIRM_DEADLINE_MS = 5000;

export type SsoGrant = { token: string; expiresIn: number; locationId: string; locations: string[]; scopes: Scope[] };
type Outcome = { ok: true; grant: SsoGrant } | { ok: false; why: string };

export type SsoContext = {
  deps: SyncDeps;
  keys: KeyRing;
  sharedSecret: string;
  limits: AbuseLimits;
  clientIp: string;
  sleep?: (ms: number) => Promise<void>;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function scopesFor(role: string, config: Pick<Config, "GHL_USER_SCOPES">): Scope[] {
  return role === "admin" ? [...SCOPES] : [...new Set(config.GHL_USER_SCOPES)];
}

/**
 * May this GHL user open this location? Listed in the user's locationIds; or an agency user
 * without a sub-account restriction whose company is the location's pinned company.
 */
export function userMayOpen(user: GhlUser, userId: string, location: LocationRow, claimedCompany: string | undefined): ConfirmedUser | null {
  if (user.deleted === true || (user.id && user.id !== userId)) return null;
  const roles = user.roles;
  if (!roles) return null;
  const listed = (roles.locationIds ?? []).includes(location.accountId);
  const agencyWide =
    roles.type === "agency" && roles.restrictSubAccount !== true && location.companyId !== null && claimedCompany === location.companyId;
  if (!listed && !agencyWide) return null;
  return { role: roles.role ?? "user", type: roles.type ?? "account" };
}

async function confirmUpstream(deps: SyncDeps, location: LocationRow, sso: SsoUser): Promise<ConfirmedUser | null> {
  const upstream = await upstreamFor(deps, location.id);
  const client = new GhlClient({
    baseUrl: location.baseUrl ?? deps.config.GHL_BASE_URL,
    locationId: location.accountId,
    tokens: upstream.tokens,
  });
  const ctx = {
    limiter: upstream.limiter,
    pace: upstream.pace,
    meter: new RequestMeter(),
    timeoutMs: deps.config.UPSTREAM_TIMEOUT_MS,
    signal: AbortSignal.timeout(CONFIRM_DEADLINE_MS),
    retries: { throttled: 1, transient: 1 },
  };
  const user = await client.user(ctx, sso.userId);
  return user ? userMayOpen(user, sso.userId, location, sso.companyId) : null;
}

async function confirmedUser(deps: SyncDeps, location: LocationRow, sso: SsoUser): Promise<ConfirmedUser | null> {
  const now = deps.now();
  const cached = await recentConfirmation(deps.db, location.id, sso.userId, now - deps.config.SSO_CONFIRM_CACHE_SECONDS * 1000);
  if (cached) return cached;
  let confirmed: ConfirmedUser | null;
  try {
    confirmed = await confirmUpstream(deps, location, sso);
  } catch (err) {
    // Refused, unknown, or upstream unreachable: not confirmed. Operators see why in the log.
    console.warn(JSON.stringify({ event: "sso.confirm_failed", locationId: location.id, error: err instanceof Error ? err.message : String(err) }));
    confirmed = null;
  }
  if (confirmed) await rememberConfirmation(deps.db, location.id, sso.userId, confirmed, now);
  else await forgetConfirmation(deps.db, location.id, sso.userId);
  return confirmed;
}

async function attempt(ctx: SsoContext, payload: string): Promise<Outcome> {
  const { deps } = ctx;
  const sso = await openPayload(ctx.sharedSecret, payload, deps.now());
  const rows = await ghlLocationsByAccount(deps.db, sso?.activeLocation ?? NO_LOCATION);
  const first = rows[0];
  if (!sso || !first) return { ok: false, why: sso ? "unknown_location" : "unreadable_payload" };

  const perLocation = await ctx.limits.record(`sso-loc:${first.id}`, deps.config.SSO_ATTEMPTS_PER_LOCATION);
  if (!perLocation.ok) throw tooMany("sign-in attempts for this location", perLocation.retryAfterMs);
  if (first.companyId !== null && sso.companyId !== first.companyId) return { ok: false, why: "company_mismatch" };

  const user = await confirmedUser(deps, first, sso);
  if (!user) return { ok: false, why: "user_not_confirmed" };
  // The user is listed for this location upstream: their company is the location's.
  if (first.companyId === null && sso.companyId) await pinCompany(deps.db, first.id, sso.companyId);

  const scopes = scopesFor(user.role, deps.config);
  const ttl = deps.config.SSO_TOKEN_TTL_SECONDS;
  const ids = rows.map((r) => r.id);
  const minted = await mintToken(ctx.keys, { subject: `ghl:${sso.userId}`, locations: ids, scopes, ttlSeconds: ttl, now: deps.now() });
  return { ok: true, grant: { token: minted.token, expiresIn: ttl, locationId: first.id, locations: ids, scopes } };
}

export async function exchangeSsoPayload(ctx: SsoContext, payload: string): Promise<SsoGrant> {
  // The deps clock, so tests can pin it; in workerd Date.now moves only across I/O, which is the
  // time an observer could measure.
  const started = ctx.deps.now();
  const ipKey = `sso-ip:${ctx.clientIp}`;
  const rule = ctx.deps.config.SSO_FAILURES_PER_IP;
  const ip = await ctx.limits.peek(ipKey, rule);
  if (!ip.ok) throw tooMany("failed sign-in attempts from this address", ip.retryAfterMs);

  const outcome = await attempt(ctx, payload);
  if (outcome.ok) return outcome.grant;

  await ctx.limits.record(ipKey, rule);
  console.warn(JSON.stringify({ event: "sso.failed", why: outcome.why }));
  const wait = started + ctx.deps.config.SSO_FAILURE_FLOOR_MS - ctx.deps.now();
  if (wait > 0) await (ctx.sleep ?? sleepFor)(wait);
  throw new AppError("sso_failed", SSO_FAILED_MESSAGE);
}
