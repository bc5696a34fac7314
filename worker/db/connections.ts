// Reads for the connections view: every location (or some), with its token fields; no credentials.
import { desc, sql } from "drizzle-orm";
import { locations } from "../../shared/db/schema";
import type { Db } from "../env";

export type ConnectionRow = {
  id: string; name: string; provider: "ghl" | "amocrm"; accountId: string; hasCredentials: boolean; parkedReason: string | null; parkedDetail: string | null;
  tokenExpiresAt: number | null; tokenRefreshedAt: number | null; tokenError: string | null; grantId: string | null; disabledAt: number | null;
};

export function connectionRows(db: Db, ids: readonly string[] | null): Promise<ConnectionRow[]> {
  return db
    .select({
      id: locations.id, name: locations.name, provider: locations.provider, accountId: locations.accountId,
      hasCredentials: sql<boolean>`${locations.credentialsEnc} is not null`.mapWith(Boolean),
      parkedReason: locations.parkedReason, parkedDetail: locations.parkedDetail, tokenExpiresAt: locations.tokenExpiresAt,
      tokenRefreshedAt: locations.tokenRefreshedAt, tokenError: locations.tokenError, grantId: locations.grantId, disabledAt: locations.disabledAt,
    })
    .from(locations)
    .where(ids ? sql`${locations.id} in (select value from json_each(${JSON.stringify(ids)}))` : undefined)
    .orderBy(desc(locations.createdAt))
    .limit(1000);
}
