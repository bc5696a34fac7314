// An AmoCRM account webhook delivery (application/x-www-form-urlencoded, PHP-style keys such as
// `contacts[update][0][id]`) read into hints. Pure: no I/O.
//
// Contact add / update / restore / responsible-change events become re-fetch hints: the payload
// uses AmoCRM's legacy field names and formats, so the record is read again by id through the v4
// API (`filter[id][]`, batched) rather than mapped from the hook. Deletes become tombstones.
// Companies, tasks, notes and leads are acknowledged and left to the periodic sync.
import type { ContactHint } from "../../shared/schemas/webhooks";

export type AmoDelivery =
  | { kind: "invalid"; message: string }
  | { kind: "event"; subdomain: string | null; accountId: string | null; hints: ContactHint[]; ignored: number };

const KEY = /^([a-z_]+)\[([a-z_]+)\]\[(\d+)\]\[([a-z_]+)\]/;
const REFETCH_ACTIONS = new Set(["add", "update", "restore", "responsible"]);
/** Entries read at most (a delivery carries at most a few hundred records). */
const MAX_ENTRIES = 500;

function timeOf(fields: Map<string, string>, fallback: number): number {
  for (const key of ["updated_at", "last_modified", "date_modify"]) {
    const n = Number(fields.get(key));
    if (Number.isFinite(n) && n > 0) return n < 1e12 ? n * 1000 : n;
  }
  return fallback;
}

export function readAmoDelivery(raw: string, now: number): AmoDelivery {
  const form = new URLSearchParams(raw);
  const entries = new Map<string, { entity: string; action: string; fields: Map<string, string> }>();
  let subdomain: string | null = null;
  let accountId: string | null = null;
  for (const [key, value] of form) {
    if (key === "account[subdomain]") subdomain = value;
    else if (key === "account[id]") accountId = value;
    const m = KEY.exec(key);
    if (!m) continue;
    const [, entity, action, index, field] = m as unknown as [string, string, string, string, string];
    const id = `${entity}/${action}/${index}`;
    let entry = entries.get(id);
    if (!entry) {
      if (entries.size >= MAX_ENTRIES) return { kind: "invalid", message: `A delivery may carry at most ${MAX_ENTRIES} records.` };
      entry = { entity, action, fields: new Map() };
      entries.set(id, entry);
    }
    if (!entry.fields.has(field)) entry.fields.set(field, value);
  }
  if (entries.size === 0) return { kind: "invalid", message: "The body names no AmoCRM events (expected form fields like contacts[update][0][id])." };
  const hints: ContactHint[] = [];
  let ignored = 0;
  for (const { entity, action, fields } of entries.values()) {
    const id = fields.get("id");
    if (entity !== "contacts" || !id) {
      ignored++;
      continue;
    }
    if (!/^\d{1,20}$/.test(id)) return { kind: "invalid", message: `'${id.slice(0, 40)}' is not an AmoCRM contact id.` };
    const at = timeOf(fields, now);
    if (action === "delete") hints.push({ action: "delete", contact_id: id, at });
    else if (REFETCH_ACTIONS.has(action)) hints.push({ action: "refetch", contact_id: id, at });
    else ignored++;
  }
  return { kind: "event", subdomain, accountId, hints, ignored };
}
