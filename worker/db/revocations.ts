// The token revocation list: one token by its id, or every token of a subject issued up to a time.
import { and, eq, gte, lt, or, sql } from "drizzle-orm";
import { type RevocationKind, tokenRevocations } from "../../shared/db/security";
import type { Db } from "../env";

/** Tokens never live longer than this (admin tokens are capped at 24 h): a subject row is useless after it. */
export const MAX_TOKEN_LIFETIME_MS = 24 * 3_600_000;

export async function revoke(
  db: Db,
  entry: { kind: RevocationKind; value: string; now: number; expiresAt: number; reason?: string | null },
): Promise<void> {
  await db
    .insert(tokenRevocations)
    .values({ kind: entry.kind, value: entry.value, revokedAt: entry.now, expiresAt: entry.expiresAt, reason: entry.reason ?? null })
    .onConflictDoUpdate({
      target: [tokenRevocations.kind, tokenRevocations.value],
      set: {
        revokedAt: sql`max(${tokenRevocations.revokedAt}, excluded.revoked_at)`,
        expiresAt: sql`max(${tokenRevocations.expiresAt}, excluded.expires_at)`,
        reason: sql`excluded.reason`,
      },
    });
}

/** Is this token on the list: its own id, or its subject revoked at or after it was issued? */
export async function isRevoked(db: Db, token: { jti: string; sub: string; issuedAtMs: number }): Promise<boolean> {
  const row = await db
    .select({ kind: tokenRevocations.kind })
    .from(tokenRevocations)
    .where(
      or(
        and(eq(tokenRevocations.kind, "jti"), eq(tokenRevocations.value, token.jti)),
        and(eq(tokenRevocations.kind, "subject"), eq(tokenRevocations.value, token.sub), gte(tokenRevocations.revokedAt, token.issuedAtMs)),
      ),
    )
    .limit(1);
  return row.length > 0;
}

/** Drops rows no token they cover can outlive. */
export async function purgeRevocations(db: Db, now: number): Promise<number> {
  const gone = await db.delete(tokenRevocations).where(lt(tokenRevocations.expiresAt, now)).returning({ kind: tokenRevocations.kind });
  return gone.length;
}
