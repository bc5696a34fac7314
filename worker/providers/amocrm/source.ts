// AmoCRM as a sync source: contacts, companies, contact notes and contact tasks, each a paged list
// (page numbers in id order, so records created during a pass land on later pages). Incremental
// runs ask only for records updated since the mark; AmoCRM has no totals, so no ETA by count.
import type { CountryCode } from "libphonenumber-js/min";
import type { SyncKind } from "../../../shared/db/schema";
import type { KindPage, SyncSource } from "../sync-source";
import { UpstreamError, type UpstreamContext } from "../upstream";
import { AMO_PAGE, type AmoClient } from "./client";
import { mapAmoAttached, mapAmoCompany, mapAmoContact } from "./contacts";
import type { Params } from "./query";
import { amoAttachedSchema, amoCompanySchema, amoContactSchema } from "./schemas";

export const AMO_KINDS = ["contacts", "companies", "notes", "tasks"] as const satisfies readonly SyncKind[];

function pageParams(cursor: unknown | null, since: number | null): Params {
  const params: Params = [["limit", AMO_PAGE], ["page", pageOf(cursor)], ["order[id]", "asc"]];
  if (since !== null) params.push(["filter[updated_at][from]", Math.floor(since / 1000)]);
  return params;
}

const pageOf = (cursor: unknown | null): number => (typeof cursor === "number" && cursor > 1 ? cursor : 1);

function nextPage(cursor: unknown | null, more: boolean): number | null {
  return more ? pageOf(cursor) + 1 : null;
}

export function amoSource(client: AmoClient, region: CountryCode): SyncSource {
  return {
    kinds: AMO_KINDS,
    pageSize: () => AMO_PAGE,
    cursorAfter: (cursor) => pageOf(cursor) + 1,
    async fetch(kind, ctx: UpstreamContext, cursor, since): Promise<KindPage> {
      const params = pageParams(cursor, since);
      switch (kind) {
        case "contacts": {
          const page = await client.list(ctx, "/api/v4/contacts", "contacts", amoContactSchema, params);
          return { kind, page: { records: page.items.map((c) => mapAmoContact(c, region)), next: nextPage(cursor, page.more), total: null } };
        }
        case "companies": {
          const page = await client.list(ctx, "/api/v4/companies", "companies", amoCompanySchema, params);
          return { kind, page: { records: page.items.map(mapAmoCompany), next: nextPage(cursor, page.more), total: null } };
        }
        case "notes": {
          const page = await client.list(ctx, "/api/v4/contacts/notes", "notes", amoAttachedSchema, params);
          return { kind, page: { records: page.items.map((n) => mapAmoAttached(n, "contacts")), next: nextPage(cursor, page.more), total: null } };
        }
        case "tasks": {
          const page = await client.list(ctx, "/api/v4/tasks", "tasks", amoAttachedSchema, [["filter[entity_type]", "contacts"], ...params]);
          return { kind, page: { records: page.items.map((t) => mapAmoAttached(t, "contacts")), next: nextPage(cursor, page.more), total: null } };
        }
        default:
          throw new UpstreamError("client", `AmoCRM has no '${kind}' to sync.`);
      }
    },
  };
}
