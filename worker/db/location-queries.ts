import { and, asc, eq } from "drizzle-orm";
import { type LocationRow, locations } from "../../shared/db/schema";
import type { Db } from "../env";

export async function getLocation(db: Db, id: string): Promise<LocationRow | undefined> {
  const rows = await db.select().from(locations).where(eq(locations.id, id));
  return rows[0];
}

/** Our GoHighLevel locations bound to one upstream location (usually one), oldest id first. */
export function ghlLocationsByAccount(db: Db, accountId: string): Promise<LocationRow[]> {
  return db
    .select()
    .from(locations)
    .where(and(eq(locations.provider, "ghl"), eq(locations.accountId, accountId)))
    .orderBy(asc(locations.id))
    .limit(100);
}

/** Our locations on one upstream account of a provider (an AmoCRM subdomain), oldest id first. */
export function locationsByAccount(db: Db, provider: "ghl" | "amocrm", accountId: string): Promise<LocationRow[]> {
  return db
    .select()
    .from(locations)
    .where(and(eq(locations.provider, provider), eq(locations.accountId, accountId)))
    .orderBy(asc(locations.id))
    .limit(100);
}
