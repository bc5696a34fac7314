// AmoCRM's filtered import: the companies matching a filter (responsible user + custom field
// value), their contacts, and those contacts' notes and tasks, in the fewest requests the API
// allows. AmoCRM has no company filter on contacts, so instead of paging the whole account:
//   1. companies with the filter and `with=contacts` (ids of their contacts come along);
//   2. contacts by id, notes by entity id, tasks by entity id, in URL-safe batches, side by side
//      under the account's bucket (bounded concurrency; a batch's further pages only when
//      `_links.next` says they exist).
// Everything is written in one D1 batch (one transaction) at the end, or not at all for a dry
// run. The import runs inside one queue message; a crash repeats it, and the newer-wins upserts
// make the repeat change nothing twice.
import { eq, sql } from "drizzle-orm";
import { type SyncRunRow, contacts, locations, syncRuns } from "../../shared/db/schema";
import { type CompanyFilter, companyFilterSchema } from "../../shared/schemas/amocrm";
import { AMO_PAGE, type AmoClient } from "../providers/amocrm/client";
import { mapAmoAttached, mapAmoCompany, mapAmoContact } from "../providers/amocrm/contacts";
import { type Params, buildUrl, idBatches } from "../providers/amocrm/query";
import { amoAttachedSchema, amoCompanySchema, amoContactSchema } from "../providers/amocrm/schemas";
import { amoClientFor, phoneRegion } from "../providers/sync-source";
import type { CompanyRecord, ContactRecord, RelatedRecord } from "../providers/types";
import { UpstreamError, type UpstreamContext } from "../providers/upstream";
import type { SyncDeps, Upstream } from "./driver";
import { logRunEnd, mergeMetrics, readMetrics, summarise } from "./metrics";
import { type Statement, type Written, readOnly, writeCompanies, writeContacts, writeRelated } from "./writers";

/** Contacts by id: one page holds AMO_PAGE, and 250 eight-digit ids fit the URL budget. */
export const CONTACT_BATCH = AMO_PAGE;
/** Notes and tasks by entity id (the cap; also keeps most batches to one page). */
export const ENTITY_BATCH = 200;
/** Requests of one import in flight at once: enough to keep the bucket busy, no more. */
export const IMPORT_CONCURRENCY = 4;

export type FilteredOptions = { filter: CompanyFilter; dry_run: boolean; incremental: boolean };

export function readOptions(run: SyncRunRow): FilteredOptions {
  const o = run.options ?? {};
  const filter = companyFilterSchema.safeParse(o.filter);
  if (!filter.success) throw new UpstreamError("client", "The filtered import has no valid company filter.");
  return { filter: filter.data, dry_run: o.dry_run === true, incremental: o.incremental === true };
}

/** Counts per entity, for the metrics block. */
type Tally = { seen: number; matched: number; created: number; updated: number };
const tally = (): Tally => ({ seen: 0, matched: 0, created: 0, updated: 0 });

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
async function allPages<T>(fetchPage: (page: number) => Promise<{ items: T[]; more: boolean }>): Promise<T[]> {
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

async function matchingCompanies(client: AmoClient, ctx: UpstreamContext, filter: CompanyFilter): Promise<CompanyRecord[]> {
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
    const res = await client.list(ctx, "/api/v4/companies", "companies", amoCompanySchema, [...params, ["page", page]]);
    found.push(...res.items.map(mapAmoCompany));
    if (!res.more) break;
  }
  return found.slice(0, limit);
}

type Fetched = { companies: CompanyRecord[]; contacts: ContactRecord[]; notes: RelatedRecord[]; tasks: RelatedRecord[] };

async function fetchAll(
  client: AmoClient,
  ctx: UpstreamContext,
  options: FilteredOptions,
  since: number | null,
  region: Parameters<typeof mapAmoContact>[1],
): Promise<Fetched & { plan: ImportPlan }> {
  const companies = await matchingCompanies(client, ctx, options.filter);
  const contactIds = [...new Set(companies.flatMap((c) => c.contactExternalIds ?? []))].sort();
  const names = new Map(companies.map((c) => [c.externalId, c.name]));
  const out: Fetched = { companies, contacts: [], notes: [], tasks: [] };
  const fixed = (path: string, params: Params) => buildUrl(client.baseUrl, path, params);
  // Every list: the largest page, and only what changed since the mark when incremental.
  const listParams: Params = [["limit", AMO_PAGE], ...updatedSince(since)];

  const jobs: (() => Promise<void>)[] = [];
  for (const ids of idBatches(contactIds, "filter[id][]", CONTACT_BATCH, fixed("/api/v4/contacts", [...listParams, ["page", 1]]))) {
    jobs.push(async () => {
      const params: Params = [...ids.map((id): [string, string] => ["filter[id][]", id]), ...listParams];
      const items = await allPages((page) => client.list(ctx, "/api/v4/contacts", "contacts", amoContactSchema, [...params, ["page", page]]));
      out.contacts.push(...items.map((c) => mapAmoContact(c, region, names)));
    });
  }
  const attached = [
    { path: "/api/v4/contacts/notes", entity: "notes", extra: [] as Params, into: out.notes },
    { path: "/api/v4/tasks", entity: "tasks", extra: [["filter[entity_type]", "contacts"]] as Params, into: out.tasks },
  ];
  for (const { path, entity, extra, into } of attached) {
    for (const ids of idBatches(contactIds, "filter[entity_id][]", ENTITY_BATCH, fixed(path, [...extra, ...listParams, ["page", 1]]))) {
      jobs.push(async () => {
        const params: Params = [...extra, ...ids.map((id): [string, string] => ["filter[entity_id][]", id]), ...listParams];
        const items = await allPages((page) => client.list(ctx, path, entity, amoAttachedSchema, [...params, ["page", page]]));
        into.push(...items.map((r) => mapAmoAttached(r, "contacts")));
      });
    }
  }
  await pool(jobs, IMPORT_CONCURRENCY);
  return { ...out, plan: { companyIds: companies.map((c) => c.externalId), contactIds } };
}

