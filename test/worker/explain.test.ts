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
    "page %s walks a contacts_by_* index in order (no full scan, no sort)",
    async (_name, spec) => {
      const details = await plan(contactPageQuery(db, spec));
      const text = details.join(" | ");
      expect(text).toMatch(/SEARCH contacts USING (COVERING )?INDEX contacts_by_/);
      expect(details.some((d) => /^SCAN contacts\b/.test(d)), text).toBe(false);
      expect(details.some((d) => d.includes("TEMP B-TREE")), text).toBe(false);
      if (spec.q.length >= 3) expect(text).toMatch(/VIRTUAL TABLE INDEX/);
    },
  );

  it("search count, location state and latest run use indexes", async () => {
    for (const q of [contactCountQuery(db, { ...variants[0]!, q: "acme" }), contactCountQuery(db, { ...variants[0]!, q: "ac" }), locationStateQuery(db, "x"), latestContactsRunQuery(db, "x")]) {
      const details = await plan(q);
      // "SCAN contacts_fts VIRTUAL TABLE INDEX" is the FTS index lookup, not a table scan.
      expect(details.some((d) => /^SCAN (?!\w+ VIRTUAL TABLE INDEX)/.test(d)), details.join(" | ")).toBe(false);
    }
  });
});
