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

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Trigrams need three characters; shorter searches fall back to LIKE over the location's rows. */
export const FTS_MIN_QUERY = 3;

function matchFilter(spec: ListSpec): SQL {
  const live = and(eq(contacts.locationId, spec.locationId), eq(contacts.deleted, false)) as SQL;
  if (!spec.q) return live;
  const q = spec.q.toLowerCase();
  if (q.length >= FTS_MIN_QUERY) {
    // One FTS5 string token: the trigram tokenizer matches it as a substring.
    const phrase = `"${q.replace(/"/g, '""')}"`;
    return and(live, sql`${contacts.id} in (select rowid from contacts_fts where contacts_fts match ${phrase})`) as SQL;
  }
  return and(live, sql`${contacts.searchText} like ${`%${escapeLike(q)}%`} escape '\\'`) as SQL;
}

/** One page (limit + 1 rows, so the caller knows whether another page follows). */
export function contactPageQuery(db: Db, spec: ListSpec) {
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
    .where(and(matchFilter(spec), keyset))
    .orderBy(direction(column), direction(contacts.id))
    .limit(spec.limit + 1);
}

/** Matches of a search; unfiltered totals come from locations.contact_count instead. */
export function contactCountQuery(db: Db, spec: ListSpec) {
  return db.select({ n: count() }).from(contacts).where(matchFilter(spec));
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
