// Tables of inbound webhooks: the dedupe store of deliveries already taken, and the count of
// deliveries for upstream accounts no location of ours is bound to.
// Times are integer epoch milliseconds, as in schema.ts.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PROVIDERS } from "./schema";

/**
 * One row per delivery taken (GoHighLevel's `webhookId`; for AmoCRM a digest of the body): a
 * delivery seen again has no second effect. Retention purges rows past WEBHOOK_DEDUPE_TTL_SECONDS
 * (longer than the age a delivery may have, so a replay is refused as stale or as a duplicate).
 */
export const webhookReceipts = sqliteTable(
  "webhook_receipts",
  {
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    webhookId: text("webhook_id").notNull(),
    locationId: text("location_id"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.webhookId] }), index("webhook_receipts_by_time").on(t.receivedAt)],
);

/** Deliveries acknowledged for upstream accounts we have no location for (not retried, counted). */
export const webhookUnmatched = sqliteTable(
  "webhook_unmatched",
  {
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    accountId: text("account_id").notNull(),
    count: integer("count").notNull().default(0),
    lastAt: integer("last_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.accountId] })],
);
