// GoHighLevel API v2 client (facts: GoHighLevel's official OpenAPI, GoHighLevel/highlevel-api-docs). Reached only over HTTP at
// the location's base URL, or GHL_BASE_URL (the real host in production, sandbox/ locally).
// Every call goes through the rate-limited layer with the run's context.
import { z } from "zod";
import type { ContactRecord, Page, RelatedRecord } from "./types";
import { type AccessTokens, withToken } from "./access-tokens";
import { type UpstreamRequest, UpstreamError, sendJson, type UpstreamContext } from "./upstream";

export const GHL_VERSION = { contacts: "2021-07-28", conversations: "2021-04-15" } as const;
export const GHL_PAGE = { contacts: 500, conversations: 100, opportunities: 100 } as const;

const cursorValues = z.array(z.union([z.string(), z.number()]));

export const ghlContactSchema = z.looseObject({
  id: z.string().min(1),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  contactName: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  companyName: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  source: z.string().nullish(),
  dateAdded: z.string().nullish(),
  dateUpdated: z.string().nullish(),
  customFields: z.array(z.looseObject({ id: z.string(), value: z.unknown() })).nullish(),
  searchAfter: cursorValues.nullish(),
});
type GhlContact = z.infer<typeof ghlContactSchema>;
const contactResponseSchema = z.looseObject({ contact: ghlContactSchema });

// The cursor is documented on each contact; one source puts it at the top level too (unconfirmed).
const searchResponseSchema = z.looseObject({ contacts: z.array(ghlContactSchema), total: z.number().nullish(), searchAfter: cursorValues.nullish() });

/**
 * Where a contacts pass stands: the last contact's `searchAfter`, how many contacts were read so
 * far, and the total the pass's first page reported (what "more exists" is judged against).
 */
type SearchCursor = { after: (string | number)[]; read: number; total: number | null };

