// What AmoCRM's filtered import asks for, in the fewest requests the API allows. AmoCRM has no
// company filter on contacts, so instead of paging the whole account:
//   1. companies with the filter and `with=contacts` (ids of their contacts come along);
//   2. contacts by id, notes by entity id, tasks by entity id, in URL-safe batches, side by side
//      under the account's bucket (bounded concurrency; a batch's further pages only when
//      `_links.next` says they exist).
// Each list, once read, goes to `sink` (the writer), so nothing is held until the end.
import type { z } from "zod";
import type { CompanyFilter } from "../../shared/schemas/amocrm";
import { AMO_PAGE, type ListPage } from "../providers/amocrm/client";
import { mapAmoAttached, mapAmoCompany, mapAmoContact } from "../providers/amocrm/contacts";
import { type Params, buildUrl, idBatches } from "../providers/amocrm/query";
import { amoAttachedSchema, amoCompanySchema, amoContactSchema } from "../providers/amocrm/schemas";
import type { CompanyRecord, ContactRecord, RelatedRecord } from "../providers/types";

/** Contacts by id: one page holds AMO_PAGE, and 250 eight-digit ids fit the URL budget. */
export const CONTACT_BATCH = AMO_PAGE;
/** Notes and tasks by entity id (the cap; also keeps most batches to one page). */
export const ENTITY_BATCH = 200;
/** Requests of one import in flight at once: enough to keep the bucket busy, no more. */
export const IMPORT_CONCURRENCY = 4;

/** One list page of the account (the client's `list`, with the lease kept alive before each call). */
export type Lister = <T extends z.ZodType>(path: string, entity: string, item: T, params: Params) => Promise<ListPage<z.infer<T>>>;

export type Chunk =
  | { kind: "companies"; records: CompanyRecord[] }
  | { kind: "contacts"; records: ContactRecord[] }
  | { kind: "notes" | "tasks"; records: RelatedRecord[] };

export type ImportPlan = { companyIds: string[]; contactIds: string[] };

/** Runs `jobs` with at most `limit` at a time; the first failure rejects (others finish first). */
async function pool(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < jobs.length && errors.length === 0) {
      const job = jobs[next++];
      try {
        await job?.();
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  if (errors.length) throw errors[0];
}

/** Every page of one list query, following `_links.next`. */
async function allPages<T>(fetchPage: (page: number) => Promise<ListPage<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const { items, more } = await fetchPage(page);
    out.push(...items);
    if (!more) return out;
  }
}

function updatedSince(since: number | null): Params {
  return since === null ? [] : [["filter[updated_at][from]", Math.floor(since / 1000)]];
}

async function matchingCompanies(list: Lister, filter: CompanyFilter): Promise<CompanyRecord[]> {
  const params: Params = [
    ["filter[responsible_user_id][]", filter.responsible_user_id],
    [`filter[custom_fields_values][${filter.custom_field_id}][]`, filter.value],
    ["with", "contacts"],
    ["order[id]", "asc"],
    ["limit", AMO_PAGE],
  ];
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const found: CompanyRecord[] = [];
  for (let page = 1; found.length < limit; page++) {
    const res = await list("/api/v4/companies", "companies", amoCompanySchema, [...params, ["page", page]]);
    found.push(...res.items.map(mapAmoCompany));
    if (!res.more) break;
  }
  return found.slice(0, limit);
}

export async function fetchFiltered(
  list: Lister,
  baseUrl: string,
  filter: CompanyFilter,
  since: number | null,
  region: Parameters<typeof mapAmoContact>[1],
  sink: (chunk: Chunk) => Promise<void>,
): Promise<ImportPlan> {
  const companies = await matchingCompanies(list, filter);
  await sink({ kind: "companies", records: companies });
  const contactIds = [...new Set(companies.flatMap((c) => c.contactExternalIds ?? []))].sort();
  const names = new Map(companies.map((c) => [c.externalId, c.name]));
  const fixed = (path: string, params: Params) => buildUrl(baseUrl, path, params);
  // Every list: the largest page, and only what changed since the mark when incremental.
  const listParams: Params = [["limit", AMO_PAGE], ...updatedSince(since)];

  const jobs: (() => Promise<void>)[] = [];
  for (const ids of idBatches(contactIds, "filter[id][]", CONTACT_BATCH, fixed("/api/v4/contacts", [...listParams, ["page", 1]]))) {
    jobs.push(async () => {
      const params: Params = [...ids.map((id): [string, string] => ["filter[id][]", id]), ...listParams];
      const items = await allPages((page) => list("/api/v4/contacts", "contacts", amoContactSchema, [...params, ["page", page]]));
      await sink({ kind: "contacts", records: items.map((c) => mapAmoContact(c, region, names)) });
    });
  }
  const attached = [
    { path: "/api/v4/contacts/notes", entity: "notes", kind: "notes", extra: [] as Params },
    { path: "/api/v4/tasks", entity: "tasks", kind: "tasks", extra: [["filter[entity_type]", "contacts"]] as Params },
  ] as const;
  for (const { path, entity, kind, extra } of attached) {
    for (const ids of idBatches(contactIds, "filter[entity_id][]", ENTITY_BATCH, fixed(path, [...extra, ...listParams, ["page", 1]]))) {
      jobs.push(async () => {
        const params: Params = [...extra, ...ids.map((id): [string, string] => ["filter[entity_id][]", id]), ...listParams];
        const items = await allPages((page) => list(path, entity, amoAttachedSchema, [...params, ["page", page]]));
        await sink({ kind, records: items.map((r) => mapAmoAttached(r, "contacts")) });
      });
    }
  }
  await pool(jobs, IMPORT_CONCURRENCY);
  return { companyIds: companies.map((c) => c.externalId), contactIds };
}

/** Requests the per-entity approach needs for the same data: contacts per company, notes and tasks per contact. */
export function perEntityRequests(companyPages: number, companies: number, contacts: number): number {
  return companyPages + companies + 2 * contacts;
}
