// POST /contacts/search semantics: validation (422s worded like GHL's class-validator), sorting
// with an id tie-break, `page` up to 10,000 records, and `searchAfter` cursors beyond that.
import { z } from "zod";
import { sortValue, type LocationStore, type SortKey } from "../data/store";
import type { ContactRec, GhlContact } from "../data/types";
import { compileFilters, type Pred } from "./filters";

const MAX_PAGE_WINDOW = 10_000;

const bodySchema = z.object({
  locationId: z.string({ error: "locationId must be a string" }).min(1, "locationId should not be empty"),
  pageLimit: z.number({ error: "pageLimit must be a number" }).int("pageLimit must be an integer number")
    .min(1, "pageLimit must not be less than 1").max(500, "pageLimit must not be greater than 500"),
  page: z.number({ error: "page must be a number" }).int("page must be an integer number")
    .min(1, "page must not be less than 1").optional(),
  searchAfter: z.array(z.union([z.number(), z.string()]), { error: "searchAfter must be an array" }).optional(),
  filters: z.array(z.unknown(), { error: "filters must be an array" }).optional(),
  sort: z.array(z.object({
    field: z.enum(["dateAdded", "dateUpdated"], { error: "sort.field must be one of dateAdded, dateUpdated" }),
    direction: z.enum(["asc", "desc"], { error: "sort.direction must be one of asc, desc" }),
  }), { error: "sort must be an array" }).optional(),
  query: z.string({ error: "query must be a string" })
    .max(75, "query must be shorter than or equal to 75 characters").optional(),
});

export interface ParsedSearch {
  locationId: string;
  pageLimit: number;
  page: number;
  cursor: { values: number[]; id: string } | null;
  filter: Pred | null;
  keys: SortKey[];
  query: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; messages: string[] };

/** Validates the body; every problem found is reported at once, as GHL's 422 does. */
export function parseSearch(body: unknown): Parsed<ParsedSearch> {
  const r = bodySchema.safeParse(body ?? {});
  if (!r.success) return { ok: false, messages: r.error.issues.map((i) => i.message) };
  const b = r.data;
  const errs: string[] = [];
  const keys: SortKey[] = b.sort?.length
    ? b.sort.map((s) => ({ field: s.field, dir: s.direction === "asc" ? 1 : -1 }))
    : [{ field: "dateAdded", dir: -1 }];
  if (b.page !== undefined && b.searchAfter !== undefined) errs.push("page and searchAfter cannot be used together");
  const page = b.page ?? 1;
  if (page * b.pageLimit > MAX_PAGE_WINDOW) {
    errs.push(`page * pageLimit must not exceed ${MAX_PAGE_WINDOW}; use searchAfter to page deeper`);
  }
  let cursor: ParsedSearch["cursor"] = null;
  if (b.searchAfter !== undefined) {
    const sa = b.searchAfter;
    const values = sa.slice(0, keys.length).map((v) => (typeof v === "number" ? v : Number(v)));
    const id = sa[keys.length];
    if (sa.length !== keys.length + 1 || typeof id !== "string" || values.some((v) => !Number.isFinite(v))) {
      errs.push(`searchAfter must be [${keys.map((k) => `<${k.field} ms>`).join(", ")}, "<id>"] as returned by a previous page`);
    } else {
      cursor = { values, id };
    }
  }
  const filter = compileFilters(b.filters ?? [], errs);
  if (errs.length) return { ok: false, messages: errs };
  const query = b.query?.trim().toLowerCase() || null;
  return { ok: true, value: { locationId: b.locationId, pageLimit: b.pageLimit, page, cursor, filter, keys, query } };
}

/** True when `rec` sorts strictly after the cursor position. */
function afterCursor(rec: ContactRec, keys: readonly SortKey[], cursor: { values: number[]; id: string }): boolean {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (!k) break;
    const d = (sortValue(rec, k.field) - (cursor.values[i] ?? 0)) * k.dir;
    if (d !== 0) return d > 0;
  }
  return rec.c.id > cursor.id;
}

/** First index in the sorted view after the cursor (binary search; the view is totally ordered). */
function startIndex(view: readonly ContactRec[], keys: readonly SortKey[], cursor: ParsedSearch["cursor"]): number {
  if (!cursor) return 0;
  let lo = 0, hi = view.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const rec = view[mid];
    if (rec && afterCursor(rec, keys, cursor)) hi = mid; else lo = mid + 1;
  }
  return lo;
}

export type SearchContact = GhlContact & { searchAfter: (number | string)[] };

export function runSearch(store: LocationStore, s: ParsedSearch): { contacts: SearchContact[]; total: number } {
  const view = store.sorted(s.keys);
  const start = startIndex(view, s.keys, s.cursor);
  let skip = s.cursor ? 0 : (s.page - 1) * s.pageLimit;
  let total = 0;
  const page: ContactRec[] = [];
  for (let i = 0; i < view.length; i++) {
    const rec = view[i];
    if (!rec || (s.filter && !s.filter(rec)) || (s.query && !rec.hay.includes(s.query))) continue;
    total++;
    if (i < start || page.length >= s.pageLimit) continue;
    if (skip > 0) { skip--; continue; }
    page.push(rec);
  }
  return {
    contacts: page.map((rec) => ({ ...rec.c, searchAfter: [...s.keys.map((k) => sortValue(rec, k.field)), rec.c.id] })),
    total,
  };
}

