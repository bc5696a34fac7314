// Webhook hints written to the cache, so that duplicated and reordered deliveries converge:
// - an upsert lands only if no stored copy is newer (date_updated) and no tombstone is at or after
//   the time the record was known to exist (`seen`: the event's time, or when it was fetched);
// - a delete becomes a tombstone at the event's time (a row is inserted for a contact not cached
//   yet), so an update or create delivered late cannot bring it back;
// - the counters statement of each runs first in the same batch (D1 runs a batch as one
//   transaction: the caller binds them with d1-bind.ts), so contact_count follows exactly what the writes do, and data_version moves.
import { getTableColumns, sql } from "drizzle-orm";
import { contacts, locations } from "../../shared/db/schema";
import type { Db } from "../env";
import type { Bindable } from "./d1-bind";
import { encodeRow } from "./json-upsert";

type Statement = Bindable;

/** Columns an accepted upsert overwrites (identity and the related-records mark stay). */
const KEEP = new Set(["id", "location_id", "external_id", "related_synced_at"]);
const COLUMNS = Object.values(getTableColumns(contacts)).map((c) => c.name);

/** A stored row that wins over incoming row `j` (its JSON in json_each): newer, or a later tombstone. */
const blocks = (alias: string) =>
  `(${alias}.date_updated > (j.value ->> '$.date_updated') or (${alias}.deleted = 1 and coalesce(${alias}.deleted_at, 0) >= (j.value ->> '$._seen')))`;

/**
 * Upserts of whole contacts from hints. `rows`: cache rows (worker/contacts/rows.ts) each with the
 * time it was known to exist. Ids must be distinct.
 */
export function hintUpserts(db: Db, locationId: string, rows: { row: Record<string, unknown>; seen: number }[], at: number): Statement[] {
  if (rows.length === 0) return [];
  const encoded = JSON.stringify(rows.map(({ row, seen }) => ({ ...encodeRow(contacts, row), _seen: seen })));
  const becomingLive = sql`(select count(*) from json_each(${encoded}) j where not exists (select 1 from ${contacts} c where c.location_id = ${locationId} and c.external_id = (j.value ->> '$.external_id') and (c.deleted = 0 or ${sql.raw(blocks("c"))})))`;
  const counters = db
    .update(locations)
    .set({ contactCount: sql`${locations.contactCount} + ${becomingLive}`, dataVersion: sql`${locations.dataVersion} + 1`, updatedAt: at })
    .where(sql`${locations.id} = ${locationId}`);
  const present = new Set(Object.keys(encodeRow(contacts, rows[0]!.row)));
  const select = COLUMNS.map((name) => (present.has(name) ? `j.value ->> '$.${name}'` : "null")).join(", ");
  const set = COLUMNS.filter((name) => !KEEP.has(name) && present.has(name))
    .map((name) => `${name} = excluded.${name}`)
    .concat(["deleted = 0", "deleted_at = null"])
    .join(", ");
  const upsert = sql`insert into ${contacts} (${sql.raw(COLUMNS.join(", "))})
    select ${sql.raw(select)} from json_each(${encoded}) j
    where not exists (select 1 from ${contacts} s where s.location_id = ${locationId} and s.external_id = (j.value ->> '$.external_id') and ${sql.raw(blocks("s"))})
    on conflict (location_id, external_id) do update set ${sql.raw(set)}`;
  return [counters, upsert];
}

/** Tombstones at each delete's event time; contacts not cached yet get a tombstone row. Ids distinct. */
export function hintDeletes(db: Db, locationId: string, deletes: { id: string; at: number }[], now: number): Statement[] {
  if (deletes.length === 0) return [];
  const encoded = JSON.stringify(deletes.map((d) => ({ id: d.id, at: d.at })));
  const applies = `(c.deleted = 0 and c.date_updated <= (j.value ->> '$.at'))`;
  const goingDead = sql`(select count(*) from ${contacts} c join json_each(${encoded}) j on c.external_id = (j.value ->> '$.id') where c.location_id = ${locationId} and ${sql.raw(applies)})`;
  const counters = db
    .update(locations)
    .set({ contactCount: sql`${locations.contactCount} - ${goingDead}`, dataVersion: sql`${locations.dataVersion} + 1`, updatedAt: now })
    .where(sql`${locations.id} = ${locationId}`);
  // A live row not updated after the delete dies at the delete's time; a tombstone moves later.
  const mark = sql`update ${contacts} as c set deleted = 1, synced_at = ${now},
      deleted_at = max(coalesce(c.deleted_at, 0), (select j.value ->> '$.at' from json_each(${encoded}) j where (j.value ->> '$.id') = c.external_id))
    where c.location_id = ${locationId}
      and exists (select 1 from json_each(${encoded}) j where (j.value ->> '$.id') = c.external_id and (${sql.raw(applies)} or c.deleted = 1))`;
  const tombstones = sql`insert into ${contacts} (location_id, external_id, name, sort_name, search_text, tags, date_added, date_updated, payload, deleted, deleted_at, synced_at)
    select ${locationId}, j.value ->> '$.id', '', '', '', '[]', 0, j.value ->> '$.at', '{}', 1, j.value ->> '$.at', ${now} from json_each(${encoded}) j where true
    on conflict (location_id, external_id) do nothing`;
  return [counters, mark, tombstones];
}
