// Contact API shapes shared by the worker (validation, serialisation) and the widget (typed reads).
import { z } from "zod";

export const CONTACT_SORTS = ["name", "date_added", "date_updated"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

/**
 * fresh: within SYNC_TTL_SECONDS; background: a sync is queued or running; stale: out of date and
 * this endpoint does not start syncs; error: the last sync failed and the retry backoff holds.
 */
export const SYNC_STATES = ["fresh", "background", "stale", "error"] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const TOTAL_KINDS = ["exact", "at_least"] as const;

/** Query of the three list endpoints. Unknown parameters are ignored; bad values are a 400. */
export const contactListQuerySchema = z.object({
  location_id: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(512).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(CONTACT_SORTS).default("date_added"),
  order: z.enum(["asc", "desc"]).optional(),
});
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;

/** A contact as the API returns it (GHL-compatible field names, the origin system's shape). */
export const contactSchema = z.object({
  id: z.string(),
  locationId: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  companyName: z.string().nullable(),
  tags: z.array(z.string()),
  source: z.string().nullable(),
  dateAdded: z.string(),
  dateUpdated: z.string(),
  customFields: z.array(z.object({ id: z.string(), value: z.unknown() })),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactListResponseSchema = z.object({
  success: z.literal(true),
  location_id: z.string(),
  contacts: z.array(contactSchema),
  total: z.number().int(),
  /**
   * exact: `total` is the number of matches (a location's count is kept by increments, a search
   * counted); at_least: a search matched more than `total`, where its count stops.
   */
  total_kind: z.enum(TOTAL_KINDS),
  next_cursor: z.string().nullable(),
  sync_status: z.enum(SYNC_STATES),
  last_synced_at: z.string().nullable(),
  message: z.string(),
});
export type ContactListResponse = z.infer<typeof contactListResponseSchema>;

export const relatedRecordSchema = z.record(z.string(), z.unknown());

export const contactDetailResponseSchema = z.object({
  success: z.literal(true),
  location_id: z.string(),
  contact: contactSchema,
  tasks: z.array(relatedRecordSchema),
  notes: z.array(relatedRecordSchema),
  conversations: z.array(relatedRecordSchema),
  opportunities: z.array(relatedRecordSchema),
  /** When tasks and notes were last fetched from upstream (null: never; they may be incomplete). */
  related_synced_at: z.string().nullable(),
});
export type ContactDetailResponse = z.infer<typeof contactDetailResponseSchema>;
