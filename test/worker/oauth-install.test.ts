// GoHighLevel Marketplace installs through GET /api/oauth/ghl/callback against the sandbox's app.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ghlOAuth } from "./ghl-oauth-sandbox";
import { SANDBOX, runCron, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { liveIds, settled } from "./sync-fixtures";

const callback = (query: Record<string, string>) =>
  exports.default.fetch(new Request(`https://crm-edge.test/api/oauth/ghl/callback?${new URLSearchParams(query)}`));

const registered = async (ids: string[]) => {
  const { results } = await env.DB.prepare(`select id, credentials_enc, grant_id from locations where id in (select value from json_each(?))`).bind(JSON.stringify(ids)).all<{ id: string; credentials_enc: string | null; grant_id: string | null }>();
  return results;
};
const grants = (companyId: string) => env.DB.prepare("select id, state from oauth_grants where company_id = ?").bind(companyId).all();

describe("GoHighLevel install callback", () => {
  it("a Company install with three locations registers each and all three sync", async () => {
    const companyId = uid("agency");
    const ids = [uid("inst"), uid("inst"), uid("inst")];
    for (const id of ids) await sandbox.createLocation(id, 120);
    await ghlOAuth.company(companyId, ids);
    const code = await ghlOAuth.code({ userType: "Company", companyId });
    const res = await callback({ code });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    for (const id of ids) expect(html).toContain(id);
    expect(html).not.toMatch(/sbx(co|loc|refresh)-/);
    const rows = await registered(ids);
    expect(rows.map((r) => [r.id, r.grant_id]).sort()).toEqual(ids.map((id) => [id, `ghl:${companyId}`]).sort());
    expect((await grants(companyId)).results).toEqual([{ id: `ghl:${companyId}`, state: "connected" }]);
    await runCron();
    for (const id of ids) {
      const runs = await settled(id);
      expect(runs.find((r) => r.kind === "contacts")?.status).toBe("succeeded");
      expect((await liveIds("contacts", id)).length).toBe(120);
    }
  });

  it("a Location install registers that location with its own pair, and it syncs", async () => {
    const id = uid("inst");
    await sandbox.createLocation(id, 40);
    const code = await ghlOAuth.code({ userType: "Location", companyId: uid("agency"), locationId: id });
    const res = await callback({ code });
    expect(res.status, await res.clone().text()).toBe(200);
    const [row] = await registered([id]);
    expect(row?.grant_id).toBeNull();
    expect(row?.credentials_enc).toBeTruthy();
    await runCron();
    const runs = await settled(id);
    expect(runs.find((r) => r.kind === "contacts")?.status).toBe("succeeded");
  });

  it("a bad, reused or foreign-state code, wrong client credentials or an upstream error: an error page, nothing registered, no token shown", async () => {
    const id = uid("inst");
    await sandbox.createLocation(id, 10);
    const code = await ghlOAuth.code({ userType: "Location", companyId: uid("agency"), locationId: id });
    const cases: [string, () => Promise<Response>][] = [
      ["missing code", () => callback({})],
      ["unknown code", () => callback({ code: "not-a-code" })],
      ["state we did not sign", () => callback({ code, state: "forged.state.value" })],
    ];
    for (const [what, send] of cases) {
      const res = await send();
      const html = await res.text();
      expect(res.status, what).toBe(400);
      expect(html, what).toContain("Nothing was connected");
    }
    // Wrong client credentials: the app's secret no longer matches.
    await fetch(`${SANDBOX}/__sandbox/ghl/oauth/config`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientSecret: "rotated" }) });
    try {
      const res = await callback({ code });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/client id or secret/);
    } finally {
      await fetch(`${SANDBOX}/__sandbox/ghl/oauth/config`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientSecret: "sbx-ghl-secret" }) });
    }
    expect(await registered([id])).toEqual([]);
    // The code works once; shown again it is refused and nothing changes.
    expect((await callback({ code })).status).toBe(200);
    const reused = await callback({ code });
    expect(reused.status).toBe(400);
    expect(await reused.text()).not.toMatch(/sbx(co|loc|refresh)-/);
  });

  it("our install link carries a signed state through the Marketplace and back; the callback accepts it", async () => {
    const start = await exports.default.fetch(new Request("https://crm-edge.test/api/oauth/ghl/install"), { redirect: "manual" } as RequestInit);
    expect(start.status).toBe(302);
    const marketplace = new URL(start.headers.get("location")!);
    expect(marketplace.origin + marketplace.pathname).toBe("https://marketplace.gohighlevel.com/v2/oauth/chooselocation");
    expect(marketplace.searchParams.get("client_id")).toBe("sbx-ghl-client");
    const state = marketplace.searchParams.get("state")!;
    expect(state.length).toBeGreaterThan(20);
    // The sandbox's Marketplace page installs its agency and sends the browser back with a code.
    const back = await fetch(marketplace, { redirect: "manual" });
    expect(back.status).toBe(302);
    const returned = new URL(back.headers.get("location")!);
    expect(returned.pathname).toBe("/api/oauth/ghl/callback");
    expect(returned.searchParams.get("state")).toBe(state);
    const res = await exports.default.fetch(new Request(returned.toString()));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.text()).toContain("sbx-company");
  });
});
