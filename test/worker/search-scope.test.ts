// Search touches only its own location: the trigram index holds each location's text in its own
// alphabet (worker/contacts/search-key.ts), so a term's posting list never holds another tenant's
// rows. One- and two-character searches are name and address prefixes read by index ranges, and
// counts stop at a cap that the response names.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { locationShift, searchKey } from "../../worker/contacts/search-key";
import { getDb } from "../../worker/db/client";
import { contactCountQuery, contactPageQuery, SEARCH_COUNT_CAP, type ListSpec } from "../../worker/db/contact-queries";
import { api, createLocation, fakeContact, json, seedContacts, token, uid } from "./helpers";
import { toApiContact } from "../../worker/contacts/rows";

type ListBody = { contacts: { id: string; name: string }[]; total: number; total_kind: string };

const db = getDb(env.DB);

/** Rowids the index yields for `text` in `locationId`'s alphabet, before any location filter. */
async function indexHits(locationId: string, text: string): Promise<number[]> {
  const res = await env.DB.prepare("select rowid as id from contacts_fts where contacts_fts match ?1 order by rowid")
    .bind(`"${searchKey(locationShift(locationId), text)}"`)
    .all<{ id: number }>();
  return res.results.map((r) => r.id);
}

async function rowIds(locationId: string): Promise<number[]> {
  const res = await env.DB.prepare("select id from contacts where location_id = ? order by id").bind(locationId).all<{ id: number }>();
  return res.results.map((r) => r.id);
}

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return res.results.map((r) => r.detail).join(" | ");
}

async function twoTenants() {
  const a = uid("scope-a");
  const b = uid("scope-b");
  expect(locationShift(a)).not.toBe(locationShift(b));
  await createLocation(a);
  await createLocation(b);
  const marker = `zx${crypto.randomUUID().slice(0, 8)}`;
  await seedContacts(a, [fakeContact(1, { name: "Ann Common", email: "ann@gmail.com" }), fakeContact(2, { name: "Zoë Quimby", email: "quimby@mail.test" })]);
  await seedContacts(b, [
    fakeContact(1, { name: `Bob ${marker}`, email: "bob@gmail.com" }),
    ...Array.from({ length: 40 }, (_, i) => fakeContact(10 + i, { email: `b${i}@gmail.com` })),
  ]);
  return { a, b, marker, t: await token([a, b]) };
}

