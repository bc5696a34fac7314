// Inbound webhook hints on their way from the route to the queue consumer (one message, one location).
import { z } from "zod";
import { PROVIDERS } from "../db/schema";

/** A contact as the providers map it (worker/providers/types.ts ContactRecord), carried whole. */
export const hintRecordSchema = z.object({
  externalId: z.string().min(1),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  companyName: z.string().nullable(),
  tags: z.array(z.string()),
  source: z.string().nullable(),
  dateAdded: z.number(),
  dateUpdated: z.number(),
  customFields: z.array(z.object({ id: z.string(), value: z.unknown() })),
});

/**
 * `upsert`: the delivery carried the whole contact (`record`). `refetch`: it named the contact but
 * not all of it, so the consumer asks upstream by id. `delete`: a tombstone at `at`.
 * `at`: the event's time (epoch ms), which orders hints about the same contact.
 */
export const contactHintSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("upsert"), contact_id: z.string().min(1), at: z.number(), record: hintRecordSchema }),
  z.object({ action: z.literal("refetch"), contact_id: z.string().min(1), at: z.number() }),
  z.object({ action: z.literal("delete"), contact_id: z.string().min(1), at: z.number() }),
]);
export type ContactHint = z.infer<typeof contactHintSchema>;

/** Hints per message at most (an AmoCRM delivery may carry many). */
export const MAX_HINTS_PER_MESSAGE = 250;

export const webhookHintsMessageSchema = z.object({
  type: z.literal("webhook.hints"),
  provider: z.enum(PROVIDERS),
  location_id: z.string(),
  /** When the delivery was taken (epoch ms): the consumer marks the location's webhooks as flowing. */
  received_at: z.number(),
  hints: z.array(contactHintSchema).min(1).max(MAX_HINTS_PER_MESSAGE),
});
export type WebhookHintsMessage = z.infer<typeof webhookHintsMessageSchema>;

/** POST /api/admin/locations/:id/webhook: the AmoCRM webhook URL, its secret shown only here. */
export const webhookUrlResponseSchema = z.object({ success: z.literal(true), webhook_url: z.string().url() });
export const successResponseSchema = z.object({ success: z.literal(true) });

/** What an upstream webhook delivery was answered: queued, a duplicate, or taken and dropped with its reason. */
export const webhookAckSchema = z.object({
  success: z.literal(true),
  status: z.enum(["queued", "duplicate", "ignored", "unknown_location"]),
  reason: z.string().optional(),
  hints: z.number().int().optional(),
  ignored: z.number().int().optional(),
});
