// Statements for a raw D1 batch. drizzle's db.batch cannot carry db.run(sql) items that have
// parameters (drizzle-orm 0.45), so writers that mix query builders and raw SQL bind them here.
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteAsyncDialect();

export type Bindable = { toSQL(): { sql: string; params: unknown[] } } | SQL;

/** A drizzle query builder or raw SQL, as a bound D1 statement. */
export function bindStatement(d1: D1Database, q: Bindable): D1PreparedStatement {
  const { sql: text, params } = "toSQL" in q ? q.toSQL() : dialect.sqlToQuery(q);
  return d1.prepare(text).bind(...params);
}
