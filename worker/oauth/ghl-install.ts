// Finishing a GoHighLevel Marketplace install. The code is exchanged at {GHL_BASE_URL}/oauth/token.
// A Company (agency) token: its installed locations are listed (paged), a location token is minted
// for each (POST /oauth/locationToken) and each is registered, its tokens later re-minted by its
// broker from the agency grant. A Location token: that location is registered with its own pair.
// Every upstream call happens before anything is written; the writes are one batch, so a failed
// install registers nothing and leaves no partial credentials.
import type { Credentials } from "../../shared/schemas/locations";
import { sealCredentials } from "../auth/credentials";
import type { KeyRing } from "../auth/keyring";
import type { Config } from "../config";
import { type InstalledLocation, writeInstall } from "../db/oauth-installs";
import { sealId } from "../db/oauth-tokens";
import type { Db } from "../env";
import { type GhlApp, type GhlToken, ghlInstalledLocations, ghlLocationToken, ghlTokenGrant } from "../providers/ghl-oauth";
import { RequestMeter } from "../providers/meter";
import type { UpstreamContext } from "../providers/upstream";
import { noopRateLimiter } from "../ratelimit/interface";

export type InstallResult = { kind: "Company" | "Location"; companyId: string | null; locations: { id: string; name: string }[] };

export class InstallError extends Error {}

/** An agency grant's id: one per GoHighLevel company. */
export const ghlGrantId = (companyId: string) => `ghl:${companyId}`;

const LOCATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

function times(t: GhlToken, now: number): { issued_at: number; expires_at: number } {
  const issued = Math.floor(now / 1000);
  return { issued_at: issued, expires_at: issued + Math.floor(t.expires_in ?? 86_399) };
}

export async function installGhl(db: Db, keys: KeyRing, config: Config, app: GhlApp, code: string, redirectUri: string, now = Date.now()): Promise<InstallResult> {
  const ctx: UpstreamContext = { limiter: noopRateLimiter, meter: new RequestMeter(), timeoutMs: config.UPSTREAM_TIMEOUT_MS, retries: { throttled: 3, transient: 0 } };
  const token = await ghlTokenGrant(app, ctx, { code, redirectUri });
  if (!token.refresh_token) throw new InstallError("GoHighLevel answered the install without a refresh token.");
  const pair: Credentials = {
    access_token: token.access_token,
    refresh_token: token.refresh_token,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    ...times(token, now),
  };
  if (token.userType === "Company" || (!token.locationId && token.companyId)) {
    const companyId = token.companyId;
    if (!companyId) throw new InstallError("GoHighLevel answered a Company install without a companyId.");
    const appId = app.clientId.split("-")[0] ?? app.clientId;
    const listed = await ghlInstalledLocations(config.GHL_BASE_URL, ctx, token.access_token, companyId, appId);
    const grantId = ghlGrantId(companyId);
    const installed: InstalledLocation[] = [];
    for (const loc of listed) {
      if (!LOCATION_ID.test(loc.id)) continue;
      const minted = await ghlLocationToken(config.GHL_BASE_URL, ctx, token.access_token, companyId, loc.id);
      const creds: Credentials = { access_token: minted.access_token, company_grant: grantId, user_type: "Location", ...times(minted, now) };
      installed.push({
        id: loc.id, provider: "ghl", name: loc.name, accountId: loc.id, baseUrl: null, companyId, grantId,
        sealed: await sealCredentials(keys, loc.id, creds), expiresAt: creds.expires_at! * 1000,
      });
    }
    const grant = { id: grantId, provider: "ghl" as const, companyId, sealed: await sealCredentials(keys, sealId({ kind: "grant", id: grantId }), { ...pair, user_type: "Company" }), expiresAt: pair.expires_at! * 1000 };
    await writeInstall(db, grant, installed, now);
    return { kind: "Company", companyId, locations: installed.map((l) => ({ id: l.id, name: l.name })) };
  }
  const locationId = token.locationId;
  if (!locationId || !LOCATION_ID.test(locationId)) throw new InstallError("GoHighLevel answered a Location install without a usable locationId.");
  const creds: Credentials = { ...pair, user_type: "Location" };
  await writeInstall(db, null, [{
    id: locationId, provider: "ghl", name: "", accountId: locationId, baseUrl: null, companyId: token.companyId ?? null, grantId: null,
    sealed: await sealCredentials(keys, locationId, creds), expiresAt: creds.expires_at! * 1000,
  }], now);
  return { kind: "Location", companyId: token.companyId ?? null, locations: [{ id: locationId, name: "" }] };
}