function searchCursor(cursor: unknown): SearchCursor | null {
  if (cursor === null || cursor === undefined) return null;
  if (Array.isArray(cursor)) return { after: cursor, read: 0, total: null }; // checkpoints stored before the count was carried
  const c = cursor as Partial<SearchCursor>;
  return Array.isArray(c.after) ? { after: c.after, read: c.read ?? 0, total: c.total ?? null } : null;
}
const conversationSchema = z.looseObject({
  id: z.string().min(1),
  contactId: z.string().nullish(),
  lastMessageDate: z.number().nullish(),
  dateUpdated: z.union([z.number(), z.string()]).nullish(),
});
const conversationsResponseSchema = z.looseObject({ conversations: z.array(conversationSchema), total: z.number().nullish() });
const opportunitySchema = z.looseObject({
  id: z.string().min(1),
  contactId: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
const opportunitiesResponseSchema = z.looseObject({
  opportunities: z.array(opportunitySchema),
  meta: z.looseObject({ total: z.number().nullish() }).nullish(),
});
const tasksResponseSchema = z.looseObject({
  tasks: z.array(z.looseObject({ id: z.string().min(1), contactId: z.string().nullish(), dueDate: z.string().nullish() })),
});
const notesResponseSchema = z.looseObject({
  notes: z.array(z.looseObject({ id: z.string().min(1), contactId: z.string().nullish(), dateAdded: z.string().nullish() })),
});

/** GET /users/{userId}: who the user is and where they may go (roles.locationIds). */
const ghlUserSchema = z.looseObject({
  id: z.string().nullish(),
  deleted: z.boolean().nullish(),
  roles: z
    .looseObject({
      type: z.string().nullish(),
      role: z.string().nullish(),
      locationIds: z.array(z.string()).nullish(),
      restrictSubAccount: z.boolean().nullish(),
    })
    .nullish(),
});
// The spec answers the user itself; some deployments wrap it as {user}. Both are read.
const userResponseSchema = z.union([z.looseObject({ user: ghlUserSchema }), ghlUserSchema]);
export type GhlUser = z.infer<typeof ghlUserSchema>;

export type GhlClientOptions = { baseUrl: string; locationId: string; tokens: AccessTokens };

function time(value: string | number | null | undefined, fallback: number): number {
  const t = typeof value === "number" ? value : value ? Date.parse(value) : Number.NaN;
  return Number.isFinite(t) ? t : fallback;
}

function clean(s: string | null | undefined): string | null {
  const v = s?.trim();
  return v ? v : null;
}

export function mapGhlContact(c: GhlContact): ContactRecord {
  const firstName = clean(c.firstName);
  const lastName = clean(c.lastName);
  const name = clean(c.contactName) ?? clean(c.name) ?? ([firstName, lastName].filter(Boolean).join(" ") || "");
  const dateAdded = time(c.dateAdded, 0);
  return {
    externalId: c.id,
    firstName,
    lastName,
    name,
    email: clean(c.email)?.toLowerCase() ?? null,
    phone: clean(c.phone),
    companyName: clean(c.companyName),
    tags: c.tags ?? [],
    source: clean(c.source),
    dateAdded,
    dateUpdated: time(c.dateUpdated, dateAdded),
    customFields: (c.customFields ?? []).map((f) => ({ id: f.id, value: f.value })),
  };
}

function related(record: { id: string; contactId?: string | null }, updated: number): RelatedRecord {
  return { externalId: record.id, contactExternalId: record.contactId ?? null, dateUpdated: updated, payload: JSON.stringify(record) };
}

export class GhlClient {
  constructor(private readonly opts: GhlClientOptions) {}

  private headers(version: string): Record<string, string> {
    return { version };
  }

  /** One call with the location's token; a 401 gets one retry with the broker's replacement. */
  private send<T extends z.ZodType>(req: UpstreamRequest, schema: T, ctx: UpstreamContext): Promise<z.infer<T> | null> {
    return withToken(this.opts.tokens, (token) => sendJson({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } }, schema, ctx));
  }

  private url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.opts.baseUrl}${path}${qs ? `?${qs}` : ""}`;
  }

  /**
   * POST /contacts/search in dateUpdated order: a contact updated while a full pass runs moves
   * behind the cursor and is read again rather than missed. `since` makes it incremental. A short
   * page ends the pass unless the reported total says more exists: then the pass goes on from the
   * last contact, and an empty answer (asked twice) ends it marked incomplete.
   */
  async contacts(ctx: UpstreamContext, cursor: unknown | null, since: number | null): Promise<Page<ContactRecord>> {
    const at = searchCursor(cursor);
    const body: Record<string, unknown> = {
      locationId: this.opts.locationId,
      pageLimit: GHL_PAGE.contacts,
      sort: [{ field: "dateUpdated", direction: "asc" }],
    };
    if (since !== null) body.filters = [{ field: "dateUpdated", operator: "range", value: { gte: new Date(since).toISOString() } }];
    if (at) body.searchAfter = at.after;
    for (let ask = 1; ; ask++) {
      const res = await this.send(
        { url: this.url("/contacts/search"), method: "POST", headers: this.headers(GHL_VERSION.contacts), body },
        searchResponseSchema,
        ctx,
      );
      const contacts = res?.contacts ?? [];
      const expected = at?.total ?? res?.total ?? null;
      const read = (at?.read ?? 0) + contacts.length;
      const promised = expected !== null && read < expected;
      const after = contacts.at(-1)?.searchAfter ?? res?.searchAfter ?? null;
      const page = { records: contacts.map(mapGhlContact), total: res?.total ?? null };
      if ((contacts.length === GHL_PAGE.contacts || promised) && after) return { ...page, next: { after, read, total: expected } };
      if (!promised) return { ...page, next: null };
      if (contacts.length === 0 && ask < 2) continue; // a proxy's blank answer may pass: ask once more
      const what = contacts.length === 0 ? "an empty page" : "a page without a searchAfter cursor";
      return { ...page, next: null, incomplete: `GoHighLevel answered ${what} after ${read} of the ${expected} contacts it reported.` };
    }
  }

  /** One contact by id (GET /contacts/:id); null when GoHighLevel no longer has it (404). */
  async contact(ctx: UpstreamContext, contactId: string): Promise<ContactRecord | null> {
    try {
      const res = await this.send(
        { url: this.url(`/contacts/${encodeURIComponent(contactId)}`), headers: this.headers(GHL_VERSION.contacts) },
        contactResponseSchema,
        ctx,
      );
      return res ? mapGhlContact(res.contact) : null;
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return null;
      throw err;
    }
  }

  /** Newest message first; incremental runs stop at the first conversation older than `since`. */
  async conversations(ctx: UpstreamContext, cursor: unknown | null, since: number | null): Promise<Page<RelatedRecord>> {
    const res = await this.send(
      {
        url: this.url("/conversations/search", {
          locationId: this.opts.locationId,
          limit: GHL_PAGE.conversations,
          sort: "desc",
          sortBy: "last_message_date",
          startAfterDate: typeof cursor === "number" ? cursor : undefined,
        }),
        headers: this.headers(GHL_VERSION.conversations),
      },
      conversationsResponseSchema,
      ctx,
    );
    const all = res?.conversations ?? [];
    const records = all
      .map((c) => related(c, time(c.lastMessageDate ?? c.dateUpdated, 0)))
      .filter((r) => since === null || r.dateUpdated >= since);
    const last = all.at(-1);
    const more = all.length === GHL_PAGE.conversations && records.length === all.length && last?.lastMessageDate;
    return { records, next: more ? last.lastMessageDate : null, total: res?.total ?? null };
  }

  /** GHL's opportunity search has no updated-since filter: every run reads them all. */
  async opportunities(ctx: UpstreamContext, cursor: unknown | null): Promise<Page<RelatedRecord>> {
    const after = cursor as { startAfter: number; startAfterId: string } | null;
    const res = await this.send(
      {
        url: this.url("/opportunities/search", {
          location_id: this.opts.locationId,
          limit: GHL_PAGE.opportunities,
          order: "added_asc",
          startAfter: after?.startAfter,
          startAfterId: after?.startAfterId,
        }),
        headers: this.headers(GHL_VERSION.contacts),
      },
      opportunitiesResponseSchema,
      ctx,
    );
    const all = res?.opportunities ?? [];
    const last = all.at(-1);
    const next = all.length === GHL_PAGE.opportunities && last ? { startAfter: time(last.createdAt, 0), startAfterId: last.id } : null;
    return { records: all.map((o) => related(o, time(o.updatedAt ?? o.createdAt, 0))), next, total: res?.meta?.total ?? null };
  }

  /** One user (scope users.readonly): null when the API answers with no body. */
  async user(ctx: UpstreamContext, userId: string): Promise<GhlUser | null> {
    const res = await this.send(
      { url: this.url(`/users/${encodeURIComponent(userId)}`), headers: this.headers(GHL_VERSION.contacts) },
      userResponseSchema,
      ctx,
    );
    if (!res) return null;
    return "user" in res && typeof res.user === "object" && res.user !== null ? (res.user as GhlUser) : (res as GhlUser);
  }

  /** GHL has no bulk endpoint for tasks or notes: one request per contact each. */
  async tasks(ctx: UpstreamContext, contactId: string): Promise<RelatedRecord[]> {
    const res = await this.send(
      { url: this.url(`/contacts/${encodeURIComponent(contactId)}/tasks`), headers: this.headers(GHL_VERSION.contacts) },
      tasksResponseSchema,
      ctx,
    );
    return (res?.tasks ?? []).map((t) => related({ ...t, contactId: t.contactId ?? contactId }, time(t.dueDate, 0)));
  }

  async notes(ctx: UpstreamContext, contactId: string): Promise<RelatedRecord[]> {
    const res = await this.send(
      { url: this.url(`/contacts/${encodeURIComponent(contactId)}/notes`), headers: this.headers(GHL_VERSION.contacts) },
      notesResponseSchema,
      ctx,
    );
    return (res?.notes ?? []).map((n) => related({ ...n, contactId: n.contactId ?? contactId }, time(n.dateAdded, 0)));
  }
}
