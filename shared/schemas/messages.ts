// Queue message bodies, shared by producer and consumer. One message is one unit of work.
import { z } from "zod";
import { SYNC_KINDS } from "../db/schema";

/** "Drive this run on from its checkpoint for one time slice." */
export const syncRunMessageSchema = z.object({
  type: z.literal("sync.run"),
  run_id: z.string(),
  location_id: z.string(),
  kind: z.enum(SYNC_KINDS),
});
export type SyncRunMessage = z.infer<typeof syncRunMessageSchema>;

/** "Fetch the tasks and notes of these contacts" (providers without a bulk endpoint). */
export const syncRelatedMessageSchema = z.object({
  type: z.literal("sync.related"),
  run_id: z.string(),
  location_id: z.string(),
  contact_ids: z.array(z.string()).min(1).max(100),
});
export type SyncRelatedMessage = z.infer<typeof syncRelatedMessageSchema>;

export const syncMessageSchema = z.discriminatedUnion("type", [syncRunMessageSchema, syncRelatedMessageSchema]);
export type SyncMessage = z.infer<typeof syncMessageSchema>;
