// The contact endpoints. The three list endpoints differ only in how they treat upstream:
// fast (cache, background sync when stale), fresh (sync first, within a deadline), cache-only.
import type { TypedResponse } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import {
  type ContactDetailResponse,
  type ContactListQuery,
  type ContactListResponse,
  contactDetailResponseSchema,
  contactListQuerySchema,
  contactListResponseSchema,
} from "../../shared/schemas/contacts";
import { chargeUpstreamCall } from "../abuse/spend";
import { resolveLocation } from "../auth/locations";
import { type ListMode, listContacts } from "../contacts/list";
import { contactWithRelated } from "../db/contact-queries";
import type { AppEnv } from "../env";
import { access } from "../http/access";
import { AppError } from "../http/errors";
import { docs } from "../http/openapi";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { syncWithinDeadline } from "../sync/fresh";
import { syncDeps } from "../sync/deps";
import { refreshContactRelated, relatedIsStale } from "../sync/related";

/** How long a contact view may wait for its tasks and notes from upstream. */
const RELATED_DEADLINE_MS = 5000;

async function respondWithList(
  c: Context<AppEnv>,
  query: ContactListQuery,
  mode: ListMode,
  locationId: string,
): Promise<Response & TypedResponse<ContactListResponse, 200, "json">> {
  const result = await listContacts(syncDeps(c), locationId, query, mode, c.req.header("if-none-match"));
  c.header("etag", result.etag);
  // Never stored by the browser or a proxy: the widget keeps the ETag itself and sends If-None-Match.
  c.header("cache-control", "private, no-store");
  if (result.status === 304) {
    // A 304 has no body; typed as the 200 so the client sees one response shape.
    return c.body(null, 304) as unknown as Response & TypedResponse<ContactListResponse, 200, "json">;
  }
  c.header("content-type", "application/json; charset=utf-8");
  // The body is JSON assembled from pre-serialised rows (see contacts/list.ts); its type is the schema's.
  return c.body(result.body, 200) as unknown as Response & TypedResponse<ContactListResponse, 200, "json">;
}

/** A list answers 304 (no body) when If-None-Match names its current ETag. */
const LIST_OK = { 200: contactListResponseSchema, 304: { description: "Not modified: the ETag sent in If-None-Match is current." } };

const detailParams = z.object({ id: z.string().min(1).max(128) });
const detailQuery = z.object({ location_id: z.string().min(1).max(128).optional() });

export const contactRoutes = createRouter()
  .get("/get-location-contacts-fast", access.token("read"), docs({ summary: "Contacts from the cache (a background sync when stale)", tag: "Contacts", ok: LIST_OK, errors: ["invalid_cursor", "location_not_found"] }), validate("query", contactListQuerySchema), async (c) => {
    const query = c.req.valid("query");
    return respondWithList(c, query, "fast", resolveLocation(c.var.auth, query.location_id));
  })
  .get("/get-location-contacts", access.token("read"), docs({ summary: "Contacts after a sync from upstream (within a deadline)", tag: "Contacts", ok: LIST_OK, errors: ["invalid_cursor", "location_not_found", "rate_limited"] }), validate("query", contactListQuerySchema), async (c) => {
    const query = c.req.valid("query");
    const locationId = resolveLocation(c.var.auth, query.location_id);
    // Pulls from upstream inline: limited like every call that spends upstream requests.
    await chargeUpstreamCall(c.env, c.var.config, c.var.auth, locationId);
    const outcome = await syncWithinDeadline(syncDeps(c), locationId, c.var.config.FRESH_DEADLINE_MS);
    const mode: ListMode =
      outcome.state === "fresh"
        ? { fresh: "fresh", message: "Data refreshed from upstream." }
        : outcome.state === "error"
          ? { fresh: "error", message: `Data returned from cache. The sync failed: ${outcome.message}` }
          : { fresh: "background" };
    return respondWithList(c, query, mode, locationId);
  })
  .get("/location-contacts", access.token("read"), docs({ summary: "Contacts from the cache only", tag: "Contacts", ok: LIST_OK, errors: ["invalid_cursor", "location_not_found"] }), validate("query", contactListQuerySchema), async (c) => {
    const query = c.req.valid("query");
    return respondWithList(c, query, "cache", resolveLocation(c.var.auth, query.location_id));
  })
  .get("/contacts/:id", access.token("read"), docs({ summary: "One contact with its tasks, notes, conversations and opportunities", tag: "Contacts", ok: { 200: contactDetailResponseSchema }, errors: ["not_found"] }), validate("param", detailParams), validate("query", detailQuery), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("query").location_id);
    const { id } = c.req.valid("param");
    let found = await contactWithRelated(c.var.db, locationId, id);
    if (!found.contact) throw new AppError("not_found", `No contact '${id}' in location '${locationId}'.`);
    if (relatedIsStale(found.contact)) {
      // GHL keeps tasks and notes per contact only: fetch them now (2 requests), cached afterwards.
      // Past the token's or location's limit on upstream calls the cached copy is served as it is.
      try {
        await chargeUpstreamCall(c.env, c.var.config, c.var.auth, locationId);
        await refreshContactRelated(syncDeps(c), locationId, [id], { signal: AbortSignal.timeout(RELATED_DEADLINE_MS), interactive: true });
        found = await contactWithRelated(c.var.db, locationId, id);
      } catch (err) {
        console.warn(JSON.stringify({ event: "contact.related_refresh_failed", locationId, id, error: String(err) }));
      }
    }
    if (!found.contact) throw new AppError("not_found", `No contact '${id}' in location '${locationId}'.`);
    const parse = (payloads: string[]) => payloads.map((p) => JSON.parse(p) as Record<string, unknown>);
    const body: ContactDetailResponse = {
      success: true,
      location_id: locationId,
      contact: JSON.parse(found.contact.payload) as ContactDetailResponse["contact"],
      tasks: parse(found.tasks),
      notes: parse(found.notes),
      conversations: parse(found.conversations),
      opportunities: parse(found.opportunities),
      related_synced_at: found.contact.relatedSyncedAt === null ? null : new Date(found.contact.relatedSyncedAt).toISOString(),
    };
    return c.json(body, 200);
  });
