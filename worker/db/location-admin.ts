// Location writes and reads for the admin API. Credentials are sealed before they reach the table
// and never come back out. Moving a location to another base_url wipes its credentials (unless new
// ones come with the move): they were issued for the old host.
import { and, desc, eq, sql } from "drizzle-orm";
import { type LocationRow, locations } from "../../shared/db/schema";
import type { LocationCreate, LocationPatch, LocationView } from "../../shared/schemas/locations";
import { sealCredentials } from "../auth/credentials";
import type { KeyRing } from "../auth/keyring";
import type { Db } from "../env";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toLocationView(row: LocationRow): LocationView {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    account_id: row.accountId,
    base_url: row.baseUrl,
    company_id: row.companyId,
    has_credentials: row.credentialsEnc !== null,
    settings: row.settings,
    last_synced_at: iso(row.lastSyncedAt),
    contact_count: row.contactCount,
    created_at: iso(row.createdAt) ?? "",
    updated_at: iso(row.updatedAt) ?? "",
  };
}

/** Inserts the location; undefined when the id is taken. */
export async function createLocation(db: Db, keys: KeyRing, input: LocationCreate): Promise<LocationRow | undefined> {
  const credentialsEnc = input.credentials ? await sealCredentials(keys, input.id, input.credentials) : null;
  const rows = await db
    .insert(locations)
    .values({
      id: input.id,
      name: input.name,
      provider: input.provider,
      accountId: input.account_id,
      baseUrl: input.base_url ?? null,
      companyId: input.company_id ?? null,
      credentialsEnc,
      settings: input.settings,
    })
    .onConflictDoNothing()
    .returning();
  return rows[0];
}

export async function patchLocation(db: Db, keys: KeyRing, id: string, patch: LocationPatch, now: number): Promise<LocationRow | undefined> {
  const sealed = patch.credentials !== undefined ? await sealCredentials(keys, id, patch.credentials) : undefined;
  // A new base_url without new credentials: the stored ones are wiped in the same statement.
  const moved =
    patch.base_url !== undefined && sealed === undefined
      ? sql`case when ${locations.baseUrl} is ${patch.base_url} then ${locations.credentialsEnc} else null end`
      : undefined;
  const rows = await db
    .update(locations)
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.account_id !== undefined && { accountId: patch.account_id }),
      ...(patch.base_url !== undefined && { baseUrl: patch.base_url }),
      ...(patch.company_id !== undefined && { companyId: patch.company_id }),
      ...(patch.settings !== undefined && { settings: patch.settings }),
      ...(sealed !== undefined && {
        credentialsEnc: sealed,
        // New credentials end a park for refused ones and the failure backoff: the cron tries again.
        parkedReason: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedReason} end`,
        parkedUntil: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedUntil} end`,
        parkedDetail: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedDetail} end`,
        failureCount: 0,
        nextAttemptAt: null,
      }),
      ...(sealed === undefined && moved ? { credentialsEnc: moved } : {}),
      updatedAt: now,
    })
    .where(eq(locations.id, id))
    .returning();
  return rows[0];
}

export function listLocations(db: Db): Promise<LocationRow[]> {
  return db.select().from(locations).orderBy(desc(locations.createdAt)).limit(1000);
}

/** Which of these ids are registered (one statement whatever their number: D1 binds ≤ 100 parameters). */
export async function registeredIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .select({ id: locations.id })
    .from(locations)
    .where(sql`${locations.id} in (select value from json_each(${JSON.stringify(ids)}))`);
  return new Set(rows.map((r) => r.id));
}

/** Pins a GoHighLevel location's company once it is known (never overwrites a pinned one). */
export async function pinCompany(db: Db, id: string, companyId: string): Promise<void> {
  await db
    .update(locations)
    .set({ companyId })
    .where(and(eq(locations.id, id), sql`${locations.companyId} is null`));
}

/** Stores (or clears, with null) the hash of an AmoCRM location's webhook secret; false if no such location. */
export async function setWebhookSecretHash(db: Db, id: string, hash: string | null, now: number): Promise<boolean> {
  const rows = await db.update(locations).set({ webhookSecretHash: hash, updatedAt: now }).where(eq(locations.id, id)).returning({ id: locations.id });
  return rows.length === 1;
}
