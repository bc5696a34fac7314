// The split's dedupe, kept in D1 so the isolate holds only the rows in hand: which row of the file
// first held each address (import_dedupe_keys), and whether a live contact of the location already
// has it (contacts.email_key). Two statements per chunk of rows, sent in one db.batch.
import { sql } from "drizzle-orm";
import { importDedupeKeys } from "../../shared/db/imports";
import { contacts } from "../../shared/db/schema";
import type { Db } from "../env";
import { chunkByJsonSize } from "./json-chunks";

/** [key, row number] of each well-formed address in the chunk. */
export type KeyedRow = [key: string, rowNo: number];

export type KeyVerdict = { firstRow: number; live: boolean };

/**
 * Records each key's first row (the smallest row number ever written for it, so a retried or
 * resumed split, which writes the same rows again, changes nothing) and reads back, per distinct
 * key, its first row and whether a live contact of the location has the address.
 */
export async function dedupeKeys(db: Db, taskId: string, locationId: string, rows: KeyedRow[]): Promise<{ verdicts: Map<string, KeyVerdict>; statements: number }> {
  const verdicts = new Map<string, KeyVerdict>();
  if (rows.length === 0) return { verdicts, statements: 0 };
  const distinct = [...new Set(rows.map(([key]) => key))];
  // A chunk's keys are a fraction of its rows' JSON (under 1 MB), so this is one statement each in
  // practice; the byte cut is there so it can never be an oversized value.
  const inserts = chunkByJsonSize(rows, rows.length).map((part) =>
    db
      .insert(importDedupeKeys)
      .select(sql`select ${taskId}, value ->> 0, value ->> 1 from json_each(${JSON.stringify(part)}) where true`)
      .onConflictDoUpdate({
        target: [importDedupeKeys.taskId, importDedupeKeys.key],
        set: { firstRow: sql`min(${importDedupeKeys.firstRow}, excluded.first_row)` },
      }),
  );
  const lookups = chunkByJsonSize(distinct, distinct.length).map((part) =>
    db
      .select({
        key: importDedupeKeys.key,
        firstRow: importDedupeKeys.firstRow,
        live: sql<number>`exists (select 1 from ${contacts} c where c.location_id = ${locationId} and c.email_key = ${importDedupeKeys.key} and c.deleted = 0)`,
      })
      .from(importDedupeKeys)
      .where(sql`${importDedupeKeys.taskId} = ${taskId} and ${importDedupeKeys.key} in (select value from json_each(${JSON.stringify(part)}))`),
  );
  const [first, ...rest] = [...inserts, ...lookups];
  if (!first) return { verdicts, statements: 0 };
  const results = await db.batch([first, ...rest]);
  for (const result of results.slice(inserts.length) as { key: string; firstRow: number; live: number }[][]) {
    for (const r of result) verdicts.set(r.key, { firstRow: r.firstRow, live: r.live === 1 });
  }
  return { verdicts, statements: inserts.length + lookups.length };
}
