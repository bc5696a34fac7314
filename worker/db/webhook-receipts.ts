// Inbound webhooks' bookkeeping: the dedupe store (a delivery taken once has no second effect),
// deliveries for accounts we have no location for, and when a location last heard from upstream.
import { and, eq, lt, sql } from "drizzle-orm";
import { type Provider, locations } from "../../shared/db/schema";
import { webhookReceipts, webhookUnmatched } from "../../shared/db/webhooks";
import type { Db } from "../env";

/** Records the delivery; false when it was already taken (a duplicate or a replay). */
export async function takeDelivery(db: Db, provider: Provider, webhookId: string, locationId: string | null, now: number): Promise<boolean> {
  const rows = await db
    .insert(webhookReceipts)
    .values({ provider, webhookId, locationId, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: webhookReceipts.webhookId });
  return rows.length === 1;
}

/** Undoes takeDelivery when the delivery could not be queued, so the sender's retry is taken. */
export async function forgetDelivery(db: Db, provider: Provider, webhookId: string): Promise<void> {
  await db.delete(webhookReceipts).where(and(eq(webhookReceipts.provider, provider), eq(webhookReceipts.webhookId, webhookId)));
}

/** Counts a delivery for an upstream account no location is bound to (acknowledged, not retried). */
export async function countUnmatched(db: Db, provider: Provider, accountId: string, now: number): Promise<void> {
  await db
    .insert(webhookUnmatched)
    .values({ provider, accountId: accountId.slice(0, 200), count: 1, lastAt: now })
    .onConflictDoUpdate({
      target: [webhookUnmatched.provider, webhookUnmatched.accountId],
      set: { count: sql`${webhookUnmatched.count} + 1`, lastAt: now },
    });
}

export async function unmatchedCount(db: Db, provider: Provider, accountId: string): Promise<number> {
  const [row] = await db
    .select({ count: webhookUnmatched.count })
    .from(webhookUnmatched)
    .where(and(eq(webhookUnmatched.provider, provider), eq(webhookUnmatched.accountId, accountId)));
  return row?.count ?? 0;
}

/** The location's webhooks flow: its periodic sync may run on the longer TTL. */
export function markWebhooksFlowing(db: Db, locationId: string, at: number) {
  return db
    .update(locations)
    .set({ webhooksAt: sql`max(coalesce(${locations.webhooksAt}, 0), ${at})` })
    .where(eq(locations.id, locationId));
}

/** Receipts past their TTL, at most `limit` per statement; returns how many went. */
export async function purgeReceipts(db: Db, before: number, limit: number): Promise<number> {
  const gone = await db
    .delete(webhookReceipts)
    .where(
      sql`rowid in (select rowid from ${webhookReceipts} where ${lt(webhookReceipts.receivedAt, before)} limit ${limit})`,
    )
    .returning({ id: webhookReceipts.webhookId });
  return gone.length;
}
