// Re-sealing every stored credential with the current CREDENTIALS_KEY (after a rotation moved the
// old key to CREDENTIALS_KEY_PREVIOUS). Pages through the locations by id; each write is guarded
// by the ciphertext it replaces, so a token refresh that stored new credentials meanwhile wins.
import { and, asc, eq, gt, isNotNull } from "drizzle-orm";
import { locations } from "../../shared/db/schema";
import { openCredentials, sealCredentials, sealedWithCurrent } from "../auth/credentials";
import type { KeyRing } from "../auth/keyring";
import type { Db } from "../env";

const PAGE = 50;

export type ResealResult = { resealed: number; already_current: number; failed: string[] };

export async function resealCredentials(db: Db, keys: KeyRing, now: number): Promise<ResealResult> {
  const result: ResealResult = { resealed: 0, already_current: 0, failed: [] };
  let after = "";
  for (;;) {
    const rows = await db
      .select({ id: locations.id, sealed: locations.credentialsEnc })
      .from(locations)
      .where(and(isNotNull(locations.credentialsEnc), gt(locations.id, after)))
      .orderBy(asc(locations.id))
      .limit(PAGE);
    if (rows.length === 0) return result;
    after = rows[rows.length - 1]?.id ?? after;
    const updates = [];
    for (const { id, sealed } of rows) {
      if (sealed === null) continue;
      if (sealedWithCurrent(keys, sealed)) {
        result.already_current++;
        continue;
      }
      try {
        const fresh = await sealCredentials(keys, id, await openCredentials(keys, id, sealed));
        updates.push(
          db
            .update(locations)
            .set({ credentialsEnc: fresh, updatedAt: now })
            .where(and(eq(locations.id, id), eq(locations.credentialsEnc, sealed)))
            .returning({ id: locations.id }),
        );
      } catch {
        // Opens with no key of the ring: left as it is and named (never logged: it is a secret).
        result.failed.push(id);
      }
    }
    const [first, ...rest] = updates;
    if (first) {
      const written = await db.batch([first, ...rest]);
      result.resealed += written.filter((r) => r.length > 0).length;
    }
  }
}
