// Token and key lifecycle: key rings (rotation logs nobody out, old sealed credentials still open
// and are re-sealed), revocation by token id and by subject, admin-minted tokens capped and bound
// to registered locations, secrets too short refused, and upstream credentials never sent to a
// host other than the provider's own.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../worker/app";
import { openCredentials, sealCredentials } from "../../worker/auth/credentials";
import { authKeyRing, credentialsKeyRing } from "../../worker/auth/keyring";
import { mintToken } from "../../worker/auth/tokens";
import { resealCredentials } from "../../worker/db/credential-rotation";
import { getDb } from "../../worker/db/client";
import { upstreamUrlProblem } from "../../worker/providers/hosts";
import { api, createLocation, json, mint, token, uid } from "./helpers";

const NEW_AUTH = "a-brand-new-auth-secret-0123456789abcdef";
const NEW_KEY = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 200 - i)));

function withEnv(over: Record<string, string>) {
  const e = { ...env, ...over };
  return (path: string, init: RequestInit = {}) => app.request(path, init, e);
}

describe("AUTH_SECRET is a key ring", () => {
  it("after a rotation, tokens of the previous key still work and new ones use the new key", async () => {
    const loc = uid();
    await createLocation(loc);
    const old = await token([loc]);
    const rotated = withEnv({ AUTH_SECRET: NEW_AUTH, AUTH_SECRET_PREVIOUS: env.AUTH_SECRET });
    const auth = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    expect((await rotated(`/api/location-contacts?location_id=${loc}`, auth(old))).status).toBe(200);

    const minted = await json<{ token: string }>(
      await rotated("/api/admin/tokens", {
        method: "POST",
        headers: { authorization: `Bearer ${env.ADMIN_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ locations: [loc] }),
      }),
    );
    const header = JSON.parse(atob(minted.token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(header.kid).toBe((await authKeyRing({ AUTH_SECRET: NEW_AUTH })).current.id);
    expect((await rotated(`/api/location-contacts?location_id=${loc}`, auth(minted.token))).status).toBe(200);
    // Once the previous key is dropped, its tokens stop working; the new ones go on.
    const dropped = withEnv({ AUTH_SECRET: NEW_AUTH, AUTH_SECRET_PREVIOUS: "" });
    expect((await dropped(`/api/location-contacts?location_id=${loc}`, auth(old))).status).toBe(401);
    expect((await dropped(`/api/location-contacts?location_id=${loc}`, auth(minted.token))).status).toBe(200);
  });

  it("secrets shorter than 32 bytes are refused with a clear message that does not show them", async () => {
    const cases: Record<string, string>[] = [{ AUTH_SECRET: "short-secret" }, { ADMIN_API_KEY: "short-admin-key" }, { CREDENTIALS_KEY: btoa("sixteen bytes!!!") }];
    for (const over of cases) {
      const res = await withEnv(over)("/api/admin/locations", { headers: { authorization: `Bearer ${env.ADMIN_API_KEY}` } });
      expect(res.status).toBe(500);
      const body = await json<{ error: { code: string; message: string } }>(res);
      expect(body.error.code).toBe("misconfigured");
      expect(body.error.message).toMatch(/32/);
      for (const v of Object.values(over)) expect(body.error.message).not.toContain(v);
    }
  });
});

describe("CREDENTIALS_KEY is a key ring", () => {
  it("credentials sealed with the previous key open, and re-sealing moves every one to the current key", async () => {
    const db = getDb(env.DB);
    const ids = [uid("seal"), uid("seal"), uid("seal")];
    const oldRing = await credentialsKeyRing(env);
    for (const [i, id] of ids.entries()) await createLocation(id, { credentials: { access_token: `secret-${i}` } });
    // A row from before key ids existed (bare base64 of iv || ciphertext, the location id as AAD).
    const legacy = ids[2]!;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const key = await crypto.subtle.importKey("raw", oldRing.current.bytes, "AES-GCM", false, ["encrypt"]);
    const ct = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(legacy) }, key, new TextEncoder().encode('{"access_token":"secret-2"}')),
    );
    await env.DB.prepare("update locations set credentials_enc = ? where id = ?").bind(btoa(String.fromCharCode(...iv, ...ct)), legacy).run();

    const ring = await credentialsKeyRing({ CREDENTIALS_KEY: NEW_KEY, CREDENTIALS_KEY_PREVIOUS: env.CREDENTIALS_KEY });
    const result = await resealCredentials(db, ring, Date.now());
    expect(result.failed).toEqual([]);
    expect(result.resealed).toBeGreaterThanOrEqual(3);
    for (const [i, id] of ids.entries()) {
      const row = await env.DB.prepare("select credentials_enc from locations where id = ?").bind(id).first<{ credentials_enc: string }>();
      expect(row!.credentials_enc.startsWith(`v1.${ring.current.id}.`)).toBe(true);
      // The new key alone opens it now.
      const onlyNew = await credentialsKeyRing({ CREDENTIALS_KEY: NEW_KEY });
      expect(await openCredentials(onlyNew, id, row!.credentials_enc)).toMatchObject({ access_token: `secret-${i}` });
    }
    // Running it again finds nothing to do for these.
    const again = await resealCredentials(db, ring, Date.now());
    expect(again.resealed).toBe(0);
  });

  it("a sealed credential copied to another location does not open", async () => {
    const ring = await credentialsKeyRing(env);
    const sealed = await sealCredentials(ring, "loc-a", { access_token: "x" });
    await expect(openCredentials(ring, "loc-b", sealed)).rejects.toThrow();
  });

  it("POST /api/admin/credentials/reseal reports its work", async () => {
    const id = uid("seal");
    await createLocation(id, { credentials: { access_token: "x" } });
    const res = await api("/api/admin/credentials/reseal", { admin: true, method: "POST" });
    expect(res.status).toBe(200);
    const body = await json<{ key_id: string; failed: string[]; already_current: number }>(res);
    expect(body.key_id).toBe((await credentialsKeyRing(env)).current.id);
    expect(body.failed).not.toContain(id);
    expect(body.already_current).toBeGreaterThanOrEqual(1);
  });
});

describe("revocation", () => {
  it("a revoked token id stops working at once; other tokens of the subject go on", async () => {
    const loc = uid();
    await createLocation(loc);
    const a = await mint([loc], { subject: "alice" });
    const b = await mint([loc], { subject: "alice" });
    expect((await api(`/api/location-contacts?location_id=${loc}`, { token: a.token })).status).toBe(200);
    expect((await api("/api/admin/tokens/revoke", { admin: true, body: { kind: "jti", value: a.jti } })).status).toBe(200);
    expect((await api(`/api/location-contacts?location_id=${loc}`, { token: a.token })).status).toBe(401);
    expect((await api(`/api/location-contacts?location_id=${loc}`, { token: b.token })).status).toBe(200);
  });

  it("revoking a subject ends every token it holds, not the ones issued after", async () => {
    const loc = uid();
    await createLocation(loc);
    const subject = uid("bob");
    const before = await mint([loc], { subject, now: Date.now() - 5000 });
    await api("/api/admin/tokens/revoke", { admin: true, body: { kind: "subject", value: subject, reason: "left the company" } });
    expect((await api(`/api/location-contacts?location_id=${loc}`, { token: before.token })).status).toBe(401);
    const after = await mint([loc], { subject, now: Date.now() + 2000 });
    expect((await api(`/api/location-contacts?location_id=${loc}`, { token: after.token })).status).toBe(200);
  });
});

describe("admin-minted tokens", () => {
  it("live at most 24 h, carry jti, aud and scopes, and may only name registered locations", async () => {
    const loc = uid();
    await createLocation(loc);
    const long = await api("/api/admin/tokens", { admin: true, body: { locations: [loc], ttl_seconds: 30 * 24 * 3600 } });
    expect(long.status).toBe(400);
    const ok = await json<{ token: string; token_id: string; expires_in: number; scopes: string[] }>(
      await api("/api/admin/tokens", { admin: true, body: { locations: [loc], ttl_seconds: 86_400, scopes: ["read"] } }),
    );
    const claims = JSON.parse(atob(ok.token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims).toMatchObject({ aud: "crm-edge-api", jti: ok.token_id, scope: ["read"], loc: [loc] });
    expect(claims.exp - claims.iat).toBe(86_400);
    const ghost = await api("/api/admin/tokens", { admin: true, body: { locations: [loc, "never-registered"] } });
    expect(ghost.status).toBe(400);
    expect(await json(ghost)).toMatchObject({ error: { code: "unknown_location" } });
  });

  it("a token signed by a key the ring does not hold is refused", async () => {
    const loc = uid();
    await createLocation(loc);
    const stranger = await authKeyRing({ AUTH_SECRET: "someone-elses-secret-0123456789abcdef" });
    const t = (await mintToken(stranger, { subject: "x", locations: [loc], scopes: ["read"], ttlSeconds: 600 })).token;
    expect((await api(`/api/location-contacts?location_id=${loc}`, { token: t })).status).toBe(401);
  });
});

describe("credentials go only to the provider's own hosts", () => {
  it.each([
    ["ghl", "https://services.leadconnectorhq.com", null],
    ["ghl", "http://services.leadconnectorhq.com", "https"],
    ["ghl", "https://evil.example.com", "services.leadconnectorhq.com"],
    ["ghl", "https://services.leadconnectorhq.com.evil.example", "services.leadconnectorhq.com"],
    ["ghl", "https://user:pw@services.leadconnectorhq.com", "user info"],
    ["amocrm", "https://acme.amocrm.ru", null],
    ["amocrm", "https://acme.kommo.com", null],
    ["amocrm", "https://acme.amocrm.com", null],
    ["amocrm", "https://127.0.0.1:8789", "amocrm"],
    ["amocrm", "https://amocrm.ru.evil.example", "amocrm"],
  ] as const)("%s %s", (provider, url, problem) => {
    const found = upstreamUrlProblem(provider, url, false);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
    // Development allows plain http and loopback (the local sandbox).
    expect(upstreamUrlProblem(provider, "http://127.0.0.1:8789", true)).toBeNull();
  });

  it("the admin API refuses a foreign base_url and changes nothing", async () => {
    const id = uid();
    const res = await api("/api/admin/locations", { admin: true, body: { id, provider: "ghl", account_id: id, base_url: "https://attacker.example" } });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: "base_url_not_allowed" } });
    expect((await api(`/api/admin/locations/${id}`, { admin: true })).status).toBe(404);
  });

  it("moving a location to another base_url wipes its credentials (unless new ones come with it)", async () => {
    const id = uid();
    await createLocation(id, { provider: "amocrm", account_id: "acme", credentials: { access_token: "t", long_lived: true } });
    const patch = (body: unknown) => api(`/api/admin/locations/${id}`, { admin: true, method: "PATCH", body });
    const view = async (res: Response) => (await json<{ location: { has_credentials: boolean; base_url: string | null } }>(res)).location;
    expect(await view(await patch({ base_url: "https://acme.kommo.com" }))).toMatchObject({ has_credentials: false, base_url: "https://acme.kommo.com" });
    expect(await view(await patch({ credentials: { access_token: "t2", long_lived: true } }))).toMatchObject({ has_credentials: true });
    // Same base_url again: nothing moved, credentials kept.
    expect(await view(await patch({ base_url: "https://acme.kommo.com" }))).toMatchObject({ has_credentials: true });
    expect(await view(await patch({ base_url: "https://acme.amocrm.ru", credentials: { access_token: "t3", long_lived: true } }))).toMatchObject({
      has_credentials: true,
    });
    expect((await patch({ base_url: "http://acme.amocrm.ru" })).status).toBe(400);
  });
});
