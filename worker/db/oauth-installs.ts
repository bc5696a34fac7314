// What an install writes, all in one D1 batch after every upstream call succeeded: the agency
// grant (GHL Company installs) and each location with its sealed credentials. A location that
// exists is updated (a reinstall reconnects it: park for refused credentials lifted, enabled again).
import { sql } from "drizzle-orm";
import { locations, oauthGrants } from "../../shared/db/schema";
import type { Db } from "../env";

export type InstalledLocation = {
  id: string;
  provider: "ghl" | "amocrm";
  name: string;
  accountId: string;
  baseUrl: string | null;
  companyId: string | null;
  grantId: string | null;
  sealed: string;
  expiresAt: number | null;
};

export type InstalledGrant = { id: string; provider: "ghl"; companyId: string; sealed: string; expiresAt: number | null };

export async function writeInstall(db: Db, grant: InstalledGrant | null, installed: InstalledLocation[], now: number): Promise<void> {
  const statements = [];
  if (grant) {
    statements.push(
      db
        .insert(oauthGrants)
        .values({ id: grant.id, provider: grant.provider, companyId: grant.companyId, credentialsEnc: grant.sealed, state: "connected", tokenExpiresAt: grant.expiresAt, tokenRefreshedAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: oauthGrants.id,
          set: { credentialsEnc: grant.sealed, state: "connected", tokenExpiresAt: grant.expiresAt, tokenRefreshedAt: now, tokenError: null, updatedAt: now },
        }),
    );
  }
  for (const l of installed) {
    statements.push(
      db
        .insert(locations)
        .values({
          id: l.id,
          name: l.name,
          provider: l.provider,
          accountId: l.accountId,
          baseUrl: l.baseUrl,
          companyId: l.companyId,
          grantId: l.grantId,
          credentialsEnc: l.sealed,
          tokenExpiresAt: l.expiresAt,
          tokenRefreshedAt: now,
          settings: {},
        })
        .onConflictDoUpdate({
          target: locations.id,
          set: {
            credentialsEnc: l.sealed,
            grantId: l.grantId,
            baseUrl: l.baseUrl,
            companyId: sql`coalesce(${locations.companyId}, ${l.companyId})`,
            tokenExpiresAt: l.expiresAt,
            tokenRefreshedAt: now,
            tokenError: null,
            disabledAt: null,
            parkedReason: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedReason} end`,
            parkedDetail: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedDetail} end`,
            failureCount: 0,
            nextAttemptAt: null,
            updatedAt: now,
          },
          // Never take over a location of the other provider registered under the same id.
          setWhere: sql`${locations.provider} = ${l.provider}`,
        }),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/**
 * An uninstall: the location (or every location of the agency grant, and the grant) is disabled
 * and its credentials wiped in one batch; syncing stops (no credentials) until a new install.
 */
export async function writeUninstall(db: Db, target: { locationId: string } | { grantId: string }, now: number): Promise<number> {
  const wipe = { credentialsEnc: null, disabledAt: now, tokenExpiresAt: null, tokenError: null, updatedAt: now };
  if ("locationId" in target) {
    const rows = await db.update(locations).set(wipe).where(sql`${locations.id} = ${target.locationId} and ${locations.provider} = 'ghl'`).returning({ id: locations.id });
    return rows.length;
  }
  const [, rows] = await db.batch([
    db.update(oauthGrants).set({ credentialsEnc: null, state: "disabled", tokenExpiresAt: null, updatedAt: now }).where(sql`${oauthGrants.id} = ${target.grantId}`),
    db.update(locations).set(wipe).where(sql`${locations.grantId} = ${target.grantId}`).returning({ id: locations.id }),
  ]);
  return rows.length;
}
