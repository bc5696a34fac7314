// GoHighLevel's app events (AppInstall / AppUninstall webhooks, `type` INSTALL / UNINSTALL),
// verified by signature before this is called. UNINSTALL of a location disables it and wipes its
// credentials; of a whole agency (no locationId), the agency grant and every location minted from
// it. INSTALL of a location in an agency whose grant we hold registers it with a token minted from
// the grant; any other INSTALL needs the OAuth callback (a code) and is acknowledged only.
import { z } from "zod";
import type { Credentials } from "../../shared/schemas/locations";
import { sealCredentials } from "../auth/credentials";
import type { KeyRing } from "../auth/keyring";
import type { Config } from "../config";
import { writeInstall, writeUninstall } from "../db/oauth-installs";
import { getGrant } from "../db/oauth-tokens";
import type { Db } from "../env";
import { ghlLocationToken } from "../providers/ghl-oauth";
import { RequestMeter } from "../providers/meter";
import { noopRateLimiter } from "../ratelimit/interface";
import { brokerFor } from "../tokens/stub";
import { ghlGrantId } from "./ghl-install";

export const appEventSchema = z.looseObject({
  type: z.enum(["INSTALL", "UNINSTALL"]),
  appId: z.string().nullish(),
  companyId: z.string().min(1).max(200).nullish(),
  locationId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).nullish(),
  installType: z.string().nullish(),
});
export type AppEvent = z.infer<typeof appEventSchema>;

export type AppEventOutcome = { action: "disabled" | "registered" | "ignored"; locations: number };

export async function applyAppEvent(db: Db, env: Pick<Env, "TOKEN_BROKER">, keys: KeyRing, config: Config, event: AppEvent, now = Date.now()): Promise<AppEventOutcome> {
  if (event.type === "UNINSTALL") {
    if (event.locationId) return { action: "disabled", locations: await writeUninstall(db, { locationId: event.locationId }, now) };
    if (event.companyId) return { action: "disabled", locations: await writeUninstall(db, { grantId: ghlGrantId(event.companyId) }, now) };
    return { action: "ignored", locations: 0 };
  }
  if (!event.locationId || !event.companyId) return { action: "ignored", locations: 0 };
  const grantId = ghlGrantId(event.companyId);
  const grant = await getGrant(db, grantId);
  if (!grant || grant.state !== "connected") return { action: "ignored", locations: 0 };
  const owner = { kind: "grant" as const, id: grantId };
  const company = await brokerFor(env, owner).token(owner, null);
  if (!company.ok) return { action: "ignored", locations: 0 };
  const ctx = { limiter: noopRateLimiter, meter: new RequestMeter(), timeoutMs: config.UPSTREAM_TIMEOUT_MS, retries: { throttled: 3, transient: 1 } };
  const minted = await ghlLocationToken(config.GHL_BASE_URL, ctx, company.token, event.companyId, event.locationId);
  const issued = Math.floor(now / 1000);
  const creds: Credentials = { access_token: minted.access_token, company_grant: grantId, user_type: "Location", issued_at: issued, expires_at: issued + Math.floor(minted.expires_in ?? 86_399) };
  await writeInstall(db, null, [{
    id: event.locationId, provider: "ghl", name: "", accountId: event.locationId, baseUrl: null, companyId: event.companyId, grantId,
    sealed: await sealCredentials(keys, event.locationId, creds), expiresAt: creds.expires_at! * 1000,
  }], now);
  return { action: "registered", locations: 1 };
}
