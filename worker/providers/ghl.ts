// GoHighLevel API v2 client (facts: ../shared/upstream-apis.md part A). Reached only over HTTP at
// the location's base URL, or GHL_BASE_URL (the real host in production, sandbox/ locally).
import { z } from "zod";
import type { ContactPage, ContactRecord } from "./types";
import { sendJson } from "./upstream";

export const GHL_VERSION = { contacts: "2021-07-28", conversations: "2021-04-15" } as const;
export const GHL_MAX_PAGE = 500;

const ghlContactSchema = z.looseObject({
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
  searchAfter: z.array(z.union([z.string(), z.number()])).nullish(),
});
type GhlContact = z.infer<typeof ghlContactSchema>;

const searchResponseSchema = z.looseObject({
  contacts: z.array(ghlContactSchema),
  total: z.number().nullish(),
});

export type GhlClientOptions = {
  baseUrl: string;
  locationId: string;
  accessToken: string;
  timeoutMs: number;
};

function time(iso: string | null | undefined, fallback: number): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
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

export class GhlClient {
  constructor(private readonly opts: GhlClientOptions) {}

  private headers(version: string): Record<string, string> {
    return { authorization: `Bearer ${this.opts.accessToken}`, version };
  }

  /**
   * One page of POST /contacts/search in dateUpdated order: a contact updated while a full pass
   * runs moves behind the cursor and is seen again rather than missed.
   */
  async searchContacts(
    args: { pageLimit: number; searchAfter: unknown | null; signal?: AbortSignal },
  ): Promise<ContactPage> {
    const body: Record<string, unknown> = {
      locationId: this.opts.locationId,
      pageLimit: args.pageLimit,
      sort: [{ field: "dateUpdated", direction: "asc" }],
    };
    if (args.searchAfter) body.searchAfter = args.searchAfter;
    const res = await sendJson(
      {
        url: `${this.opts.baseUrl}/contacts/search`,
        method: "POST",
        headers: this.headers(GHL_VERSION.contacts),
        body,
        timeoutMs: this.opts.timeoutMs,
        signal: args.signal,
      },
      searchResponseSchema,
    );
    const last = res.contacts.at(-1);
    const more = res.contacts.length === args.pageLimit && last?.searchAfter;
    return {
      contacts: res.contacts.map(mapGhlContact),
      next: more ? last.searchAfter : null,
      total: res.total ?? null,
    };
  }
}
