// GoHighLevel users confirmed upstream for a location (exists, has access), kept briefly so a
// widget's token renewals do not each spend an upstream request.
import { and, eq, gte, lt } from "drizzle-orm";
import { ssoConfirmations } from "../../shared/db/security";
import type { Db } from "../env";

export type ConfirmedUser = { role: string; type: string };

export async function recentConfirmation(db: Db, locationId: string, userId: string, notBefore: number): Promise<ConfirmedUser | null> {
  const [row] = await db
    .select({ role: ssoConfirmations.role, type: ssoConfirmations.type })
    .from(ssoConfirmations)
    .where(and(eq(ssoConfirmations.locationId, locationId), eq(ssoConfirmations.userId, userId), gte(ssoConfirmations.confirmedAt, notBefore)))
    .limit(1);
  return row ?? null;
}

export async function rememberConfirmation(db: Db, locationId: string, userId: string, user: ConfirmedUser, now: number): Promise<void> {
  await db
    .insert(ssoConfirmations)
    .values({ locationId, userId, role: user.role, type: user.type, confirmedAt: now })
    .onConflictDoUpdate({ target: [ssoConfirmations.locationId, ssoConfirmations.userId], set: { role: user.role, type: user.type, confirmedAt: now } });
}

/** A user the upstream no longer confirms is forgotten at once. */
export async function forgetConfirmation(db: Db, locationId: string, userId: string): Promise<void> {
  await db.delete(ssoConfirmations).where(and(eq(ssoConfirmations.locationId, locationId), eq(ssoConfirmations.userId, userId)));
}

/** Confirmations too old to be used again. */
export async function purgeConfirmations(db: Db, before: number): Promise<number> {
  const gone = await db.delete(ssoConfirmations).where(lt(ssoConfirmations.confirmedAt, before)).returning({ user: ssoConfirmations.userId });
  return gone.length;
}
