// The list endpoints' ETag and page memo never confuse two queries: the query's tag is 128 bits of
// SHA-256 and the memo is keyed by the full query. Two searches whose tags collided under the
// 32-bit FNV used before ("koczfa" and "qfbppa" sorted by name) get different tags and pages here.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactListQuerySchema } from "../../shared/schemas/contacts";
import { readConfig } from "../../worker/config";
import { listContacts } from "../../worker/contacts/list";
import { getDb } from "../../worker/db/client";
import { createLocation, fakeContact, seedContacts, uid } from "./helpers";

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

describe("ETag and page memo keys", () => {
  it("queries that collided under a 32-bit checksum get their own tag and their own page", async () => {
    const [a, b] = ["koczfa", "qfbppa"];
    expect(fnv1a(`name|asc|${a}|100|`)).toBe(fnv1a(`name|asc|${b}|100|`));
    const id = uid();
    await createLocation(id);
    await seedContacts(id, [fakeContact(1, { name: `Ann ${a}` }), fakeContact(2, { name: `Bob ${b}` })]);
    const deps = { db: getDb(env.DB), env, config: { ...readConfig(env), LOCATION_STATE_CACHE_MS: 1000 }, now: Date.now };
    const ask = (q: string) => listContacts(deps, id, contactListQuerySchema.parse({ q, sort: "name", order: "asc" }), "fast", undefined);
    const first = await ask(a);
    const second = await ask(b);
    expect(first.etag).not.toBe(second.etag);
    if (first.status !== 200 || second.status !== 200) throw new Error("expected pages");
    expect(JSON.parse(first.body).contacts.map((c: { name: string }) => c.name)).toEqual([`Ann ${a}`]);
    expect(JSON.parse(second.body).contacts.map((c: { name: string }) => c.name)).toEqual([`Bob ${b}`]);
    // A revalidation with one query's tag does not match the other's.
    expect((await listContacts(deps, id, contactListQuerySchema.parse({ q: b, sort: "name", order: "asc" }), "fast", first.etag)).status).toBe(200);
  });
});