/** Requests the per-entity approach needs for the same data: contacts per company, notes and tasks per contact. */
export function perEntityRequests(companyPages: number, companies: number, contacts: number): number {
  return companyPages + companies + 2 * contacts;
}

/** Drives a filtered import to its end; the caller holds the lease and books `ctx.meter` on failure. */
export async function driveFilteredImport(deps: SyncDeps, run: SyncRunRow, upstream: Upstream, ctx: UpstreamContext): Promise<void> {
  if (upstream.location.provider !== "amocrm") throw new UpstreamError("client", "Filtered imports are an AmoCRM feature.");
  const options = readOptions(run);
  const client = amoClientFor(upstream.location, upstream.credentials, upstream.store);
  const meter = ctx.meter;
  const since = options.incremental ? run.since : null;
  const fetched = await fetchAll(client, ctx, options, since, phoneRegion(upstream.location));

  const at = deps.now();
  const db = deps.db;
  const parts: [keyof Fetched, Written][] = [
    ["companies", writeCompanies(db, run.locationId, fetched.companies, at)],
    ["contacts", writeContacts(db, run.locationId, fetched.contacts, at)],
    ["notes", writeRelated(db, "notes", run.locationId, fetched.notes, at)],
    ["tasks", writeRelated(db, "tasks", run.locationId, fetched.tasks, at)],
  ];
  const written = options.dry_run ? parts.map(([k, w]) => [k, readOnly(w)] as const) : parts;
  const statements: Statement[] = written.flatMap(([, w]) => w.statements);
  if (!options.dry_run && fetched.contacts.length > 0) {
    statements.push(
      db
        .update(locations)
        .set({
          lastSyncedAt: at,
          dataVersion: sql`${locations.dataVersion} + 1`,
          contactCount: sql`(select count(*) from ${contacts} where ${contacts.locationId} = ${run.locationId} and ${contacts.deleted} = 0)`,
          updatedAt: at,
        })
        .where(eq(locations.id, run.locationId)),
    );
  }
  const [first, ...rest] = [...written.map(([, w]) => w.known), ...statements];
  const results = first ? await db.batch([first, ...rest]) : [];

  const entities: Record<string, Tally> = {};
  let created = 0;
  let updated = 0;
  written.forEach(([kind, w], i) => {
    const counts = w.tally((results[i] ?? []) as { id: string; updated: number }[]);
    const records = fetched[kind];
    entities[kind] = { ...tally(), seen: records.length, matched: records.length, ...counts };
    created += counts.created;
    updated += counts.updated;
  });
  const m = meter.snapshot();
  const companyPages = Math.max(1, Math.ceil(fetched.plan.companyIds.length / AMO_PAGE));
  const finished: SyncRunRow = {
    ...run,
    pagesDone: m.requests,
    entitiesSeen: fetched.companies.length + fetched.contacts.length + fetched.notes.length + fetched.tasks.length,
    requests: run.requests + m.requests,
    throttled: run.throttled + m.throttled,
    finishedAt: at,
  };
  const summary = {
    ...summarise(finished, mergeMetrics(readMetrics(run), { created, updated }, m), at),
    dry_run: options.dry_run,
    incremental: since !== null,
    filter: options.filter,
    entities,
    per_entity_requests: perEntityRequests(companyPages, fetched.companies.length, fetched.plan.contactIds.length),
  };
  await db
    .update(syncRuns)
    .set({
      status: "succeeded",
      pagesDone: finished.pagesDone,
      entitiesSeen: finished.entitiesSeen,
      totalEstimate: finished.entitiesSeen,
      requests: finished.requests,
      throttled: finished.throttled,
      metrics: summary,
      finishedAt: at,
      heartbeatAt: at,
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(eq(syncRuns.id, run.id));
  logRunEnd(finished, "succeeded", summary);
}
