// Test access to the sandbox's GoHighLevel Marketplace app (/__sandbox/ghl/oauth) and its token
// endpoint, reached like production reaches GHL.
import type { Credentials } from "../../shared/schemas/locations";
import { SANDBOX } from "./helpers";

export type GrantStats = { codeExchanges: number; refreshes: number; refreshReuses: number; locationTokens: number };

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${SANDBOX}/__sandbox/ghl/oauth${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const SBX_CLIENT = { id: "sbx-ghl-client", secret: "sbx-ghl-secret" };

export const ghlOAuth = {
  company: (companyId: string, locationIds: string[]) => call("POST", "/companies", { companyId, locationIds }),
  code: (grant: { userType: "Company" | "Location"; companyId: string; locationId?: string; ttlS?: number }) =>
    call<{ code: string }>("POST", "/codes", grant).then((r) => r.code),
  config: (c: { tokenLatencyMs?: number }) => call("PUT", "/config", c),
  stats: (key: string) => call<GrantStats>("GET", `/grants/${key}/stats`),
  expire: (match: { companyId?: string; locationId?: string }) => call("POST", "/expire", match),
  revoke: (match: { companyId?: string; locationId?: string }) => call("POST", "/revoke", match),
};

/** Exchanges an install code as an app would: the stored credentials of a Location install. */
export async function locationCredentials(companyId: string, locationId: string, ttlS?: number): Promise<Credentials> {
  const code = await ghlOAuth.code({ userType: "Location", companyId, locationId, ttlS });
  const res = await fetch(`${SANDBOX}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: SBX_CLIENT.id, client_secret: SBX_CLIENT.secret, grant_type: "authorization_code", code }),
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  const t = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
  const issued = Math.floor(Date.now() / 1000);
  return {
    access_token: t.access_token,
    refresh_token: t.refresh_token,
    client_id: SBX_CLIENT.id,
    client_secret: SBX_CLIENT.secret,
    issued_at: issued,
    expires_at: issued + t.expires_in,
    user_type: "Location",
  };
}
