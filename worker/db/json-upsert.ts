// Bulk upsert through one bound parameter: the rows travel as a JSON array and SQLite unpacks them
// with json_each. One statement per chunk instead of one per 5 rows (D1's limit of 100 bound
// parameters per statement caps a multi-row VALUES insert of 18 columns at 5 rows), which is what
// makes a 500-contact page cheap to write.
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../env";
import { chunkByJsonSize } from "./json-chunks";

/** Rows per statement at most; json-chunks.ts also caps each statement's JSON by bytes. */
export const JSON_ROWS_PER_STATEMENT = 250;

/** A Drizzle insert object → plain JSON values keyed by SQL column name (JSON columns serialised). */
export function encodeRow(table: SQLiteTable, row: Record<string, unknown>): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, SQLiteColumn][]) {
    const value = row[key];
    if (value === undefined) continue;
    if (value === null) out[column.name] = null;
    else if (typeof value === "boolean") out[column.name] = value ? 1 : 0;
    else if (typeof value === "number" || typeof value === "string") out[column.name] = value;
    else out[column.name] = JSON.stringify(value);
  }
  return out;
}

/**
 * `INSERT INTO t SELECT … FROM json_each(?) WHERE true ON CONFLICT (location_id, external_id) DO
 * UPDATE SET …` (the `WHERE true` resolves SQLite's parsing ambiguity between SELECT and upsert).
 * Columns a row does not carry are inserted as NULL (the autoincrement id among them).
 */
export function jsonUpsert<T extends SQLiteTable & { locationId: SQLiteColumn; externalId: SQLiteColumn }>(
  db: Db,
  table: T,
  rows: Record<string, unknown>[],
  set: Record<string, SQL>,
) {
  return upsertEncoded(db, table, rows.map((r) => encodeRow(table, r)), set);
}

/**
 * `jsonUpsert` for any number of rows: one statement per chunk of at most JSON_ROWS_PER_STATEMENT
 * rows whose bound JSON stays under JSON_BYTES_PER_VALUE.
 */
export function jsonUpserts<T extends SQLiteTable & { locationId: SQLiteColumn; externalId: SQLiteColumn }>(
  db: Db,
  table: T,
  rows: Record<string, unknown>[],
  set: Record<string, SQL>,
) {
  const encoded = rows.map((r) => encodeRow(table, r));
  return chunkByJsonSize(encoded, JSON_ROWS_PER_STATEMENT).map((part) => upsertEncoded(db, table, part, set));
}

function upsertEncoded<T extends SQLiteTable & { locationId: SQLiteColumn; externalId: SQLiteColumn }>(
  db: Db,
  table: T,
  encoded: Record<string, string | number | null>[],
  set: Record<string, SQL>,
) {
  const present = new Set(encoded.flatMap((r) => Object.keys(r)));
  const select = (Object.values(getTableColumns(table)) as SQLiteColumn[])
    .map((c) => (present.has(c.name) ? `value ->> '$.${c.name}'` : "null"))
    .join(", ");
  return db
    .insert(table)
    .select(sql`select ${sql.raw(select)} from json_each(${JSON.stringify(encoded)}) where true`)
    .onConflictDoUpdate({ target: [table.locationId, table.externalId], set });
}
