// Contact lists and CSV imports (docs/imports.md). Everything is location-scoped: a list or task
// of a location the token does not cover is not found, never shown.
import type { Context } from "hono";
import { z } from "zod";
import type { ImportMode } from "../../shared/db/imports";
import { listCreateSchema, listPatchSchema, locationQuerySchema } from "../../shared/schemas/imports";
import { resolveLocation } from "../auth/middleware";
import type { AppEnv } from "../env";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { importLimits } from "../imports/limits";
import { createList, deleteList, listLists, patchList, requireList, toListView } from "../imports/lists";
import { rejectsStream } from "../imports/rejects";
import { cancelTask, requireTask, resumeTask, tasksOfList, tasksOfLocations, toTaskView } from "../imports/tasks";
import { startImport } from "../imports/upload";
import { openUpload } from "../imports/upload-body";

const idParam = z.object({ id: z.string().min(1).max(128) });

/** Locations a by-id lookup may search: the named one, or every location of the token. */
function scope(c: Context<AppEnv>, requested: string | undefined): string[] {
  return requested === undefined ? c.var.auth.loc : [resolveLocation(c.var.auth, requested)];
}

function listIn(c: Context<AppEnv>, requested: string | undefined, id: string) {
  return requireList(c.var.db, scope(c, requested), id);
}

async function upload(c: Context<AppEnv>, mode: ImportMode, listId: string, requested: string | undefined) {
  const list = await listIn(c, requested, listId);
  const limits = importLimits(c.env);
  const body = openUpload(c.req.raw, limits.maxBytes);
  const taskId = await startImport(c.env, c.var.db, body, { locationId: list.locationId, listId: list.id, mode, limits, now: Date.now() });
  return c.json({ success: true as const, task_id: taskId, status: "queued" as const }, 202);
}

export const importRoutes = createRouter()
  .get("/contactlists", validate("query", locationQuerySchema), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("query").location_id);
    const rows = await listLists(c.var.db, locationId);
    return c.json({ success: true as const, location_id: locationId, lists: rows.map(toListView) }, 200);
  })
  .post("/contactlists", validate("query", locationQuerySchema), validate("json", listCreateSchema), async (c) => {
    const locationId = resolveLocation(c.var.auth, c.req.valid("query").location_id);
    const row = await createList(c.var.db, locationId, c.req.valid("json"), Date.now());
    return c.json({ success: true as const, list: toListView(row) }, 201);
  })
  // Before /contactlists/:id, which would otherwise take "import-tasks" for a list id.
  .get("/contactlists/import-tasks", validate("query", locationQuerySchema), async (c) => {
    const locations = scope(c, c.req.valid("query").location_id);
    const rows = await tasksOfLocations(c.var.db, locations);
    const now = Date.now();
    return c.json({ success: true as const, tasks: rows.map((r) => toTaskView(r, now)) }, 200);
  })
  .get("/contactlists/:id", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    return c.json({ success: true as const, list: toListView(list) }, 200);
  })
  .patch("/contactlists/:id", validate("param", idParam), validate("query", locationQuerySchema), validate("json", listPatchSchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    const row = await patchList(c.var.db, list.locationId, list.id, c.req.valid("json"), Date.now());
    return c.json({ success: true as const, list: toListView(row) }, 200);
  })
  .delete("/contactlists/:id", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    await deleteList(c.var.db, c.env.UPLOADS, list.locationId, list.id, Date.now());
    return c.json({ success: true as const, deleted: list.id }, 200);
  })
  .post("/contactlists/:id/import", validate("param", idParam), validate("query", locationQuerySchema), async (c) =>
    upload(c, "validated", c.req.valid("param").id, c.req.valid("query").location_id),
  )
  .post("/contactlists/:id/import-fast", validate("param", idParam), validate("query", locationQuerySchema), async (c) =>
    upload(c, "fast", c.req.valid("param").id, c.req.valid("query").location_id),
  )
  .get("/contactlists/:id/import-status", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const list = await listIn(c, c.req.valid("query").location_id, c.req.valid("param").id);
    const rows = await tasksOfList(c.var.db, list.id);
    const now = Date.now();
    return c.json({ success: true as const, list_id: list.id, tasks: rows.map((r) => toTaskView(r, now)) }, 200);
  })
  .get("/import-tasks/:id", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    return c.json({ success: true as const, task: toTaskView(task, Date.now()) }, 200);
  })
  .post("/import-tasks/:id/cancel", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    const now = Date.now();
    const row = await cancelTask(c.var.db, task, now);
    return c.json({ success: true as const, task: toTaskView(row, now) }, 200);
  })
  .post("/import-tasks/:id/resume", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    const now = Date.now();
    const row = await resumeTask(c.var.db, c.env.IMPORT_QUEUE, task, now);
    return c.json({ success: true as const, task: toTaskView(row, now) }, 202);
  })
  .get("/import-tasks/:id/rejects.csv", validate("param", idParam), validate("query", locationQuerySchema), async (c) => {
    const task = await requireTask(c.var.db, scope(c, c.req.valid("query").location_id), c.req.valid("param").id);
    return c.body(rejectsStream(c.var.db, task.id), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${task.id}-rejects.csv"`,
      "cache-control": "private, no-store",
    });
  });
