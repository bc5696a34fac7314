// Applies one message of webhook hints to a location's cache: whole records are upserted, the
// rest re-fetched by id in one batched pass through the account's bucket, deletes become
// tombstones at their event time. Everything lands in one D1 batch with the counters and the
// data version (worker/db/webhook-contacts.ts says why duplicates and reordering converge).
import type { ContactHint, WebhookHintsMessage } from "../../shared/schemas/webhooks";
import { toContactRow } from "../contacts/rows";
import { bindStatement } from "../db/d1-bind";
import { getLocation } from "../db/location-queries";
import { markWebhooksFlowing } from "../db/webhook-receipts";
import { hintDeletes, hintUpserts } from "../db/webhook-contacts";
import { RequestMeter } from "../providers/meter";
import type { ContactRecord } from "../providers/types";
import { type SyncDeps, upstreamContext, upstreamFor } from "../sync/driver";

export type ApplyResult = { upserted: number; refetched: number; fetched: number; deleted: number; requests: number; skipped?: "unknown_location" };

const RANK: Record<ContactHint["action"], number> = { refetch: 0, upsert: 1, delete: 2 };

/** One hint per contact: the latest event; at the same time a delete wins, then a whole record. */
export function collapseHints(hints: readonly ContactHint[]): ContactHint[] {
  const byId = new Map<string, ContactHint>();
  for (const h of hints) {
    const prior = byId.get(h.contact_id);
    if (!prior || h.at > prior.at || (h.at === prior.at && RANK[h.action] > RANK[prior.action])) byId.set(h.contact_id, h);
  }
  return [...byId.values()];
}

/** Upstream's copy of the contacts the hints did not carry whole (one batched pass). */
async function refetch(deps: SyncDeps, locationId: string, ids: string[]): Promise<{ records: ContactRecord[]; requests: number }> {
  if (ids.length === 0) return { records: [], requests: 0 };
  const upstream = await upstreamFor(deps, locationId);
  const meter = new RequestMeter();
  const records = await upstream.source.contactsById(upstreamContext(deps, upstream, meter), ids);
  const wanted = new Set(ids);
  return { records: records.filter((r) => wanted.has(r.externalId)), requests: meter.requests };
}

export async function applyHints(deps: SyncDeps, msg: WebhookHintsMessage): Promise<ApplyResult> {
  const locationId = msg.location_id;
  const location = await getLocation(deps.db, locationId);
  if (!location) return { upserted: 0, refetched: 0, fetched: 0, deleted: 0, requests: 0, skipped: "unknown_location" };
  const hints = collapseHints(msg.hints);
  const deletes = hints.filter((h) => h.action === "delete").map((h) => ({ id: h.contact_id, at: h.at }));
  const whole = hints.flatMap((h) => (h.action === "upsert" ? [{ record: h.record as ContactRecord, seen: h.at }] : []));
  const refetchIds = hints.filter((h) => h.action === "refetch").map((h) => h.contact_id);

  const fetched = await refetch(deps, locationId, refetchIds);
  const now = deps.now();
  // A fetched record existed when it was fetched: that, not the hint's time, is what a tombstone must beat.
  const upserts = [...whole, ...fetched.records.map((record) => ({ record, seen: now }))].map(({ record, seen }) => ({
    row: toContactRow(locationId, record, now) as Record<string, unknown>,
    seen,
  }));
  const statements = [
    ...hintDeletes(deps.db, locationId, deletes, now),
    ...hintUpserts(deps.db, locationId, upserts, now),
    markWebhooksFlowing(deps.db, locationId, msg.received_at),
  ];
  await deps.env.DB.batch(statements.map((q) => bindStatement(deps.env.DB, q)));
  return {
    upserted: whole.length,
    refetched: refetchIds.length,
    fetched: fetched.records.length,
    deleted: deletes.length,
    requests: fetched.requests,
  };
}
