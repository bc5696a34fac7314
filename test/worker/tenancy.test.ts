import { describe, expect, it } from "vitest";
import { api, createLocation, fakeContact, json, seedContacts, token, uid } from "./helpers";

describe("tenancy", () => {
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

  it("a token naming 100 locations stays within D1's 100 bound parameters (import task list)", async () => {
    const ids = Array.from({ length: 100 }, () => uid("many"));
    await Promise.all(ids.map((id) => createLocation(id)));
    const t = await token(ids);
    const res = await api("/api/contactlists/import-tasks", { token: t });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ success: true, tasks: [] });
    const list = await api("/api/contactlists/cl_none", { token: t });
    expect(list.status).toBe(404);
  });
});
