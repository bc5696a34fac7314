// Tables of the CSV import pipeline: contact lists, import tasks with their counters, the
// per-batch ledger that makes accounting exactly-once, the rejected rows, and the MX cache.
// Times are integer epoch milliseconds, as in schema.ts.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { locations } from "./schema";

export const IMPORT_MODES = ["validated", "fast"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const IMPORT_STATUSES = ["queued", "running", "completed", "cancelled", "failed"] as const;

/** The bucket every non-blank input row ends in. */
export const ROW_STATUSES = ["valid", "invalid", "blacklist", "duplicate", "error"] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** Which CSV column feeds which contact field (0-based indexes; email is required). */
export type ColumnMap = {
  email: number;
  firstName?: number;
  lastName?: number;
  name?: number;
  phone?: number;
  company?: number;
};

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const contactLists = sqliteTable(
  "contact_lists",
  {
    id: text("id").primaryKey(),
    locationId: text("location_id").notNull().references(() => locations.id),
    name: text("name").notNull(),
    description: text("description"),
    // Contacts linked to the list by its imports (valid rows), kept in step by the batch writer.
    contactCount: integer("contact_count").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    // Set by DELETE: the list is gone for the API at once; retention removes its rows and files
    // in bounded chunks and then the list row itself.
    deletedAt: integer("deleted_at"),
  },
  (t) => [
    index("contact_lists_by_location").on(t.locationId, t.createdAt),
    index("contact_lists_deleted").on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

export const contactListMembers = sqliteTable(
  "contact_list_members",
  {
    listId: text("list_id").notNull(),
    externalId: text("external_id").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.externalId] })],
);

export const importTasks = sqliteTable(
  "import_tasks",
  {
    id: text("id").primaryKey(),
    listId: text("list_id").notNull(),
    locationId: text("location_id").notNull().references(() => locations.id),
    mode: text("mode", { enum: IMPORT_MODES }).notNull(),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("queued"),
    // The token subject that started the task: only they (or an admin) may cancel or resume it.
    createdBy: text("created_by"),
    fileName: text("file_name"),
    r2Key: text("r2_key").notNull(),
    byteSize: integer("byte_size").notNull(),
    encoding: text("encoding").notNull(),
    delimiter: text("delimiter").notNull(),
    hasHeader: integer("has_header", { mode: "boolean" }).notNull(),
    columns: text("columns", { mode: "json" }).$type<ColumnMap>().notNull(),
    // Physical lines counted at upload (an upper bound); `total` is exact once the split has run.
    totalEstimate: integer("total_estimate").notNull(),
    total: integer("total"),
    processed: integer("processed").notNull().default(0),
    valid: integer("valid").notNull().default(0),
    invalid: integer("invalid").notNull().default(0),
    blacklist: integer("blacklist").notNull().default(0),
    duplicate: integer("duplicate").notNull().default(0),
    error: integer("error").notNull().default(0),
    blankRows: integer("blank_rows").notNull().default(0),
    // Split checkpoint: batches [0, batches_sent) of generation `split_generation` are on the queue,
    // and reading resumes at byte `split_offset` of the original (a record boundary) with
    // `split_record` records, `split_rows` non-blank rows and `split_blank` blank ones behind it.
    splitGeneration: integer("split_generation").notNull().default(0),
    batchesSent: integer("batches_sent").notNull().default(0),
    batchCount: integer("batch_count"),
    splitOffset: integer("split_offset").notNull().default(0),
    splitRecord: integer("split_record").notNull().default(0),
    splitRows: integer("split_rows").notNull().default(0),
    splitBlank: integer("split_blank").notNull().default(0),
    // The split driver's lease (owner: the queue message id): one invocation reads the file at a
    // time. A copy of the message finds it held and leaves; the holder's own redelivery takes it
    // back at once after a crash; anyone may take it once it expires.
    splitLeaseOwner: text("split_lease_owner"),
    splitLeaseUntil: integer("split_lease_until"),
    // The split wrote rows to import_dedupe_keys that retention has not removed yet.
    dedupeKeysPending: integer("dedupe_keys_pending", { mode: "boolean" }).notNull().default(false),
    // How often the watchdog revived this task after it stopped progressing.
    watchdogResumes: integer("watchdog_resumes").notNull().default(0),
    // Retention: when the R2 original and the rejects were removed.
    originalDeletedAt: integer("original_deleted_at"),
    rejectsDeletedAt: integer("rejects_deleted_at"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("import_tasks_by_list").on(t.listId, t.createdAt),
    index("import_tasks_by_location").on(t.locationId, t.createdAt),
    // Retention and the watchdog walk tasks by when they finished / last moved.
    index("import_tasks_by_finished").on(t.finishedAt),
    index("import_tasks_by_status").on(t.status, t.updatedAt),
  ],
);

/**
 * The split's dedupe memory, in D1 rather than in the isolate: the first row of the file that
 * holds each address (`key` as in validation/syntax.ts). Upserts keep the smallest row number, so
 * a retried or resumed split computes the same flags; a row is a duplicate when its key's
 * `first_row` is smaller than its own. Removed by retention once the split is done.
 */
export const importDedupeKeys = sqliteTable(
  "import_dedupe_keys",
  {
    taskId: text("task_id").notNull(),
    key: text("key").notNull(),
    firstRow: integer("first_row").notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.key] })],
);

/**
 * One row per applied batch, inserted in the same D1 batch (one transaction) as the counters and
 * the contacts. A second copy of a batch hits the primary key and the whole transaction rolls
 * back; `task_status` snapshots the task's status and the CHECK rolls back a batch that arrives
 * after a cancel. Together: a batch counts once, and never after a cancel.
 */
export const importBatches = sqliteTable(
  "import_batches",
  {
    taskId: text("task_id").notNull(),
    batchNo: integer("batch_no").notNull(),
    rows: integer("rows").notNull(),
    taskStatus: text("task_status").notNull(),
    appliedAt: integer("applied_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.batchNo] }), check("import_batches_task_running", sql`${t.taskStatus} = 'running'`)],
);

/** Every row that did not end valid, with its reason, for rejects.csv. */
export const importRejects = sqliteTable(
  "import_rejects",
  {
    taskId: text("task_id").notNull(),
    rowNo: integer("row_no").notNull(),
    status: text("status", { enum: ROW_STATUSES }).notNull(),
    reason: text("reason").notNull(),
    hint: text("hint"),
    email: text("email"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    name: text("name"),
    phone: text("phone"),
    company: text("company"),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.rowNo] })],
);

/** DNS answers shared by every isolate: what a domain's mail routing said, until expires_at. */
export const mxCache = sqliteTable(
  "mx_cache",
  {
    domain: text("domain").primaryKey(),
    answer: text("answer").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  // Retention removes expired answers.
  (t) => [index("mx_cache_by_expiry").on(t.expiresAt)],
);

export type ContactListRow = typeof contactLists.$inferSelect;
export type ImportTaskRow = typeof importTasks.$inferSelect;
export type ImportRejectRow = typeof importRejects.$inferSelect;
