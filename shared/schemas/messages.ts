// Queue message bodies, shared by producer and consumer. One message is one unit of work.
import { z } from "zod";
import { SYNC_KINDS } from "../db/schema";

export const syncPageMessageSchema = z.object({
  type: z.literal("sync.page"),
  run_id: z.string(),
  location_id: z.string(),
  kind: z.enum(SYNC_KINDS),
  // The page this message applies (0-based); a message whose page is already applied is a redelivery.
  page: z.number().int().min(0),
});
export type SyncPageMessage = z.infer<typeof syncPageMessageSchema>;

export const queueMessageSchema = z.discriminatedUnion("type", [syncPageMessageSchema]);
export type QueueMessage = z.infer<typeof queueMessageSchema>;
