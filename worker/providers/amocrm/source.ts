// AmoCRM as a sync source: contacts, companies, contact notes and contact tasks, each a paged list
// (page numbers in id order, so records created during a pass land on later pages). Incremental
// runs ask only for records updated since the mark; AmoCRM has no totals, so no ETA by count.
//
// Page numbers shift when records are deleted during a pass (a live record can move onto a page
// already read), and the documented filters offer no keyset on id; so a full pass's reconcile
// asks for its candidates by id (`present`) and deletes only those AmoCRM no longer returns.
import type { CountryCode } from "libphonenumber-js/min";
import type { SyncKind } from "../../../shared/db/schema";
import type { KindPage, SyncSource } from "../source";
import { UpstreamError, type UpstreamContext } from "../upstream";
import { AMO_PAGE, type AmoClient, type ListPage } from "./client";
import { mapAmoAttached, mapAmoCompany, mapAmoContact } from "./contacts";
import { type Params, buildUrl, idBatches } from "./query";
import { amoAttachedSchema, amoCompanySchema, amoContactSchema } from "./schemas";

export const AMO_KINDS = ["contacts", "companies", "notes", "tasks"] as const satisfies readonly SyncKind[];
type AmoKind = (typeof AMO_KINDS)[number];

const PATHS: Record<AmoKind, { path: string; entity: string; extra: Params }> = {
  contacts: { path: "/api/v4/contacts", entity: "contacts", extra: [] },
  companies: { path: "/api/v4/companies", entity: "companies", extra: [] },
  notes: { path: "/api/v4/contacts/notes", entity: "notes", extra: [] },
  tasks: { path: "/api/v4/tasks", entity: "tasks", extra: [["filter[entity_type]", "contacts"]] },
};

const isAmoKind = (kind: SyncKind): kind is AmoKind => (AMO_KINDS as readonly SyncKind[]).includes(kind);

function pageParams(cursor: unknown | null, since: number | null): Params {
  const params: Params = [["limit", AMO_PAGE], ["page", pageOf(cursor)], ["order[id]", "asc"]];
  if (since !== null) params.push(["filter[updated_at][from]", Math.floor(since / 1000)]);
  return params;
}

const pageOf = (cursor: unknown | null): number => (typeof cursor === "number" && cursor > 1 ? cursor : 1);

/** One list page of a kind, mapped; `next` and the end markers are the caller's to set. */
async function listKind(client: AmoClient, ctx: UpstreamContext, kind: AmoKind, region: CountryCode, params: Params): Promise<{ page: KindPage; list: ListPage<unknown> }> {
  const { path, entity, extra } = PATHS[kind];
  const all = [...extra, ...params];
  const blank = { next: null, total: null };
  switch (kind) {
    case "contacts": {
      const list = await client.list(ctx, path, entity, amoContactSchema, all);
      return { list, page: { kind, page: { ...blank, records: list.items.map((c) => mapAmoContact(c, region)) } } };
    }
    case "companies": {
      const list = await client.list(ctx, path, entity, amoCompanySchema, all);
      return { list, page: { kind, page: { ...blank, records: list.items.map(mapAmoCompany) } } };
    }
    default: {
      const list = await client.list(ctx, path, entity, amoAttachedSchema, all);
      return { list, page: { kind, page: { ...blank, records: list.items.map((r) => mapAmoAttached(r, "contacts")) } } };
    }
  }
}

function merge(pages: KindPage[], kind: AmoKind): KindPage {
  const records = pages.flatMap((p) => p.page.records as unknown[]);
  return { kind, page: { records, next: null, total: null } } as KindPage;
}

export function amoSource(client: AmoClient, region: CountryCode): SyncSource {
  const source: SyncSource = {
    kinds: AMO_KINDS,
    pageSize: () => AMO_PAGE,
    cursorAfter: (cursor) => pageOf(cursor) + 1,
    async fetch(kind, ctx, cursor, since): Promise<KindPage> {
      if (!isAmoKind(kind)) throw new UpstreamError("client", `AmoCRM has no '${kind}' to sync.`);
      const number = pageOf(cursor);
      for (let ask = 1; ; ask++) {
        const { page, list } = await listKind(client, ctx, kind, region, pageParams(cursor, since));
        if (list.more) return { ...page, page: { ...page.page, next: number + 1 } } as KindPage;
        // Page 1 empty: nothing to list. A later page was linked by the one before: an empty
        // answer there is the end only if that page was full (see the driver); ask once more first.
        if (!list.empty || number === 1) return page;
        if (ask < 2) continue;
        return { ...page, page: { ...page.page, endedEmpty: true } } as KindPage;
      }
    },
    /** The records among `ids` AmoCRM still has (by `filter[id][]`, in URL-safe batches). */
    async present(kind, ctx, ids): Promise<KindPage> {
      if (!isAmoKind(kind)) throw new UpstreamError("client", `AmoCRM has no '${kind}' to sync.`);
      const { path, extra } = PATHS[kind];
      const fixed = buildUrl(client.baseUrl, path, [...extra, ["limit", AMO_PAGE], ["page", 1]]);
      const found: KindPage[] = [];
      for (const batch of idBatches(ids, "filter[id][]", AMO_PAGE, fixed)) {
        const byId: Params = batch.map((id): [string, string] => ["filter[id][]", id]);
        for (let number = 1; ; number++) {
          const { page, list } = await listKind(client, ctx, kind, region, [...byId, ["limit", AMO_PAGE], ["page", number]]);
          found.push(page);
          if (!list.more) break;
        }
      }
      return merge(found, kind);
    },
    async contactsById(ctx, ids) {
      const found = await source.present?.("contacts", ctx, ids);
      return found?.kind === "contacts" ? found.page.records : [];
    },
  };
  return source;
}
