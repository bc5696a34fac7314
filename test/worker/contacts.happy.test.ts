import { describe, expect, it } from "vitest";
import type { ContactListResponse } from "../../shared/schemas/contacts";
import { api, createLocation, fakeContact, json, seedContacts, token, uid } from "./helpers";

async function setup(n: number, over: (i: number) => Partial<ReturnType<typeof fakeContact>> = () => ({})) {
  const id = uid();
  await createLocation(id);
  await seedContacts(id, Array.from({ length: n }, (_, i) => fakeContact(i, over(i))));
  return { id, t: await token([id]) };
}

async function list(path: string, t: string): Promise<ContactListResponse> {
  const res = await api(path, { token: t });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<ContactListResponse>(res);
}

async function walk(base: string, t: string): Promise<ContactListResponse["contacts"]> {
  const seen: ContactListResponse["contacts"] = [];
  let cursor: string | null = null;
  do {
    const page: ContactListResponse = await list(`${base}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, t);
    seen.push(...page.contacts);
    cursor = page.next_cursor;
  } while (cursor);
  return seen;
}

describe("the contact list endpoints", () => {
  it("answer the seed-compatible shape from the cache", async () => {
    const { id, t } = await setup(3);
    const body = await list(`/api/get-location-contacts-fast?location_id=${id}`, t);
    expect(body).toMatchObject({ success: true, location_id: id, total: 3, next_cursor: null, sync_status: "fresh" });
    expect(body.message).toBe("Data returned from cache.");
    expect(body.last_synced_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.contacts[0]).toMatchObject({ locationId: id, lastName: "Tester", email: expect.stringContaining("@") });
  });

  it.each(["name", "date_added", "date_updated"] as const)("walk every page sorted by %s: each contact once, in order", async (sort) => {
    const { id, t } = await setup(57, (i) => ({ name: `N${(i * 37) % 57}`, dateAdded: 1e12 + ((i * 13) % 7) * 1000 }));
    for (const order of ["asc", "desc"] as const) {
      const all = await walk(`/api/location-contacts?location_id=${id}&limit=10&sort=${sort}&order=${order}`, t);
      expect(all).toHaveLength(57);
      expect(new Set(all.map((c) => c.id)).size).toBe(57);
      const field = sort === "name" ? "name" : sort === "date_added" ? "dateAdded" : "dateUpdated";
      const values = all.map((c) => (field === "name" ? c.name.toLowerCase() : Date.parse(c[field])));
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(values).toEqual(order === "asc" ? sorted : sorted.reverse());
    }
  });

  it("q searches name, email, phone and company, case-insensitively, with the matching total", async () => {
    const { id, t } = await setup(30, (i) => ({
      name: i === 3 ? "Zoë Quimby" : `Person ${i}`,
      email: i === 4 ? "quimby@mail.test" : `p${i}@example.org`,
      phone: i === 5 ? "+15550009999" : `+1444000${String(i).padStart(4, "0")}`,
      companyName: i === 6 ? "QUIMBY Ltd" : "Acme",
    }));
    const byText = await list(`/api/location-contacts?location_id=${id}&q=quimby&sort=name`, t);
    expect(byText.total).toBe(3);
    expect(byText.contacts.map((c) => c.id).sort()).toEqual(["c000003", "c000004", "c000006"]);
    const byPhone = await list(`/api/location-contacts?location_id=${id}&q=0009999`, t);
    expect(byPhone.contacts.map((c) => c.id)).toEqual(["c000005"]);
    const literal = await list(`/api/location-contacts?location_id=${id}&q=${encodeURIComponent("%")}`, t);
    expect(literal.total).toBe(0);
  });

  it("search pages through every match", async () => {
    const { id, t } = await setup(40, (i) => ({ companyName: i % 4 === 0 ? "Match Co" : "Other" }));
    const all = await walk(`/api/location-contacts?location_id=${id}&q=match&limit=3`, t);
    expect(all).toHaveLength(10);
  });

  it("ETag: If-None-Match answers 304 until the data changes", async () => {
    const { id, t } = await setup(5);
    const path = `/api/get-location-contacts-fast?location_id=${id}&limit=2`;
    const first = await api(path, { token: t });
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await api(path, { token: t, headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const otherQuery = await api(`${path}&sort=name`, { token: t, headers: { "if-none-match": etag ?? "" } });
    expect(otherQuery.status).toBe(200);
    await seedContacts(id, [fakeContact(99)]);
    const changed = await api(path, { token: t, headers: { "if-none-match": etag ?? "" } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("the token's only location is used when location_id is absent", async () => {
    const { id, t } = await setup(2);
    const body = await list("/api/location-contacts", t);
    expect(body.location_id).toBe(id);
  });

  it("GET /api/contacts/:id returns the contact with tasks, notes, conversations, opportunities", async () => {
    const { id, t } = await setup(2);
    const res = await api(`/api/contacts/c000001?location_id=${id}`, { token: t });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      success: true,
      contact: { id: "c000001" },
      tasks: [],
      notes: [],
      conversations: [],
      opportunities: [],
    });
    expect((await api(`/api/contacts/nope?location_id=${id}`, { token: t })).status).toBe(404);
  });
});
