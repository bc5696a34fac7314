// Finishing an AmoCRM install: AmoCRM sends the browser back with `code` and `referer` (the
// account's host). The host must be one credentials may go to (providers/hosts.ts): the code is
// exchanged there, on the account's own domain, never on a host the link names otherwise. Every
// location of ours on that account gets the new pair (sealed); with none, one is registered.
import type { Credentials } from "../../shared/schemas/locations";
import { sealCredentials } from "../auth/credentials";
import type { KeyRing } from "../auth/keyring";
import type { Config } from "../config";
import { locationsByAccount } from "../db/location-queries";
import { type InstalledLocation, writeInstall } from "../db/oauth-installs";
import type { Db } from "../env";
import { amoTokenGrant, type AmoApp } from "../providers/amocrm/oauth";
import { upstreamUrlProblem } from "../providers/hosts";
import { RequestMeter } from "../providers/meter";
import { rateLimitKey } from "../providers/sync-source";
import { rateLimiterFor } from "../ratelimit/client";
import { rateLimitConfigFrom } from "../ratelimit/config";
import { InstallError } from "./ghl-install";

/** The account's origin from the `referer` host, or why it may not receive credentials. */
export function amoOrigin(referer: string, devMode: boolean): { origin: string; subdomain: string } | { problem: string } {
  const host = referer.replace(/^https?:\/\//i, "").replace(/\/+$/, "").toLowerCase();
  if (!/^[a-z0-9.-]+(?::\d{1,5})?$/.test(host)) return { problem: "the referer is not a host name" };
  const origin = `${devMode && /^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? "http" : "https"}://${host}`;
  const problem = upstreamUrlProblem("amocrm", origin, devMode);
  if (problem) return { problem };
  return { origin, subdomain: host.split(".")[0]?.split(":")[0] ?? host };
}

export async function installAmo(
  db: Db, env: Pick<Env, "RATE_LIMITER" | "RATE_LIMIT_RPS" | "RATE_LIMIT_BURST">, keys: KeyRing, config: Config, app: AmoApp, code: string, referer: string, now = Date.now(),
): Promise<{ subdomain: string; locations: string[] }> {
  const at = amoOrigin(referer, config.DEV_MODE);
  if ("problem" in at) throw new InstallError(`The account host '${referer.slice(0, 100)}' is not an AmoCRM host: ${at.problem}.`);
  const existing = await locationsByAccount(db, "amocrm", at.subdomain);
  const key = rateLimitKey({ provider: "amocrm", accountId: at.subdomain, settings: existing[0]?.settings ?? {} });
  const ctx = { limiter: rateLimiterFor(env.RATE_LIMITER, key, rateLimitConfigFrom(env, {})), meter: new RequestMeter(), timeoutMs: config.UPSTREAM_TIMEOUT_MS, retries: { throttled: 6, transient: 0 } };
  const t = await amoTokenGrant(at.origin, app, ctx, { code });
  const issued = t.server_time ?? Math.floor(now / 1000);
  const creds: Credentials = {
    access_token: t.access_token,
    refresh_token: t.refresh_token,
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uri: app.redirectUri,
    issued_at: issued,
    expires_at: issued + t.expires_in,
  };
  const targets = existing.length ? existing.map((l) => ({ id: l.id, name: l.name })) : [{ id: `amocrm-${at.subdomain}`, name: at.subdomain }];
  const installed: InstalledLocation[] = [];
  for (const l of targets) {
    installed.push({
      id: l.id, provider: "amocrm", name: l.name, accountId: at.subdomain, baseUrl: at.origin, companyId: null, grantId: null,
      sealed: await sealCredentials(keys, l.id, creds), expiresAt: creds.expires_at! * 1000,
    });
  }
  await writeInstall(db, null, installed, now);
  return { subdomain: at.subdomain, locations: targets.map((l) => l.id) };
}
