// Location writes and reads for the admin API. Credentials are sealed before they reach the table.
import { desc, eq, sql } from "drizzle-orm";
import { type LocationRow, locations } from "../../shared/db/schema";
import type { LocationCreate, LocationPatch, LocationView } from "../../shared/schemas/locations";
import { encryptCredentials } from "../auth/credentials";
import type { Db } from "../env";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toLocationView(row: LocationRow): LocationView {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    account_id: row.accountId,
    base_url: row.baseUrl,
    has_credentials: row.credentialsEnc !== null,
    settings: row.settings,
    last_synced_at: iso(row.lastSyncedAt),
    contact_count: row.contactCount,
    created_at: iso(row.createdAt) ?? "",
    updated_at: iso(row.updatedAt) ?? "",
  };
}

/** Inserts the location; undefined when the id is taken. */
export async function createLocation(db: Db, key: string, input: LocationCreate): Promise<LocationRow | undefined> {
  const credentialsEnc = input.credentials ? await encryptCredentials(key, input.id, input.credentials) : null;
  const rows = await db
    .insert(locations)
    .values({
      id: input.id,
      name: input.name,
      provider: input.provider,
      accountId: input.account_id,
      baseUrl: input.base_url ?? null,
      credentialsEnc,
      settings: input.settings,
    })
    .onConflictDoNothing()
    .returning();
  return rows[0];
}

export async function patchLocation(
  db: Db,
  key: string,
  id: string,
  patch: LocationPatch,
  now: number,
): Promise<LocationRow | undefined> {
  const rows = await db
    .update(locations)
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.account_id !== undefined && { accountId: patch.account_id }),
      ...(patch.base_url !== undefined && { baseUrl: patch.base_url }),
      ...(patch.settings !== undefined && { settings: patch.settings }),
      ...(patch.credentials !== undefined && {
        credentialsEnc: await encryptCredentials(key, id, patch.credentials),
        // New credentials end a park for refused ones and the failure backoff: the cron tries again.
        parkedReason: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedReason} end`,
        parkedUntil: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedUntil} end`,
        parkedDetail: sql`case when ${locations.parkedReason} = 'auth' then null else ${locations.parkedDetail} end`,
        failureCount: 0,
        nextAttemptAt: null,
      }),
      updatedAt: now,
    })
    .where(eq(locations.id, id))
    .returning();
  return rows[0];
}

export function listLocations(db: Db): Promise<LocationRow[]> {
  return db.select().from(locations).orderBy(desc(locations.createdAt)).limit(1000);
}
