// What a full pass's reconcile reads and writes: how many live rows a kind has, how many the pass
// saw, which ones it did not see (the candidates), and the statements that tombstone them.
import { type SQL, and, asc, eq, lt, notLike, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type SyncKind, companies, contacts, conversations, notes, opportunities, tasks } from "../../shared/db/schema";
import type { Db } from "../env";
import { chunk } from "./upsert";

const TABLES = { contacts, companies, conversations, opportunities, notes, tasks } as const satisfies Record<SyncKind, unknown>;

/** Contacts made by CSV imports are ours, not upstream's: a reconcile never counts or deletes them. */
const IMPORTED = "import:%";
/** Ids per tombstone statement: a JSON list well inside D1's 100 KB statement limit. */
const MARK_CHUNK = 1000;

function upstreamRows(kind: SyncKind, locationId: string): SQL {
  const table = TABLES[kind];
  return and(eq(table.locationId, locationId), eq(table.deleted, false), notLike(table.externalId, IMPORTED)) as SQL;
}

export type ReconcileCounts = { live: number; seen: number; candidates: number };

/** Live upstream rows of the kind, those the pass saw (synced since it started), and the rest. */
export async function reconcileCounts(db: Db, kind: SyncKind, locationId: string, since: number): Promise<ReconcileCounts> {
  const table = TABLES[kind];
  const [row] = await db
    .select({
      live: sql<number>`count(*)`,
      seen: sql<number>`coalesce(sum(${table.syncedAt} >= ${since}), 0)`,
    })
    .from(table)
    .where(upstreamRows(kind, locationId));
  const live = Number(row?.live ?? 0);
  const seen = Number(row?.seen ?? 0);
  return { live, seen, candidates: live - seen };
}

/** External ids of the live rows the pass did not see (at most `limit`). */
export async function candidateIds(db: Db, kind: SyncKind, locationId: string, since: number, limit: number): Promise<string[]> {
  const table = TABLES[kind];
  const rows = await db
    .select({ id: table.externalId })
    .from(table)
    .where(and(upstreamRows(kind, locationId), lt(table.syncedAt, since)))
    .orderBy(asc(table.externalId))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Tombstones these rows (deleted, with the time upstream was found without them) when `guard`
 * holds, unless a write since the pass started saw them again. Returns the ids it marked.
 */
export function markDeleted(
  db: Db,
  kind: SyncKind,
  locationId: string,
  since: number,
  ids: readonly string[],
  at: number,
  guard: SQL,
): BatchItem<"sqlite">[] {
  const table = TABLES[kind];
  return chunk(ids, MARK_CHUNK).map((part) =>
    db
      .update(table)
      .set({ deleted: true, deletedAt: at })
      .where(
        and(
          upstreamRows(kind, locationId),
          lt(table.syncedAt, since),
          sql`${table.externalId} in (select value from json_each(${JSON.stringify(part)}))`,
          guard,
        ),
      )
      .returning({ id: table.externalId }),
  );
}
