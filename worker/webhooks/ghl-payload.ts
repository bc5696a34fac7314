// A verified GoHighLevel delivery read into what we do with it. Pure: no I/O.
//
// Contact events (ContactCreate, ContactUpdate, ContactDelete, ContactDndUpdate, ContactTagUpdate)
// become hints; every other event is acknowledged and left to the periodic sync. GoHighLevel's
// contact payloads carry the contact's fields but no `dateUpdated`: the event's `timestamp`
// stands in for it, so later events win over earlier ones. A payload without the contact's
// identity fields is not taken as whole: the consumer re-fetches that contact by id.
import type { ContactHint } from "../../shared/schemas/webhooks";
import { ghlContactSchema, mapGhlContact } from "../providers/ghl";

export const GHL_CONTACT_EVENTS = ["ContactCreate", "ContactUpdate", "ContactDelete", "ContactDndUpdate", "ContactTagUpdate"] as const;

export type GhlDelivery =
  | { kind: "invalid"; message: string }
  | { kind: "stale"; message: string }
  | {
      kind: "event";
      type: string;
      /** GoHighLevel's location id (our locations' account_id). */
      accountId: string;
      webhookId: string | null;
      timestamp: number;
      /** Null: an event we acknowledge and do not apply. */
      hint: ContactHint | null;
    };

/** Fields whose presence makes a Create/Update payload the whole contact (GoHighLevel omits empty ones). */
const WHOLE_WHEN = ["dateAdded"] as const;
const IDENTITY = ["firstName", "lastName", "name", "email", "phone"] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function timeOf(v: unknown): number | null {
  const t = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN;
  return Number.isFinite(t) ? t : null;
}

function hintFor(type: string, body: Record<string, unknown>, at: number): ContactHint | null | string {
  if (!(GHL_CONTACT_EVENTS as readonly string[]).includes(type)) return null;
  const id = typeof body.id === "string" && body.id ? body.id : typeof body.contactId === "string" && body.contactId ? body.contactId : null;
  if (!id) return `A ${type} event must name the contact (id).`;
  if (type === "ContactDelete") return { action: "delete", contact_id: id, at };
  const whole = WHOLE_WHEN.every((k) => k in body) && IDENTITY.some((k) => k in body);
  const parsed = ghlContactSchema.safeParse({ ...body, id, dateUpdated: typeof body.dateUpdated === "string" ? body.dateUpdated : new Date(at).toISOString() });
  if (!whole || !parsed.success) return { action: "refetch", contact_id: id, at };
  return { action: "upsert", contact_id: id, at, record: mapGhlContact(parsed.data) };
}

/** Reads the raw body (already verified) and checks its age against `now`. */
export function readGhlDelivery(raw: string, now: number, maxAgeMs: number): GhlDelivery {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { kind: "invalid", message: "The body is not JSON." };
  }
  if (!isObject(body)) return { kind: "invalid", message: "The body must be a JSON object." };
  const type = typeof body.type === "string" ? body.type : null;
  if (!type) return { kind: "invalid", message: "The delivery has no event type (type)." };
  const timestamp = timeOf(body.timestamp);
  if (timestamp === null) return { kind: "invalid", message: "The delivery has no valid timestamp." };
  if (Math.abs(now - timestamp) > maxAgeMs) {
    return { kind: "stale", message: `The delivery's timestamp is more than ${Math.round(maxAgeMs / 1000)} s from now: refused as a possible replay.` };
  }
  const webhookId = typeof body.webhookId === "string" && body.webhookId ? body.webhookId.slice(0, 200) : null;
  const accountId = typeof body.locationId === "string" && body.locationId ? body.locationId : null;
  const hint = hintFor(type, body, timestamp);
  if (typeof hint === "string") return { kind: "invalid", message: hint };
  if (hint && !accountId) return { kind: "invalid", message: "A contact event must name its location (locationId)." };
  return { kind: "event", type, accountId: accountId ?? "", webhookId, timestamp, hint };
}