describe("search scoped to its location", () => {
  it("a query matching only another tenant's rows returns nothing, and the index yields none of them", async () => {
    const { a, b, marker, t } = await twoTenants();
    const res = await json<ListBody>(await api(`/api/location-contacts?location_id=${a}&q=${marker}`, { token: t }));
    expect(res).toMatchObject({ contacts: [], total: 0, total_kind: "exact" });
    // The index lookup itself (no location filter yet) finds nothing: B's rows are not read.
    expect(await indexHits(a, marker)).toEqual([]);
    expect(await indexHits(b, marker)).toEqual([(await rowIds(b))[0]]);
    // And the query reaches rows only through that lookup or A's own index ranges.
    const spec: ListSpec = { locationId: a, sort: "date_added", order: "desc", q: marker, limit: 50, after: null };
    for (const q of [contactPageQuery(db, spec), contactPageQuery(db, spec, true), contactCountQuery(db, spec)]) {
      const text = await plan(q);
      expect(text).toMatch(/VIRTUAL TABLE INDEX 0:M1/);
      expect(text).not.toMatch(/SCAN contacts\b|SCAN c\b/);
    }
  });

  it("a trigram common to every tenant ('gma') yields only the location's own rows from the index", async () => {
    const { a, b, t } = await twoTenants();
    const own = await rowIds(a);
    expect(await indexHits(a, "gma")).toEqual([own[0]]);
    expect((await indexHits(b, "gma")).length).toBe(41);
    const res = await json<ListBody>(await api(`/api/location-contacts?location_id=${a}&q=GMA`, { token: t }));
    expect(res.contacts.map((c) => c.name)).toEqual(["Ann Common"]);
    expect(res).toMatchObject({ total: 1, total_kind: "exact" });
  });

  it("one or two characters match name and address prefixes of the location, case-insensitively", async () => {
    const { a, t } = await twoTenants();
    const names = async (q: string) =>
      (await json<ListBody>(await api(`/api/location-contacts?location_id=${a}&q=${encodeURIComponent(q)}&sort=name`, { token: t }))).contacts.map((c) => c.name);
    expect(await names("z")).toEqual(["Zoë Quimby"]);
    expect(await names("Qu")).toEqual(["Zoë Quimby"]); // quimby@mail.test
    expect(await names("an")).toEqual(["Ann Common"]);
    expect(await names("b")).toEqual([]); // B's Bob and b…@gmail.com are another tenant's
    expect(await names("%")).toEqual([]);
  });

  it("a search count stops past the cap and says so; the location's own total stays exact", async () => {
    const c = uid("scope-cap");
    await createLocation(c);
    const n = SEARCH_COUNT_CAP + 5;
    await seedContacts(c, Array.from({ length: n }, (_, i) => fakeContact(i + 1)));
    const t = await token([c]);
    const all = await json<ListBody>(await api(`/api/location-contacts?location_id=${c}&limit=5`, { token: t }));
    expect(all).toMatchObject({ total: n, total_kind: "exact" });
    const many = await json<ListBody>(await api(`/api/location-contacts?location_id=${c}&q=tester&limit=5`, { token: t }));
    expect(many).toMatchObject({ total: SEARCH_COUNT_CAP, total_kind: "at_least" });
    expect(many.contacts).toHaveLength(5);
    const few = await json<ListBody>(await api(`/api/location-contacts?location_id=${c}&q=first00007&sort=name`, { token: t }));
    expect(few).toMatchObject({ total: 1, total_kind: "exact" });
    expect(few.contacts.map((x) => x.name)).toEqual(["First00007 Tester"]);
  });
});

describe("migration 0011's backfill", () => {
  it("converts rows written before it exactly as the worker writes them, and they are found", async () => {
    const { default: migration } = await import("../../drizzle/0011_search_per_location.sql?raw");
    const statements = (migration as string).split("--> statement-breakpoint").map((s) => s.trim());
    const shiftTable = statements.find((s) => s.includes("CREATE TABLE `_search_shift`"))!;
    const backfill = statements.find((s) => s.includes("UPDATE `contacts` SET `search_text`"))!;
    const loc = uid("pre-0011");
    await createLocation(loc);
    const plain = "zoë quimby\nold@gmail.com\n+15550001";
    await env.DB.prepare(
      `insert into contacts (location_id, external_id, name, sort_name, search_text, date_added, date_updated, payload, synced_at)
       values (?1, 'old1', 'Zoë Quimby', 'zoë quimby', ?2, 1, 1, ?3, 1)`,
    )
      .bind(loc, plain, JSON.stringify(toApiContact(loc, fakeContact(1, { externalId: "old1", name: "Zoë Quimby" }))))
      .run();
    await env.DB.prepare("update locations set contact_count = 1, data_version = data_version + 1 where id = ?").bind(loc).run();
    await env.DB.batch([env.DB.prepare("drop table if exists `_search_shift`"), env.DB.prepare(shiftTable), env.DB.prepare(backfill)]);
    // Run twice: converted rows are skipped, not converted again.
    await env.DB.batch([env.DB.prepare(backfill), env.DB.prepare("drop table `_search_shift`")]);
    const row = await env.DB.prepare("select search_text as t from contacts where location_id = ?").bind(loc).first<{ t: string }>();
    expect(row?.t).toBe(searchKey(locationShift(loc), plain));
    const res = await json<ListBody>(await api(`/api/location-contacts?location_id=${loc}&q=quimby`, { token: await token([loc]) }));
    expect(res.contacts.map((c) => c.name)).toEqual(["Zoë Quimby"]);
  });
});
