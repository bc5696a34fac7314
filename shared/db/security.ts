// Tables of the security layer: revoked tokens, and GoHighLevel users confirmed upstream (a short
// cache, so an SSO renewal does not spend an upstream request every time).
// Times are integer epoch milliseconds, as in schema.ts.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { locations } from "./schema";

export const REVOCATION_KINDS = ["jti", "subject"] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

/**
 * `jti`: that one token. `subject`: every token of that subject issued at or before revoked_at.
 * A row is useless once no token it covers can still be valid (expires_at): then it is purged.
 */
export const tokenRevocations = sqliteTable(
  "token_revocations",
  {
    kind: text("kind", { enum: REVOCATION_KINDS }).notNull(),
    value: text("value").notNull(),
    revokedAt: integer("revoked_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index("token_revocations_by_expiry").on(t.expiresAt)],
);

/** A GoHighLevel user confirmed upstream for a location: their role and type as the API said. */
export const ssoConfirmations = sqliteTable(
  "sso_confirmations",
  {
    locationId: text("location_id").notNull().references(() => locations.id),
    userId: text("user_id").notNull(),
    role: text("role").notNull(),
    type: text("type").notNull(),
    confirmedAt: integer("confirmed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.userId] })],
);
