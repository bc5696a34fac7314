// IMPORT_QUEUE message bodies, shared by producer (upload, resume, split) and consumer.
import { z } from "zod";

/** Read the original from R2 and enqueue its unapplied batches (generation = the task's split generation). */
export const importSplitMessageSchema = z.object({
  type: z.literal("import.split"),
  task_id: z.string(),
  generation: z.number().int().min(0),
});
export type ImportSplitMessage = z.infer<typeof importSplitMessageSchema>;

/**
 * One row as the split read it: [row_no, email, first_name, last_name, name, phone, company, dup].
 * `dup` is 1 when an earlier row of the file, or a live contact of the location, has the address.
 */
export const importRowSchema = z.tuple([
  z.number().int().min(1),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.union([z.literal(0), z.literal(1)]),
]);
export type ImportRow = z.infer<typeof importRowSchema>;

/** Rows [first, …] of the file as batch `batch_no`; the same batch_no always holds the same rows. */
export const importBatchMessageSchema = z.object({
  type: z.literal("import.batch"),
  task_id: z.string(),
  batch_no: z.number().int().min(0),
  rows: z.array(importRowSchema).min(1),
});
export type ImportBatchMessage = z.infer<typeof importBatchMessageSchema>;

export const importMessageSchema = z.discriminatedUnion("type", [importSplitMessageSchema, importBatchMessageSchema]);
