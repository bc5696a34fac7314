// Contact lists and CSV imports (docs/imports.md). Everything is location-scoped: a list or task
// of a location the token does not cover is not found, never shown. Reading needs `read`; changing
// lists and importing need `import`; cancelling or resuming someone else's task needs `admin`.
import type { Context } from "hono";
import { z } from "zod";
import type { ImportMode, ImportTaskRow } from "../../shared/db/imports";
import { hasScope } from "../../shared/schemas/scopes";
import {
  importStartedSchema,
  listCreateSchema,
  listDeletedSchema,
  listPatchSchema,
  listResponseSchema,
  listTasksResponseSchema,
  listsResponseSchema,
  locationQuerySchema,
  taskResponseSchema,
  tasksResponseSchema,
} from "../../shared/schemas/imports";
import { resolveLocation } from "../auth/locations";
import type { AppEnv } from "../env";
import { access } from "../http/access";
import { AppError } from "../http/errors";
import { docs, type RouteDocs } from "../http/openapi";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { importLimits } from "../imports/limits";
import { createList, deleteList, listLists, patchList, requireList, toListView } from "../imports/lists";
import { checkImportQuotas } from "../imports/quotas";
import { rejectsStream } from "../imports/rejects";
import { cancelTask, requireTask, resumeTask, tasksOfList, tasksOfLocations, toTaskView } from "../imports/tasks";
import { startImport } from "../imports/upload";
import { openUpload } from "../imports/upload-body";

const idParam = z.object({ id: z.string().min(1).max(128) });

/** Both uploads: the body is the CSV file itself (text/csv or multipart/form-data), streamed to storage. */
const UPLOAD_DOCS: RouteDocs = {
  summary: "",
  description: "The file is checked while it streams to storage; its rows are processed in the background: follow the task.",
  body: { description: "The CSV file: a raw `text/csv` body, or `multipart/form-data` with a `file` field.", contentTypes: ["text/csv", "multipart/form-data"] },
  tag: "Imports",
  ok: { 202: importStartedSchema },
  errors: [
    ...(["list_not_found", "too_many_imports", "import_rows_quota_exceeded", "contacts_quota_exceeded"] as const),
    ...(["empty_file", "file_too_large", "not_csv", "undecodable_text", "too_many_rows", "too_many_columns", "no_email_column"] as const),
    ...(["unsupported_media_type", "invalid_body"] as const),
  ],
};

/** Locations a by-id lookup may search: the named one, or every location of the token. */
function scope(c: Context<AppEnv>, requested: string | undefined): string[] {
  return requested === undefined ? c.var.auth.loc : [resolveLocation(c.var.auth, requested)];
}

function listIn(c: Context<AppEnv>, requested: string | undefined, id: string) {
  return requireList(c.var.db, scope(c, requested), id);
}

/** One's own task, or anyone's with `admin`. */
function mayChange(c: Context<AppEnv>, task: ImportTaskRow): void {
  if (task.createdBy === c.var.auth.sub || hasScope(c.var.auth.scope, "admin")) return;
  throw new AppError("insufficient_scope", "This import task was started by someone else: changing it needs the 'admin' scope.");
}

async function upload(c: Context<AppEnv>, mode: ImportMode, listId: string, requested: string | undefined) {
  const list = await listIn(c, requested, listId);
  const config = c.var.config;
  const now = Date.now();
  // What is known before reading the file (imports in flight, today's rows so far).
  await checkImportQuotas(c.var.db, config, list.locationId, 0, now);
  const limits = importLimits(c.env);
  const body = openUpload(c.req.raw, limits.maxBytes);
  const taskId = await startImport(c.env, c.var.db, body, {
    locationId: list.locationId,
    listId: list.id,
    mode,
    limits,
    quotas: config,
    createdBy: c.var.auth.sub,
    now,
  });
  return c.json({ success: true as const, task_id: taskId, status: "queued" as const }, 202);
}

