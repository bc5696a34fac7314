// Read queries of the contact cache. Every list query is served by one of the contacts_by_* indexes
// (test/explain.test.ts proves it with EXPLAIN QUERY PLAN).
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import {
  contacts,
  conversations,
  locations,
  notes,
  opportunities,
  syncRuns,
  tasks,
} from "../../shared/db/schema";
import type { ContactSort } from "../../shared/schemas/contacts";
import type { CursorPosition } from "../contacts/cursor";
import { locationShift, searchKey } from "../contacts/search-key";
import type { Db } from "../env";

const SORT_COLUMNS = {
  name: contacts.sortName,
  date_added: contacts.dateAdded,
  date_updated: contacts.dateUpdated,
} as const;

export type ListSpec = {
  locationId: string;
  sort: ContactSort;
  order: "asc" | "desc";
  q: string;
  limit: number;
  after: CursorPosition | null;
};

/** Trigrams need three characters; shorter searches match name and email prefixes instead. */
export const FTS_MIN_QUERY = 3;

/**
 * Search counts stop here: a common term in a big location would otherwise count every match.
 * Past it the response reports the cap with total_kind "at_least".
 */
export const SEARCH_COUNT_CAP = 1_000;

/** Above every character a name or address holds: `[q, q + TOP)` is the range of strings starting with q. */
const TOP = "\u{10FFFF}";

function live(spec: ListSpec): SQL {
  return and(eq(contacts.locationId, spec.locationId), eq(contacts.deleted, false)) as SQL;
}

/** The FTS5 query: one string token in the location's alphabet; the trigram tokenizer matches it as a substring. */
function ftsPhrase(spec: ListSpec): string {
  return `"${searchKey(locationShift(spec.locationId), spec.q.toLowerCase())}"`;
}

function isShort(q: string): boolean {
  return Array.from(q).length < FTS_MIN_QUERY;
}

/**
 * One or two characters: names or addresses starting with them, found by ranges of
 * contacts_by_name and contacts_by_email_key (bounded by the matches, never a pass over the
 * location's rows as a `LIKE '%q%'` was).
 */
function prefixMatches(spec: ListSpec, q: string): SQL {
  const end = q + TOP;
  return sql`${contacts.id} in (select id from ${contacts} where location_id = ${spec.locationId} and deleted = 0 and sort_name >= ${q} and sort_name < ${end}
    union select id from ${contacts} where location_id = ${spec.locationId} and email_key >= ${q} and email_key < ${end})`;
}

/** The location's live rows; `driven`: with unary + so no index serves them, and the matches' rowids drive. */
function liveRows(spec: ListSpec, driven: boolean): SQL {
  return driven ? sql`+${contacts.locationId} = ${spec.locationId} and +${contacts.deleted} = 0` : live(spec);
}

/**
 * `driven`: the search's matches drive (their rowids), and the page sorts them: cost in proportion
 * to the matches. Otherwise a sort index is walked in order, testing each row against the matches:
 * cheap when matches are dense (the walk stops at the page's end), a walk of the whole location
 * when they are rare. Prefix searches are always driven; trigram searches are driven when their
 * capped count says they are few (list.ts).
 */
function matchFilter(spec: ListSpec, driven = false): SQL {
  if (!spec.q) return live(spec);
  const q = spec.q.toLowerCase();
  if (isShort(q)) return and(liveRows(spec, true), prefixMatches(spec, q)) as SQL;
  return and(liveRows(spec, driven), sql`${contacts.id} in (select rowid from contacts_fts where contacts_fts match ${ftsPhrase(spec)})`) as SQL;
}

/** One page (limit + 1 rows, so the caller knows whether another page follows). See matchFilter for `driven`. */
export function contactPageQuery(db: Db, spec: ListSpec, driven = false) {
  const column = SORT_COLUMNS[spec.sort];
  const direction = spec.order === "asc" ? asc : desc;
  const keyset = spec.after
    ? spec.order === "asc"
      ? sql`(${column}, ${contacts.id}) > (${spec.after.value}, ${spec.after.id})`
      : sql`(${column}, ${contacts.id}) < (${spec.after.value}, ${spec.after.id})`
    : undefined;
  return db
    .select({ id: contacts.id, key: column, payload: contacts.payload })
    .from(contacts)
    .where(and(matchFilter(spec, driven), keyset))
    .orderBy(direction(column), direction(contacts.id))
    .limit(spec.limit + 1);
}

/**
 * Matches of a search, counted up to SEARCH_COUNT_CAP + 1 (the caller reports more than the cap
 * as "at least"); unfiltered totals come from locations.contact_count instead. The trigram count
 * walks the index's matches and stops at the cap, instead of collecting every match first.
 */
export function contactCountQuery(db: Db, spec: ListSpec) {
  const q = spec.q.toLowerCase();
  const capped =
    !q || isShort(q)
      ? sql`select 1 from ${contacts} where ${matchFilter(spec)} limit ${SEARCH_COUNT_CAP + 1}`
      : // CROSS JOIN keeps the index's matches as the outer loop (SQLite does not reorder it).
        sql`select 1 from contacts_fts f cross join ${contacts} c on c.id = f.rowid
          where contacts_fts match ${ftsPhrase(spec)} and c.location_id = ${spec.locationId} and c.deleted = 0
          limit ${SEARCH_COUNT_CAP + 1}`;
  return db.select({ n: count() }).from(sql`(${capped})`);
}

export function locationStateQuery(db: Db, locationId: string) {
  return db
    .select({
      id: locations.id,
      lastSyncedAt: locations.lastSyncedAt,
      webhooksAt: locations.webhooksAt,
      dataVersion: locations.dataVersion,
      contactCount: locations.contactCount,
    })
    .from(locations)
    .where(eq(locations.id, locationId));
}

/** The newest contacts sync of a location: is one under way, or did the last one fail? */
export function latestContactsRunQuery(db: Db, locationId: string) {
  return db
    .select({
      id: syncRuns.id,
      status: syncRuns.status,
      errorMessage: syncRuns.errorMessage,
      finishedAt: syncRuns.finishedAt,
      heartbeatAt: syncRuns.heartbeatAt,
    })
    .from(syncRuns)
    .where(and(eq(syncRuns.locationId, locationId), eq(syncRuns.kind, "contacts")))
    .orderBy(desc(syncRuns.queuedAt))
    .limit(1);
}

/** A contact and everything hanging off it: five statements, one round trip. */
export async function contactWithRelated(db: Db, locationId: string, externalId: string) {
  const related = <T extends typeof tasks | typeof notes | typeof conversations | typeof opportunities>(t: T) =>
    db
      .select({ payload: t.payload })
      .from(t)
      .where(and(eq(t.locationId, locationId), eq(t.contactExternalId, externalId), eq(t.deleted, false)))
      .orderBy(desc(t.dateUpdated))
      .limit(200);
  const [contact, taskRows, noteRows, conversationRows, opportunityRows] = await db.batch([
    db
      .select({ payload: contacts.payload, dateUpdated: contacts.dateUpdated, relatedSyncedAt: contacts.relatedSyncedAt })
      .from(contacts)
      .where(
        and(eq(contacts.locationId, locationId), eq(contacts.externalId, externalId), eq(contacts.deleted, false)),
      ),
    related(tasks),
    related(notes),
    related(conversations),
    related(opportunities),
  ]);
  return {
    contact: contact[0] ?? null,
    tasks: taskRows.map((r) => r.payload),
    notes: noteRows.map((r) => r.payload),
    conversations: conversationRows.map((r) => r.payload),
    opportunities: opportunityRows.map((r) => r.payload),
  };
}
