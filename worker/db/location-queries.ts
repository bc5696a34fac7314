import { eq } from "drizzle-orm";
import { type LocationRow, locations } from "../../shared/db/schema";
import type { Db } from "../env";

export async function getLocation(db: Db, id: string): Promise<LocationRow | undefined> {
  const rows = await db.select().from(locations).where(eq(locations.id, id));
  return rows[0];
}