export const importRoutes = createRouter()
  .get("/contactlists", access.token("read"), docs({ summary: "The location's contact lists", tag: "Imports", ok: { 200: listsResponseSchema } }), validate("query", locationQuerySchema), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("query").location_id);
    const rows = await listLists(c.var.db, locationId);
    return c.json({ success: true as const, location_id: locationId, lists: rows.map(toListView) }, 200);
  })
  .post("/contactlists", access.token("import"), docs({ summary: "Create a contact list", tag: "Imports", ok: { 201: listResponseSchema } }), validate("query", locationQuerySchema), validate("json", listCreateSchema), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("query").location_id);
    const row = await createList(c.var.db, locationId, c.req.valid("json"), Date.now());
    return c.json({ success: true as const, list: toListView(row) }, 201);
  })
  // Before /contactlists/:id, which would otherwise take "import-tasks" for a list id.
  .get("/contactlists/import-tasks", access.token("read"), docs({ summary: "Import tasks of the location (or of every location of the token)", tag: "Imports", ok: { 200: tasksResponseSchema } }), validate("query", locationQuerySchema), async (c) => {
    const locations = scope(c, c.req.valid("query").location_id);
    const rows = await tasksOfLocations(c.var.db, locations);
    const now = Date.now();
    return c.json({ success: true as const, tasks: rows.map((r) => toTaskView(r, now)) }, 200);
  })
  .get("/contactlists/:id", access.token("read"), docs({ summary: "One contact list", tag: "Imports", ok: { 200: listResponseSchema }, errors: ["list_not_found"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    return c.json({ success: true as const, list: toListView(list) }, 200);
  })
  .patch(
    "/contactlists/:id",
    access.token("import"),
    docs({ summary: "Rename a contact list or change its description", tag: "Imports", ok: { 200: listResponseSchema }, errors: ["list_not_found"] }),
    validate("param", idParam),
    validate("query", locationQuerySchema),
    validate("json", listPatchSchema),
    async (c) => {
      const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
      const row = await patchList(c.var.db, list.locationId, list.id, c.req.valid("json"), Date.now());
      return c.json({ success: true as const, list: toListView(row) }, 200);
    },
  )
  .delete("/contactlists/:id", access.token("import"), docs({ summary: "Delete a contact list and its imports", tag: "Imports", ok: { 200: listDeletedSchema }, errors: ["list_not_found"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    await deleteList(c.var.db, c.env.UPLOADS, list.locationId, list.id, Date.now());
    return c.json({ success: true as const, deleted: list.id }, 200);
  })
  .post("/contactlists/:id/import", access.token("import"), docs({ ...UPLOAD_DOCS, summary: "Upload a CSV: every row validated (syntax, blacklist, MX, duplicates)" }), validate("param", idParam), validate("query", locationQuerySchema), async (c) =>
    upload(c, "validated", c.req.valid("param").id, c.req.valid("query").location_id),
  )
  .post("/contactlists/:id/import-fast", access.token("import"), docs({ ...UPLOAD_DOCS, summary: "Upload a CSV: syntax and duplicates only" }), validate("param", idParam), validate("query", locationQuerySchema), async (c) =>
    upload(c, "fast", c.req.valid("param").id, c.req.valid("query").location_id),
  )
  .get("/contactlists/:id/import-status", access.token("read"), docs({ summary: "Import tasks of a list", tag: "Imports", ok: { 200: listTasksResponseSchema }, errors: ["list_not_found"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    const rows = await tasksOfList(c.var.db, list.id);
    const now = Date.now();
    return c.json({ success: true as const, list_id: list.id, tasks: rows.map((r) => toTaskView(r, now)) }, 200);
  })
  .get("/import-tasks/:id", access.token("read"), docs({ summary: "One import task and its progress", tag: "Imports", ok: { 200: taskResponseSchema }, errors: ["import_task_not_found"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    return c.json({ success: true as const, task: toTaskView(task, Date.now()) }, 200);
  })
  .post("/import-tasks/:id/cancel", access.token("import"), docs({ summary: "Cancel a queued or running import", tag: "Imports", ok: { 200: taskResponseSchema }, errors: ["import_task_not_found", "import_task_not_cancellable"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    mayChange(c, task);
    const now = Date.now();
    const row = await cancelTask(c.var.db, task, now);
    return c.json({ success: true as const, task: toTaskView(row, now) }, 200);
  })
  .post("/import-tasks/:id/resume", access.token("import"), docs({ summary: "Resume a failed or cancelled import where it stopped", tag: "Imports", ok: { 202: taskResponseSchema }, errors: ["import_task_not_found", "import_task_not_resumable"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    mayChange(c, task);
    const now = Date.now();
    const row = await resumeTask(c.var.db, c.env.IMPORT_QUEUE, task, now);
    return c.json({ success: true as const, task: toTaskView(row, now) }, 202);
  })
  .get("/import-tasks/:id/rejects.csv", access.token("read"), docs({ summary: "The rejected rows of an import, as CSV with the reason of each", tag: "Imports", ok: { 200: { description: "The rejected rows.", contentType: "text/csv" } }, errors: ["import_task_not_found"] }), validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    return c.body(rejectsStream(c.var.db, task.id), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${task.id}-rejects.csv"`,
      "cache-control": "private, no-store",
    });
  });
