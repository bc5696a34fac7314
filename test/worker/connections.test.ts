// GET /api/admin/connections and GET /api/connections: each location's state, token times and
// last error, with the reconnect link, and never a token.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Connection } from "../../shared/schemas/connections";
import { locationCredentials } from "./ghl-oauth-sandbox";
import { api, createLocation, json, token, uid } from "./helpers";
import { sandbox } from "./sandbox";

async function oauthLocation() {
  const id = uid("conn");
  await sandbox.createLocation(id, 5);
  const credentials = await locationCredentials(uid("agency"), id, 3600);
  await createLocation(id, { credentials });
  await env.DB.prepare("update locations set token_expires_at = ?, token_refreshed_at = ? where id = ?").bind(credentials.expires_at! * 1000, Date.now(), id).run();
  return { id, credentials };
}

describe("connections", () => {
  it("lists connected, expiring, needs_reconnect and disabled locations with reconnect links and no token", async () => {
    const [connected, expiring, refused, disabled] = await Promise.all([oauthLocation(), oauthLocation(), oauthLocation(), oauthLocation()]);
    await env.DB.prepare("update locations set token_expires_at = ? where id = ?").bind(Date.now() + 60_000, expiring.id).run();
    await env.DB.prepare("update locations set parked_reason = 'auth', parked_detail = 'refused', token_error = 'The upstream refused to renew the access token' where id = ?").bind(refused.id).run();
    await env.DB.prepare("update locations set disabled_at = ?, credentials_enc = null where id = ?").bind(Date.now(), disabled.id).run();
    const res = await api("/api/admin/connections", { admin: true });
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    for (const f of [connected, expiring, refused, disabled]) {
      expect(text).not.toContain(f.credentials.access_token);
      expect(text).not.toContain(f.credentials.refresh_token!);
    }
    const { connections } = await json<{ connections: Connection[] }>(res);
    const stateOf = (id: string) => connections.find((c) => c.location_id === id);
    expect(stateOf(connected.id)).toMatchObject({ state: "connected", provider: "ghl", last_error: null, reconnect_url: "https://crm-edge.test/api/oauth/ghl/install" });
    expect(stateOf(connected.id)?.token_expires_at).toMatch(/^\d{4}-/);
    expect(stateOf(expiring.id)?.state).toBe("expiring");
    expect(stateOf(refused.id)).toMatchObject({ state: "needs_reconnect", last_error: "The upstream refused to renew the access token" });
    expect(stateOf(disabled.id)?.state).toBe("disabled");
  });

  it("a location token with the admin scope sees its own location's connection only", async () => {
    const mine = await oauthLocation();
    const t = await token([mine.id]);
    const res = await api(`/api/connections?location_id=${mine.id}`, { token: t });
    const { connections } = await json<{ connections: Connection[] }>(res);
    expect(connections.map((c) => [c.location_id, c.state])).toEqual([[mine.id, "connected"]]);
  });
});
