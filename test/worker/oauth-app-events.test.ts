// GoHighLevel app events at POST /api/oauth/ghl/app-events: signed (Ed25519 or RSA), UNINSTALL
// disables and wipes credentials, INSTALL of a location in an agency we hold registers it.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ghlOAuth } from "./ghl-oauth-sandbox";
import { runCron, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { runsOf } from "./sync-fixtures";
import { TEST_WEBHOOK_KEYS } from "./webhook-keys";

const der = (pem: string) => Uint8Array.from(atob(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

async function signed(body: string, scheme: "ed25519" | "rsa"): Promise<Record<string, string>> {
  if (scheme === "ed25519") {
    const key = await crypto.subtle.importKey("pkcs8", der(TEST_WEBHOOK_KEYS.ed25519PrivatePem), { name: "Ed25519" }, false, ["sign"]);
    return { "x-ghl-signature": b64(await crypto.subtle.sign({ name: "Ed25519" }, key, new TextEncoder().encode(body))) };
  }
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const key = await crypto.subtle.importKey("pkcs8", der(TEST_WEBHOOK_KEYS.rsaPrivatePem), alg, false, ["sign"]);
  return { "x-wh-signature": b64(await crypto.subtle.sign(alg, key, new TextEncoder().encode(body))) };
}

async function deliver(event: Record<string, unknown>, scheme: "ed25519" | "rsa" = "ed25519", tamper = false) {
  const body = JSON.stringify(event);
  const headers = await signed(body, scheme);
  const sent = tamper ? body.replace("UNINSTALL", "INSTALL") : body;
  return exports.default.fetch(new Request("https://crm-edge.test/api/oauth/ghl/app-events", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: sent }));
}

const row = (id: string) =>
  env.DB.prepare("select credentials_enc, disabled_at from locations where id = ?").bind(id).first<{ credentials_enc: string | null; disabled_at: number | null }>();

async function agencyInstall(n: number) {
  const companyId = uid("agency");
  const ids = Array.from({ length: n }, () => uid("evt"));
  for (const id of ids) await sandbox.createLocation(id, 5);
  await ghlOAuth.company(companyId, ids);
  const res = await exports.default.fetch(new Request(`https://crm-edge.test/api/oauth/ghl/callback?code=${await ghlOAuth.code({ userType: "Company", companyId })}`));
  expect(res.status).toBe(200);
  return { companyId, ids };
}

describe("GoHighLevel app events", () => {
  it("a forged or tampered signature changes nothing (401)", async () => {
    const { companyId, ids } = await agencyInstall(1);
    const tampered = await deliver({ type: "UNINSTALL", companyId, locationId: ids[0] }, "ed25519", true);
    expect(tampered.status).toBe(401);
    const unsigned = await exports.default.fetch(new Request("https://crm-edge.test/api/oauth/ghl/app-events", { method: "POST", body: JSON.stringify({ type: "UNINSTALL", companyId }) }));
    expect(unsigned.status).toBe(401);
    expect((await row(ids[0]!))?.credentials_enc).toBeTruthy();
  });

  it("UNINSTALL of a location disables it and wipes its credentials; the cron leaves it alone", async () => {
    const { companyId, ids } = await agencyInstall(2);
    const res = await deliver({ type: "UNINSTALL", appId: "sbx", companyId, locationId: ids[0] }, "ed25519");
    expect(await res.json()).toMatchObject({ ok: true, action: "disabled", locations: 1 });
    expect(await row(ids[0]!)).toMatchObject({ credentials_enc: null });
    expect((await row(ids[0]!))?.disabled_at).toBeGreaterThan(0);
    expect((await row(ids[1]!))?.credentials_enc).toBeTruthy();
    await runCron();
    expect(await runsOf(ids[0]!)).toEqual([]);
  });

  it("UNINSTALL of the agency (RSA-signed) disables the grant and every location minted from it", async () => {
    const { companyId, ids } = await agencyInstall(2);
    const res = await deliver({ type: "UNINSTALL", appId: "sbx", companyId }, "rsa");
    expect(await res.json()).toMatchObject({ action: "disabled", locations: 2 });
    for (const id of ids) expect((await row(id))?.credentials_enc).toBeNull();
    const grant = await env.DB.prepare("select state, credentials_enc from oauth_grants where id = ?").bind(`ghl:${companyId}`).first();
    expect(grant).toEqual({ state: "disabled", credentials_enc: null });
  });

  it("INSTALL of a new location in an agency we hold registers it with a minted token", async () => {
    const { companyId, ids } = await agencyInstall(1);
    const added = uid("evt");
    await sandbox.createLocation(added, 5);
    await ghlOAuth.company(companyId, [...ids, added]);
    const res = await deliver({ type: "INSTALL", appId: "sbx", installType: "Location", companyId, locationId: added });
    expect(await res.json()).toMatchObject({ action: "registered", locations: 1 });
    expect((await row(added))?.credentials_enc).toBeTruthy();
  });
});
