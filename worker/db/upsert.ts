// Bulk upserts within D1's limit of 100 bound parameters per statement.
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

export const D1_MAX_PARAMS = 100;

/** Rows per multi-row INSERT so that rows × columns stays within D1_MAX_PARAMS. */
export function rowsPerStatement(columnsPerRow: number): number {
  return Math.max(1, Math.floor(D1_MAX_PARAMS / columnsPerRow));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `SET col = excluded.col` for every column but the ones named, for ON CONFLICT DO UPDATE. */
export function excludedSet<T extends Parameters<typeof getTableColumns>[0]>(
  table: T,
  skip: readonly string[],
): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table)) as [string, SQLiteColumn][]) {
    if (!skip.includes(key)) set[key] = sql.raw(`excluded.${column.name}`);
  }
  return set;
}
