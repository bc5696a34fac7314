// The FTS5 trigram index follows a contact's search text through the sync's own upserts: rebuilt
// when the text changes, left alone when an upsert rewrites the same text (reconciles, overlapping
// incremental pages, redeliveries), which used to delete and re-add every trigram for nothing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { locationShift, searchKey } from "../../worker/contacts/search-key";
import { createLocation, fakeContact, seedContacts, uid } from "./helpers";

/** Contact rowids whose indexed text contains `needle` (trigram: at least 3 characters). */
async function matching(locationId: string, needle: string): Promise<number[]> {
  const res = await env.DB.prepare(
    `select c.id from contacts_fts f join contacts c on c.id = f.rowid
     where contacts_fts match ?1 and c.location_id = ?2 order by c.id`,
  )
    .bind(`"${searchKey(locationShift(locationId), needle.toLowerCase())}"`, locationId)
    .all<{ id: number }>();
  return res.results.map((r) => r.id);
}

/** Rows in the index's own storage: every index write (delete or insert of terms) adds to it. */
async function indexRows(): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from contacts_fts_data").first<{ n: number }>();
  return row?.n ?? 0;
}

describe("contacts search index", () => {
  it("is rebuilt when a contact's text changes and left alone when an upsert rewrites the same text", async () => {
    const loc = uid("fts");
    await createLocation(loc);
    const marker = `Zq${crypto.randomUUID().slice(0, 6)}`;
    const contact = fakeContact(1, { firstName: marker, name: `${marker} Tester` });
    await seedContacts(loc, [contact]);
    const [id] = await matching(loc, marker);
    expect(id).toBeDefined();

    // The same record again (same update time, same text): the row is rewritten, the index is not.
    const before = await indexRows();
    await seedContacts(loc, [contact]);
    expect(await indexRows()).toBe(before);
    expect(await matching(loc, marker)).toEqual([id]);

    // A newer version with another name: the old trigrams go, the new ones come.
    const renamed = `Yx${crypto.randomUUID().slice(0, 6)}`;
    await seedContacts(loc, [{ ...contact, firstName: renamed, name: `${renamed} Tester`, dateUpdated: contact.dateUpdated + 1 }]);
    expect(await matching(loc, marker)).toEqual([]);
    expect(await matching(loc, renamed)).toEqual([id]);
  });
});
