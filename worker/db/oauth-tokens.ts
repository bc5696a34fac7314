// Where the token broker keeps what it owns: a location's sealed credentials (and the connection
// fields beside them), or an agency grant's. Only the broker (worker/tokens/) writes new tokens;
// installs (worker/oauth/) create the rows.
import { eq, sql } from "drizzle-orm";
import { type OAuthGrantRow, locations, oauthGrants } from "../../shared/db/schema";
import type { Db } from "../env";

/** Whose tokens: a location's own, or an agency grant's (GHL Company token). */
export type TokenOwner = { kind: "location" | "grant"; id: string };

/** The associated data a sealed credential is bound to (a grant's text never opens as a location's). */
export const sealId = (owner: TokenOwner) => (owner.kind === "location" ? owner.id : `grant:${owner.id}`);

export type OwnerRow = { provider: "ghl" | "amocrm"; accountId: string; baseUrl: string | null; grantId: string | null; settings: Record<string, unknown> } | null;

export type OwnerTokens = {
  sealed: string | null;
  /** The refresh was refused before: nothing to try until a new install or new credentials. */
  refused: string | null;
  /** Set for a location minted from an agency grant, and for a location's rate-limit key. */
  row: OwnerRow;
};

export async function loadOwnerTokens(db: Db, owner: TokenOwner): Promise<OwnerTokens | null> {
  if (owner.kind === "grant") {
    const [g] = await db.select().from(oauthGrants).where(eq(oauthGrants.id, owner.id));
    if (!g) return null;
    return { sealed: g.credentialsEnc, refused: g.state === "connected" ? null : (g.tokenError ?? g.state), row: null };
  }
  const [l] = await db.select().from(locations).where(eq(locations.id, owner.id));
  if (!l) return null;
  return {
    sealed: l.credentialsEnc,
    refused: l.parkedReason === "auth" ? (l.parkedDetail ?? "The upstream refused the credentials.") : null,
    row: { provider: l.provider, accountId: l.accountId, baseUrl: l.baseUrl, grantId: l.grantId, settings: l.settings },
  };
}

/** A renewed pair, stored before anyone is handed its token. */
export async function saveOwnerTokens(db: Db, owner: TokenOwner, sealed: string, expiresAt: number | null, now: number): Promise<void> {
  if (owner.kind === "grant") {
    await db
      .update(oauthGrants)
      .set({ credentialsEnc: sealed, tokenExpiresAt: expiresAt, tokenRefreshedAt: now, tokenError: null, updatedAt: now })
      .where(eq(oauthGrants.id, owner.id));
    return;
  }
  await db
    .update(locations)
    .set({ credentialsEnc: sealed, tokenExpiresAt: expiresAt, tokenRefreshedAt: now, tokenError: null, updatedAt: now })
    .where(eq(locations.id, owner.id));
}

/**
 * The upstream refused the refresh: the owner needs a reconnect. A location is parked (the cron
 * and the queue leave it alone); a grant takes every location minted from it down with it.
 */
export async function markNeedsReconnect(db: Db, owner: TokenOwner, message: string, now: number): Promise<void> {
  const detail = message.slice(0, 500);
  const park = { parkedReason: "auth" as const, parkedUntil: null, parkedDetail: detail, tokenError: detail, updatedAt: now };
  if (owner.kind === "location") {
    await db.update(locations).set({ tokenError: detail }).where(eq(locations.id, owner.id)); void park;
    return;
  }
  await db.batch([
    db.update(oauthGrants).set({ state: "needs_reconnect", tokenError: detail, updatedAt: now }).where(eq(oauthGrants.id, owner.id)),
    db.update(locations).set(park).where(sql`${locations.grantId} = ${owner.id} and ${locations.disabledAt} is null`),
  ]);
}

export async function getGrant(db: Db, id: string): Promise<OAuthGrantRow | undefined> {
  const [g] = await db.select().from(oauthGrants).where(eq(oauthGrants.id, id));
  return g;
}
