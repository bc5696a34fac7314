import { describe, expect, it } from "vitest";
import { api, createLocation, fakeContact, json, seedContacts, token, uid } from "./helpers";

const PROTECTED = [
  "/api/get-location-contacts-fast",
  "/api/get-location-contacts",
  "/api/location-contacts",
  "/api/contacts/c000001",
];

describe("auth on every location endpoint", () => {
  describe.each(PROTECTED)("%s", (path) => {
    it("401 without a token", async () => {
      const res = await api(path);
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ success: false, error: { code: "unauthorized" } });
    });

    it("401 with a forged token (wrong key)", async () => {
      const forged = await token(["x"], { secret: "not-the-secret-not-the-secret-xx" });
      const res = await api(path, { token: forged });
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ error: { code: "unauthorized" } });
    });

    it("401 with an expired token", async () => {
      const expired = await token(["x"], { ttlSeconds: 60, now: Date.now() - 3_600_000 });
      const res = await api(path, { token: expired });
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ error: { code: "token_expired" } });
    });

    it("403 for a location the token does not cover", async () => {
      const t = await token(["mine"]);
      const sep = path.includes("?") ? "&" : "?";
      const res = await api(`${path}${sep}location_id=theirs`, { token: t });
      expect(res.status).toBe(403);
      expect(await json(res)).toMatchObject({ error: { code: "forbidden_location" } });
    });
  });

  it("never returns another location's rows, whatever the parameters", async () => {
    const a = uid();
    const b = uid();
    await createLocation(a);
    await createLocation(b);
    await seedContacts(a, [fakeContact(1, { name: "Alice Only" })]);
    await seedContacts(b, [fakeContact(1, { name: "Bob Only" })]);
    const t = await token([a]);
    const list = await json<{ contacts: { name: string; locationId: string }[] }>(
      await api(`/api/location-contacts?location_id=${a}&q=only`, { token: t }),
    );
    expect(list.contacts.map((c) => c.name)).toEqual(["Alice Only"]);
    expect((await api(`/api/location-contacts?location_id=${b}`, { token: t })).status).toBe(403);
    const detail = await api(`/api/contacts/c000001?location_id=${a}`, { token: t });
    expect(await json(detail)).toMatchObject({ contact: { name: "Alice Only", locationId: a } });
  });

  it("a token with several locations must name one", async () => {
    const res = await api("/api/location-contacts", { token: await token(["a", "b"]) });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: "invalid_parameter" } });
  });

  it("admin routes refuse a location token and a wrong key", async () => {
    const t = await token(["a"]);
    expect((await api("/api/admin/locations", { token: t })).status).toBe(401);
    expect((await api("/api/admin/locations", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await api("/api/admin/locations", { admin: true })).status).toBe(200);
  });
});
