// Statements that store one page of upstream records, and what they change (created / updated).
// Everything returned goes into the caller's db.batch together with the run's checkpoint.
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { companies, contactCompanies, contacts, conversations, notes, opportunities, tasks } from "../../shared/db/schema";
import { toContactRow } from "../contacts/rows";
import { jsonUpserts } from "../db/json-upsert";
import { newerWinsSet } from "../db/upsert";
import type { Db } from "../env";
import { countBecomingLive } from "../db/contact-counts";
import type { KindPage } from "../providers/sync-source";
import type { CompanyRecord, ContactRecord, RelatedRecord } from "../providers/types";

export type Statement = BatchItem<"sqlite">;
/**
 * `known` reads the stored state of the page's records and runs first in the caller's batch (so it
 * sees the table before the upserts); `tally` turns its rows into created / updated counts.
 */
export type Written = {
  known: ReturnType<typeof knownQuery>;
  statements: Statement[];
  tally: (knownRows: { id: string; updated: number }[]) => { created: number; updated: number };
};

export const RELATED_TABLES = { conversations, opportunities, tasks, notes } as const;
export type RelatedTable = keyof typeof RELATED_TABLES;
type SyncedTable = typeof contacts | typeof companies | (typeof RELATED_TABLES)[RelatedTable];

// Seen now: synced_at moves, and a tombstone (deleted, deleted_at) is lifted.
const ALWAYS = ["syncedAt", "deleted", "deletedAt"] as const;
// related_synced_at belongs to the tasks/notes fetch: a contact sync never overwrites it.
const contactSet = newerWinsSet(contacts, ["id", "locationId", "externalId", "relatedSyncedAt"], ALWAYS);
const companySet = newerWinsSet(companies, ["id", "locationId", "externalId"], ALWAYS);
const relatedSets = Object.fromEntries(
  Object.entries(RELATED_TABLES).map(([k, t]) => [k, newerWinsSet(t, ["id", "locationId", "externalId"], ALWAYS)]),
) as Record<RelatedTable, ReturnType<typeof newerWinsSet>>;

/** The stored update time of each of these external ids (one statement), for the counts. */
function knownQuery(db: Db, table: SyncedTable, locationId: string, ids: string[]) {
  return db
    .select({ id: table.externalId, updated: table.dateUpdated })
    .from(table)
    .where(
      and(
        eq(table.locationId, locationId),
        eq(table.deleted, false),
        sql`${table.externalId} in (select value from json_each(${JSON.stringify(ids)}))`,
      ),
    );
}

function tally(records: { externalId: string; dateUpdated: number }[], knownRows: { id: string; updated: number }[]) {
  const before = new Map(knownRows.map((r) => [r.id, r.updated]));
  let created = 0;
  let updated = 0;
  for (const r of records) {
    const prior = before.get(r.externalId);
    if (prior === undefined) created++;
    else if (r.dateUpdated > prior) updated++;
  }
  return { created, updated };
}

function upserts(db: Db, table: SyncedTable, rows: Record<string, unknown>[], set: ReturnType<typeof newerWinsSet>): Statement[] {
  return jsonUpserts(db, table, rows, set);
}

/** Replaces the company links of the contacts whose provider names their companies. */
function linkStatements(db: Db, locationId: string, records: ContactRecord[]): Statement[] {
  const linked = records.filter((r) => r.companyExternalIds !== undefined);
  if (linked.length === 0) return [];
  const pairs = linked.flatMap((r) => (r.companyExternalIds ?? []).map((k) => ({ c: r.externalId, k })));
  const unlink = db
    .delete(contactCompanies)
    .where(
      and(
        eq(contactCompanies.locationId, locationId),
        sql`${contactCompanies.contactExternalId} in (select value from json_each(${JSON.stringify(linked.map((r) => r.externalId))}))`,
      ),
    );
  if (pairs.length === 0) return [unlink];
  const link = db
    .insert(contactCompanies)
    .select(sql`select ${locationId}, value ->> '$.c', value ->> '$.k' from json_each(${JSON.stringify(pairs)}) where true`)
    .onConflictDoNothing();
  return [unlink, link];
}

export function writeContacts(db: Db, locationId: string, records: ContactRecord[], at: number): Written {
  const rows = records.map((r) => toContactRow(locationId, r, at));
  return {
    known: knownQuery(db, contacts, locationId, records.map((r) => r.externalId)),
    statements: [...upserts(db, contacts, rows, contactSet), ...linkStatements(db, locationId, records)],
    tally: (knownRows) => tally(records, knownRows),
  };
}

export function writeCompanies(db: Db, locationId: string, records: CompanyRecord[], at: number): Written {
  const rows = records.map((r) => ({
    locationId,
    externalId: r.externalId,
    name: r.name,
    payload: r.payload,
    dateUpdated: r.dateUpdated,
    deleted: false,
    syncedAt: at,
  }));
  return {
    known: knownQuery(db, companies, locationId, records.map((r) => r.externalId)),
    statements: upserts(db, companies, rows, companySet),
    tally: (knownRows) => tally(records, knownRows),
  };
}

/** Only what the counts need: the same reads as a write, no statements (dry runs). */
export function readOnly(written: Written): Written {
  return { ...written, statements: [] };
}

export function writeRelated(db: Db, which: RelatedTable, locationId: string, records: RelatedRecord[], at: number): Written {
  const table = RELATED_TABLES[which];
  const rows = records.map((r) => ({ locationId, ...r, deleted: false, syncedAt: at }));
  return {
    known: knownQuery(db, table, locationId, records.map((r) => r.externalId)),
    statements: upserts(db, table, rows, relatedSets[which]),
    tally: (knownRows) => tally(records, knownRows),
  };
}

/**
 * One fetched page as statements: `written` (its read of the stored rows, and the upserts) and
 * `counters`, which must run after that read and before the upserts (contact_count += the
 * contacts that become live, and the data version).
 */
export function writePage(db: Db, locationId: string, page: KindPage, at: number): { written: Written; counters: Statement[] } {
  switch (page.kind) {
    case "contacts": {
      const records = page.page.records;
      const counters = records.length ? [countBecomingLive(db, locationId, records.map((r) => r.externalId), at)] : [];
      return { written: writeContacts(db, locationId, records, at), counters };
    }
    case "companies":
      return { written: writeCompanies(db, locationId, page.page.records, at), counters: [] };
    default:
      return { written: writeRelated(db, page.kind, locationId, page.page.records, at), counters: [] };
  }
}
