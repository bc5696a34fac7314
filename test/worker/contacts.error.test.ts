import { describe, expect, it } from "vitest";
import { api, createLocation, fakeContact, json, seedContacts, token, uid } from "./helpers";

describe("bad parameters get a 400 with a code and change nothing", () => {
  it.each([
    ["limit=0", "invalid_parameter"],
    ["limit=501", "invalid_parameter"],
    ["limit=abc", "invalid_parameter"],
    ["sort=email", "invalid_parameter"],
    ["order=sideways", "invalid_parameter"],
    ["cursor=not-a-cursor", "invalid_cursor"],
    [`q=${"x".repeat(101)}`, "invalid_parameter"],
  ])("%s → %s", async (qs, code) => {
    const id = uid();
    await createLocation(id);
    const t = await token([id]);
    for (const path of ["/api/get-location-contacts-fast", "/api/location-contacts"]) {
      const res = await api(`${path}?location_id=${id}&${qs}`, { token: t });
      expect(res.status).toBe(400);
      const body = await json<{ success: boolean; error: { code: string; message: string } }>(res);
      expect(body.success).toBe(false);
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });

  it("a cursor from another sort or search is refused", async () => {
    const id = uid();
    await createLocation(id);
    await seedContacts(id, Array.from({ length: 5 }, (_, i) => fakeContact(i)));
    const t = await token([id]);
    const page = await json<{ next_cursor: string }>(
      await api(`/api/location-contacts?location_id=${id}&limit=2&sort=name`, { token: t }),
    );
    const res = await api(`/api/location-contacts?location_id=${id}&limit=2&sort=date_added&cursor=${page.next_cursor}`, {
      token: t,
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: "invalid_cursor" } });
  });

  it("an unregistered location the token covers is a 404, not an empty list", async () => {
    const res = await api("/api/location-contacts?location_id=ghost", { token: await token(["ghost"]) });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: "location_not_found" } });
  });

  it("unknown routes are a JSON 404", async () => {
    const res = await api("/api/nope", { token: await token(["a"]) });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ success: false, error: { code: "not_found" } });
  });
});
