// Applies one batch exactly once: its ledger row, contacts, list memberships, rejects and the
// task's counters go in ONE D1 batch (one transaction). A second copy of the batch, or a batch
// that arrives after a cancel, fails the ledger insert's key or CHECK and nothing of it lands.
// Rows travel as one JSON parameter read with json_each: one statement per table per batch,
// instead of one per 5 contacts under D1's 100-parameter limit. The batch goes straight to D1:
// drizzle's db.batch cannot carry db.run(sql) items that have parameters (drizzle-orm 0.45).
import { type SQL, and, eq, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { contactListMembers, contactLists, type ImportTaskRow, importBatches, importRejects, importTasks } from "../../shared/db/imports";
import { contacts, locations } from "../../shared/db/schema";
import type { ImportBatchMessage } from "../../shared/schemas/messages-imports";
import { toContactRow } from "../contacts/rows";
import { chunkByJsonSize } from "../db/json-chunks";
import type { Db } from "../env";
import type { ContactRecord } from "../providers/types";
import { type Classified, allErrors, classify, precheck } from "./classify";
import type { InvocationBudget } from "./budget";
import { importLimits } from "./limits";
import { dohResolver, resolveDomains } from "./mx-cache";
import { loadTask } from "./tasks";

export type ApplyOutcome = "applied" | "duplicate" | "inactive";

function toRecord(c: Classified, now: number): ContactRecord {
  const [, , first, last, full, phone, company] = c.row;
  const email = c.email ?? "";
  return {
    externalId: `import:${c.key ?? email}`,
    firstName: first || null,
    lastName: last || null,
    name: full || [first, last].filter(Boolean).join(" ") || email,
    email,
    phone: phone || null,
    companyName: company || null,
    tags: [],
    source: "csv_import",
    dateAdded: now,
    dateUpdated: now,
    customFields: [],
  };
}

const CONTACT_FIELDS = [
  ["external_id", "externalId"], ["first_name", "firstName"], ["last_name", "lastName"], ["name", "name"],
  ["sort_name", "sortName"], ["search_text", "searchText"], ["email", "email"], ["email_key", "emailKey"], ["phone", "phone"],
  ["company_name", "companyName"], ["tags", "tags"], ["date_added", "dateAdded"], ["date_updated", "dateUpdated"],
  ["payload", "payload"], ["deleted", "deleted"], ["synced_at", "syncedAt"],
] as const;
const CONTACT_COLUMNS = CONTACT_FIELDS.map(([col]) => col).join(", ");
const CONTACT_VALUES = CONTACT_FIELDS.map(([, key]) => `json_extract(value, '$.${key}')`).join(", ");
// date_added stays as first written; everything else takes the import's copy (and revives a deleted contact).
const CONTACT_UPDATE = CONTACT_FIELDS.filter(([col]) => col !== "external_id" && col !== "date_added")
  .map(([col]) => `${col} = excluded.${col}`)
  .join(", ");

const dialect = new SQLiteAsyncDialect();

type Bindable = { toSQL(): { sql: string; params: unknown[] } } | SQL;

/** A drizzle query builder or raw SQL, as a bound D1 statement. */
function bind(d1: D1Database, q: Bindable): D1PreparedStatement {
  const { sql: text, params } = "toSQL" in q ? q.toSQL() : dialect.sqlToQuery(q);
  return d1.prepare(text).bind(...params);
}

function buildStatements(d1: D1Database, db: Db, task: ImportTaskRow, batchNo: number, rows: Classified[], now: number) {
  const valid = rows.filter((r) => r.status === "valid");
  const rejects = rows.filter((r) => r.status !== "valid");
  const count = (s: Classified["status"]) => rows.filter((r) => r.status === s).length;
  const contactRows = valid.map((c) => toContactRow(task.locationId, toRecord(c, now), now));
  const ids = JSON.stringify(contactRows.map((r) => r.externalId));
  const allDone = sql`${importTasks.total} is not null and ${importTasks.processed} + ${rows.length} >= ${importTasks.total}`;

  const ledger = db.insert(importBatches).values({
    taskId: task.id,
    batchNo,
    rows: rows.length,
    // A task deleted meanwhile (its list was deleted) reads as 'gone', which the CHECK refuses too
    // (a bare NULL would pass it).
    taskStatus: sql`coalesce((select ${importTasks.status} from ${importTasks} where ${importTasks.id} = ${task.id}), 'gone')`,
    appliedAt: now,
  });
  const counters = db
    .update(importTasks)
    .set({
      processed: sql`${importTasks.processed} + ${rows.length}`,
      valid: sql`${importTasks.valid} + ${count("valid")}`,
      invalid: sql`${importTasks.invalid} + ${count("invalid")}`,
      blacklist: sql`${importTasks.blacklist} + ${count("blacklist")}`,
      duplicate: sql`${importTasks.duplicate} + ${count("duplicate")}`,
      error: sql`${importTasks.error} + ${count("error")}`,
      status: sql`case when ${allDone} then 'completed' else ${importTasks.status} end`,
      finishedAt: sql`case when ${allDone} then ${now} else ${importTasks.finishedAt} end`,
      updatedAt: now,
    })
    .where(eq(importTasks.id, task.id));
  const rejectRows = rejects.map((r) => [r.row[0], r.status, r.reason, r.hint, r.row[1], r.row[2], r.row[3], r.row[4], r.row[5], r.row[6]]);
  const writes: Bindable[] = [];
  if (contactRows.length) {
    // Counted before the insert: rows that add a live contact (new, or reviving a deleted one).
    writes.push(
      db
        .update(locations)
        .set({
          contactCount: sql`${locations.contactCount} + (select count(*) from json_each(${ids}) j where not exists (select 1 from ${contacts} c where c.location_id = ${task.locationId} and c.external_id = j.value and c.deleted = 0))`,
          dataVersion: sql`${locations.dataVersion} + 1`,
          updatedAt: now,
        })
        .where(eq(locations.id, task.locationId)),
      db
        .update(contactLists)
        .set({
          contactCount: sql`${contactLists.contactCount} + (select count(*) from json_each(${ids}) j where not exists (select 1 from ${contactListMembers} m where m.list_id = ${task.listId} and m.external_id = j.value))`,
          updatedAt: now,
        })
        .where(eq(contactLists.id, task.listId)),
      // Chunked by encoded size: each bound JSON stays under D1's 2 MB per value.
      ...chunkByJsonSize(contactRows, contactRows.length).map(
        (part) => sql`insert into ${contacts} (location_id, ${sql.raw(CONTACT_COLUMNS)})
        select ${task.locationId}, ${sql.raw(CONTACT_VALUES)} from json_each(${JSON.stringify(part)}) where true
        on conflict (location_id, external_id) do update set ${sql.raw(CONTACT_UPDATE)}`,
      ),
      sql`insert into ${contactListMembers} (list_id, external_id, added_at)
        select ${task.listId}, value, ${now} from json_each(${ids}) where true on conflict do nothing`,
    );
  }
  for (const part of chunkByJsonSize(rejectRows, rejectRows.length)) {
    writes.push(
      sql`insert into ${importRejects} (task_id, row_no, status, reason, hint, email, first_name, last_name, name, phone, company)
        select ${task.id}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9
        from json_each(${JSON.stringify(part)}) where true on conflict do nothing`,
    );
  }
  return [ledger, ...writes, counters].map((q) => bind(d1, q));
}

async function ledgerHas(db: Db, taskId: string, batchNo: number): Promise<boolean> {
  const row = await db
    .select({ n: importBatches.batchNo })
    .from(importBatches)
    .where(and(eq(importBatches.taskId, taskId), eq(importBatches.batchNo, batchNo)))
    .get();
  return row !== undefined;
}

/** Why a batch need not (or must not) be applied, if so. */
async function skipReason(db: Db, taskId: string, batchNo: number): Promise<Exclude<ApplyOutcome, "applied"> | null> {
  const task = await loadTask(db, taskId);
  if (!task || task.status !== "running") return "inactive";
  if (await ledgerHas(db, taskId, batchNo)) return "duplicate";
  return null;
}

export type ApplyMode =
  /** Validate the rows and write their verdicts. */
  | "validate"
  /** The batch exhausted its retries: every row is an error (reason dead_lettered), rows kept for rejects.csv. */
  | "dead_letter"
  /** Dead-lettering failed too: the same, with nothing but the row numbers (the least that can fail). */
  | "dead_letter_bare";

/**
 * Validates and applies `msg`. The dead-letter modes count every row as an error instead, so the
 * rows stay accounted for and the task can complete. `budget` (this invocation's) is spent on D1
 * statements and DNS lookups; BudgetExhausted means "hand the batch over", nothing was written.
 */
export async function applyBatch(
  env: Env,
  db: Db,
  msg: ImportBatchMessage,
  now: () => number,
  mode: ApplyMode | boolean = "validate",
  budget?: InvocationBudget,
): Promise<ApplyOutcome> {
  const how: ApplyMode = mode === true ? "dead_letter" : mode === false ? "validate" : mode;
  budget?.take("d1", 2);
  const skip = await skipReason(db, msg.task_id, msg.batch_no);
  if (skip) return skip;
  budget?.take("d1");
  const task = await loadTask(db, msg.task_id);
  if (!task) return "inactive";
  let rows: Classified[];
  if (how === "dead_letter") rows = allErrors(msg.rows, "dead_lettered");
  else if (how === "dead_letter_bare") rows = allErrors(msg.rows.map((r) => [r[0], "", "", "", "", "", "", 0]), "dead_lettered");
  else {
    const limits = importLimits(env);
    const { checks, domains } = precheck(msg.rows, task.mode);
    const resolver = dohResolver(limits.dohUrl, limits.dohTimeoutMs);
    const answers = await resolveDomains(db, resolver, domains, limits.dohConcurrency, now(), budget);
    rows = classify(msg.rows, checks, answers);
  }
  const statements = buildStatements(env.DB, db, task, msg.batch_no, rows, now());
  budget?.take("d1", statements.length);
  try {
    await env.DB.batch(statements);
    return "applied";
  } catch (err) {
    // The ledger's key or CHECK refused it (a copy won the race, or a cancel did): nothing landed.
    const again = await skipReason(db, msg.task_id, msg.batch_no);
    if (again) return again;
    throw err;
  }
}
