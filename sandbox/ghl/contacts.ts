// /contacts routes: search (current), the deprecated GET list, get-by-id, tasks and notes.
import { Hono, type Context } from "hono";
import { notesFor, tasksFor } from "../data/activity";
import type { SortKey } from "../data/store";
import type { ContactRec } from "../data/types";
import { ghlErrors, intParam, limitParam } from "./errors";
import { checkLocation, type GhlEnv } from "./env";
import { parseSearch, runSearch } from "./search";

const ADDED_ASC: SortKey[] = [{ field: "dateAdded", dir: 1 }];

/** How many of `sorted` (dateAdded asc, id asc) sit at or before the cursor (binary search). */
function countUpTo(sorted: readonly ContactRec[], cur: { added: number; id: string }): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = sorted[mid];
    const after = !!r && (r.added > cur.added || (r.added === cur.added && r.c.id > cur.id));
    if (after) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** Resolves a contact of the token's location; another location's contact is a 403, none a 404. */
function findContact(c: Context<GhlEnv>, id: string): ContactRec | Response {
  const rec = c.env.location.store.get(id);
  if (rec) return rec;
  for (const other of c.env.sandbox.locations.values()) {
    if (other !== c.env.location && other.store.get(id)) return ghlErrors.forbidden();
  }
  return ghlErrors.notFound("Contact not found");
}

export const contacts = new Hono<GhlEnv>({ strict: false })
  .post("/search", async (c) => {
    let body: unknown;
    try { body = await c.req.json(); } catch { return ghlErrors.badRequest("Request body must be valid JSON"); }
    const locationId = typeof body === "object" && body !== null && "locationId" in body ? body.locationId : undefined;
    const denied = checkLocation(c, locationId);
    if (denied) return denied;
    const parsed = parseSearch(body);
    if (!parsed.ok) return ghlErrors.unprocessable(parsed.messages);
    const result = runSearch(c.env.location.store, parsed.value);
    const empty = c.env.location.faults.emptySearch();
    if (empty === "204") return new Response(null, { status: 204 });
    if (empty === "blank") return new Response("", { status: 200, headers: { "content-type": "application/json" } });
    if (empty === "empty") return c.json({ contacts: [], total: result.total }, 200);
    return c.json(result, 200);
  })
  // Deprecated list: dateAdded ascending, cursor (startAfter, startAfterId), meta like v1.
  .get("/", (c) => {
    const q = c.req.query();
    const denied = checkLocation(c, q.locationId);
    if (denied) return denied;
    const limit = limitParam(q.limit);
    const startAfter = intParam(q.startAfter);
    const query = (q.query ?? "").trim().toLowerCase();
    const errs = typeof limit === "string" ? [limit] : [];
    if (startAfter !== undefined && Number.isNaN(startAfter)) errs.push("startAfter must be a number (epoch ms)");
    if (query.length > 75) errs.push("query must be shorter than or equal to 75 characters");
    if (typeof limit === "string" || errs.length) return ghlErrors.unprocessable(errs);

    const store = c.env.location.store;
    // Cursor (added ms, id); a bare startAfter means strictly after that instant.
    let cursor: { added: number; id: string } | null = null;
    if (q.startAfterId) {
      const added = startAfter ?? store.get(q.startAfterId)?.added;
      if (added === undefined) return ghlErrors.unprocessable(["startAfterId does not match a contact; pass startAfter too"]);
      cursor = { added, id: q.startAfterId };
    } else if (startAfter !== undefined) {
      cursor = { added: startAfter, id: "\uffff" };
    }
    const matches = store.sorted(ADDED_ASC).filter((r) => !query || r.hay.includes(query));
    const before = cursor ? countUpTo(matches, cursor) : 0;
    const page = matches.slice(before, before + limit);
    const last = page[page.length - 1];
    const hasMore = before + page.length < matches.length;
    const currentPage = Math.floor(before / limit) + 1;
    let nextPageUrl: string | null = null;
    if (hasMore && last) {
      const next = new URL("/contacts/", c.req.url);
      next.search = new URLSearchParams({
        locationId: store.id, limit: String(limit), startAfter: String(last.added), startAfterId: last.c.id,
        ...(query ? { query: q.query ?? "" } : {}),
      }).toString();
      nextPageUrl = next.toString();
    }
    return c.json({
      contacts: page.map((r) => r.c),
      count: matches.length,
      meta: {
        total: matches.length,
        nextPageUrl,
        startAfterId: last?.c.id ?? null,
        startAfter: last?.added ?? null,
        currentPage,
        nextPage: hasMore ? currentPage + 1 : null,
        prevPage: currentPage > 1 ? currentPage - 1 : null,
      },
    }, 200);
  })
  .get("/:contactId", (c) => {
    const rec = findContact(c, c.req.param("contactId"));
    return rec instanceof Response ? rec : c.json({ contact: rec.c }, 200);
  })
  .get("/:contactId/tasks", (c) => {
    const rec = findContact(c, c.req.param("contactId"));
    return rec instanceof Response ? rec : c.json({ tasks: tasksFor(c.env.location.store.ctx, rec) }, 200);
  })
  .get("/:contactId/notes", (c) => {
    const rec = findContact(c, c.req.param("contactId"));
    return rec instanceof Response ? rec : c.json({ notes: notesFor(c.env.location.store.ctx, rec) }, 200);
  });
