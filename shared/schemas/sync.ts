// Sync run shapes as the API shows them.
import { z } from "zod";
import { SYNC_KINDS, SYNC_STATUSES } from "../db/schema";

export const syncRunViewSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  kind: z.enum(SYNC_KINDS),
  mode: z.enum(["full", "incremental"]),
  status: z.enum(SYNC_STATUSES),
  trigger: z.string(),
  pages_done: z.number().int(),
  entities_seen: z.number().int(),
  requests: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type SyncRunView = z.infer<typeof syncRunViewSchema>;
