import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, client, json, uid } from "./helpers";

const SECRET = "pit-super-secret-token-value";

describe("admin locations", () => {
  it("create, read, list and patch; credentials are sealed and never returned", async () => {
    const id = uid();
    const created = await api("/api/admin/locations", {
      admin: true,
      body: { id, provider: "ghl", account_id: id, name: "Demo", credentials: { access_token: SECRET } },
    });
    expect(created.status).toBe(201);
    const createdText = await created.text();
    expect(createdText).not.toContain(SECRET);
    expect(JSON.parse(createdText)).toMatchObject({ location: { id, has_credentials: true, provider: "ghl" } });

    for (const res of [
      await api(`/api/admin/locations/${id}`, { admin: true }),
      await api("/api/admin/locations", { admin: true }),
      await api(`/api/admin/locations/${id}`, { admin: true, method: "PATCH", body: { name: "Renamed", credentials: { access_token: `${SECRET}-2` } } }),
    ]) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("credentials_enc");
    }

    const stored = await env.DB.prepare("select credentials_enc from locations where id = ?").bind(id).first<{ credentials_enc: string }>();
    expect(stored?.credentials_enc).toBeTruthy();
    const [version, keyId, sealed] = (stored?.credentials_enc ?? "").split(".");
    expect(version).toBe("v1");
    expect(keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(atob(sealed ?? "")).not.toContain(SECRET);
    const after = await (await client({ admin: true }).api.admin.locations[":id"].$get({ param: { id } })).json();
    expect(after.location.name).toBe("Renamed");
  });

  it("a duplicate id is a 409 and changes nothing", async () => {
    const id = uid();
    const body = { id, provider: "ghl", account_id: "one" };
    expect((await api("/api/admin/locations", { admin: true, body })).status).toBe(201);
    const dup = await api("/api/admin/locations", { admin: true, body: { ...body, account_id: "two" } });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toMatchObject({ error: { code: "location_exists" } });
    const read = await (await client({ admin: true }).api.admin.locations[":id"].$get({ param: { id } })).json();
    expect(read.location.account_id).toBe("one");
  });

  it.each([
    [{ provider: "ghl", account_id: "a" }, "id"],
    [{ id: "bad id!", provider: "ghl", account_id: "a" }, "id"],
    [{ id: "ok", provider: "salesforce", account_id: "a" }, "provider"],
    [{ id: "ok", provider: "ghl", account_id: "a", base_url: "ftp://x" }, "base_url"],
    [{ id: "ok", provider: "ghl", account_id: "a", credentials: { password: "x" } }, "credentials"],
    [{ id: "ok", provider: "ghl", account_id: "a", extra: 1 }, ""],
  ])("invalid body %j → 400 invalid_body", async (body, field) => {
    const res = await api("/api/admin/locations", { admin: true, body });
    expect(res.status).toBe(400);
    const err = await json<{ error: { code: string; message: string } }>(res);
    expect(err.error.code).toBe("invalid_body");
    expect(err.error.message).toContain(field);
  });

  it("patching an unknown location is a 404; an empty patch is a 400", async () => {
    expect((await api("/api/admin/locations/nope", { admin: true, method: "PATCH", body: { name: "x" } })).status).toBe(404);
    const id = uid();
    await api("/api/admin/locations", { admin: true, body: { id, provider: "ghl", account_id: id } });
    expect((await api(`/api/admin/locations/${id}`, { admin: true, method: "PATCH", body: {} })).status).toBe(400);
  });

  it("mints tokens that open the named locations only", async () => {
    const id = uid();
    await api("/api/admin/locations", { admin: true, body: { id, provider: "ghl", account_id: id } });
    const minted = await (await client({ admin: true }).api.admin.tokens.$post({ json: { locations: [id] } })).json();
    expect((await api(`/api/location-contacts?location_id=${id}`, { token: minted.token })).status).toBe(200);
    expect((await api("/api/location-contacts?location_id=other", { token: minted.token })).status).toBe(403);
  });
});
