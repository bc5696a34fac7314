// Contact list and import API shapes, shared by the worker (validation, serialisation) and the
// widget (typed reads). Contract documented in docs/imports.md.
import { z } from "zod";
import { IMPORT_MODES, IMPORT_STATUSES } from "../db/imports";

export const listCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();
export type ListCreate = z.infer<typeof listCreateSchema>;

export const listPatchSchema = listCreateSchema.partial();
export type ListPatch = z.infer<typeof listPatchSchema>;

/** Query of every import route: which location the caller acts on (optional with one-location tokens). */
export const locationQuerySchema = z.object({ location_id: z.string().min(1).max(128).optional() });

export const contactListViewSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  contact_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ContactListView = z.infer<typeof contactListViewSchema>;

export const importTaskViewSchema = z.object({
  task_id: z.string(),
  list_id: z.string(),
  location_id: z.string(),
  mode: z.enum(IMPORT_MODES),
  status: z.enum(IMPORT_STATUSES),
  file_name: z.string().nullable(),
  byte_size: z.number().int(),
  encoding: z.string(),
  delimiter: z.string(),
  /** Exact once the file is split; before that, the physical line count (an upper bound). */
  total: z.number().int(),
  total_exact: z.boolean(),
  processed: z.number().int(),
  progress_percentage: z.number(),
  counts: z.object({
    valid: z.number().int(),
    invalid: z.number().int(),
    blacklist: z.number().int(),
    duplicate: z.number().int(),
    error: z.number().int(),
  }),
  blank_rows: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  rows_per_second: z.number().nullable(),
});
export type ImportTaskView = z.infer<typeof importTaskViewSchema>;

export const importAcceptedSchema = z.object({ task_id: z.string(), status: z.literal("queued") });

// Responses of the list and import routes (the OpenAPI document and the worker tests check them).
export const listResponseSchema = z.object({ success: z.literal(true), list: contactListViewSchema });
export const listsResponseSchema = z.object({ success: z.literal(true), location_id: z.string(), lists: z.array(contactListViewSchema) });
export const listDeletedSchema = z.object({ success: z.literal(true), deleted: z.string() });
export const importStartedSchema = importAcceptedSchema.extend({ success: z.literal(true) });
export const taskResponseSchema = z.object({ success: z.literal(true), task: importTaskViewSchema });
export const tasksResponseSchema = z.object({ success: z.literal(true), tasks: z.array(importTaskViewSchema) });
export const listTasksResponseSchema = tasksResponseSchema.extend({ list_id: z.string() });
