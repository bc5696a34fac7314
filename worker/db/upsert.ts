// Bulk upserts within D1's limit of 100 bound parameters per statement.
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * ON CONFLICT DO UPDATE for synced records: `always` columns take the incoming value (it was seen
 * now: synced_at, deleted), every other column only when the incoming copy is not older than the
 * stored one, so a redelivered page or an overlapping incremental never rolls a record back.
 */
export function newerWinsSet<T extends Parameters<typeof getTableColumns>[0] & { _: { name: string } }>(
  table: T,
  skip: readonly string[],
  always: readonly string[],
): Record<string, SQL> {
  const name = getTableName(table as Parameters<typeof getTableName>[0]);
  const newer = `excluded.date_updated >= "${name}".date_updated or "${name}".deleted = 1`;
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, SQLiteColumn][]) {
    if (skip.includes(key)) continue;
    set[key] = always.includes(key)
      ? sql.raw(`excluded.${column.name}`)
      : sql.raw(`case when ${newer} then excluded.${column.name} else "${name}".${column.name} end`);
  }
  return set;
}
