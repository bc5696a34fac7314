// Every list query must be served by an index: no full scan of contacts, no sort of the whole set.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CONTACT_SORTS } from "../../shared/schemas/contacts";
import { getDb } from "../../worker/db/client";
import {
  contactCountQuery,
  contactPageQuery,
  latestContactsRunQuery,
  locationStateQuery,
} from "../../worker/db/contact-queries";

type Plan = { detail: string }[];

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const res = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all();
  return (res.results as Plan).map((r) => r.detail);
}

const db = getDb(env.DB);
const variants = CONTACT_SORTS.flatMap((sort) =>
  (["asc", "desc"] as const).flatMap((order) =>
    ["", "ac", "acme"].flatMap((q) =>
      [null, { value: sort === "name" ? "m" : 1, id: 5 }].map((after) => ({
        locationId: "x",
        sort,
        order,
        q,
        limit: 100,
        after,
      })),
    ),
  ),
);

describe("EXPLAIN QUERY PLAN of every list query", () => {
  it.each(variants.map((v) => [`${v.sort} ${v.order} q=${v.q || "-"} after=${v.after ? "yes" : "no"}`, v] as const))(
    "page %s is served by indexes: a sort index in order, or prefix ranges then a sort of their matches (never a full scan)",
    async (_name, spec) => {
      const details = await plan(contactPageQuery(db, spec));
      const text = details.join(" | ");
      expect(details.some((d) => /^SCAN contacts\b/.test(d)), text).toBe(false);
      if (spec.q.length >= 3) expect(text).toMatch(/VIRTUAL TABLE INDEX/);
      if (spec.q.length > 0 && spec.q.length < 3) {
        // One or two characters: the prefix ranges drive, the page sorts only their matches.
        expect(text).toMatch(/SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(text).toMatch(/contacts_by_name \(location_id=\? AND deleted=\? AND sort_name>\? AND sort_name<\?\)/);
        expect(text).toMatch(/contacts_by_email_key \(location_id=\? AND email_key>\? AND email_key<\?\)/);
        expect(text).not.toMatch(/LIKE|SCAN contacts/);
      } else {
        expect(text).toMatch(/SEARCH contacts USING (COVERING )?INDEX contacts_by_/);
        expect(details.some((d) => d.includes("TEMP B-TREE")), text).toBe(false);
      }
    },
  );

  it.each(variants.filter((v) => v.q.length >= 3).map((v) => [`${v.sort} ${v.order} after=${v.after ? "yes" : "no"}`, v] as const))(
    "a search with few matches (%s) is driven by them: index matches, then rows by primary key",
    async (_name, spec) => {
      const details = await plan(contactPageQuery(db, spec, true));
      const text = details.join(" | ");
      expect(text).toMatch(/SEARCH contacts USING INTEGER PRIMARY KEY \(rowid=\?\).*SCAN contacts_fts VIRTUAL TABLE INDEX/);
      expect(text).not.toMatch(/SCAN contacts\b|INDEX contacts_by_/);
    },
  );

  it("search counts walk the matches (trigram index first, or prefix ranges), location state and latest run use indexes", async () => {
    const trigram = (await plan(contactCountQuery(db, { ...variants[0]!, q: "acme" }))).join(" | ");
    expect(trigram).toMatch(/SCAN f VIRTUAL TABLE INDEX 0:M1 \| SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    for (const q of [contactCountQuery(db, { ...variants[0]!, q: "acme" }), contactCountQuery(db, { ...variants[0]!, q: "ac" }), locationStateQuery(db, "x"), latestContactsRunQuery(db, "x")]) {
      const details = await plan(q);
      // "SCAN f VIRTUAL TABLE INDEX" is the FTS index lookup; "SCAN (subquery-N)" reads the capped co-routine.
      expect(details.some((d) => /^SCAN (?!\w+ VIRTUAL TABLE INDEX|\(subquery-\d+\))/.test(d)), details.join(" | ")).toBe(false);
    }
  });
});
