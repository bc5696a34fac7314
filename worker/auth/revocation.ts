// The revocation check every authenticated request makes. An isolate may reuse its last answer for
// a token for REVOCATION_CACHE_MS (default 1 s): the bound on how long a revoked token still works
// in an isolate that saw it just before, against a D1 read on every hot request.
import { BoundedCache } from "../contacts/hot-cache";
import { isRevoked } from "../db/revocations";
import type { Db } from "../env";
import type { TokenClaims } from "./tokens";

const answers = new BoundedCache<boolean>({ maxEntries: 10_000, maxBytes: 10_000 });

export async function isTokenRevoked(db: Db, claims: TokenClaims, cacheMs: number, now = Date.now()): Promise<boolean> {
  const key = claims.jti;
  if (cacheMs > 0) {
    const known = answers.get(key, now, cacheMs);
    if (known !== undefined) return known;
  }
  const revoked = await isRevoked(db, { jti: claims.jti, sub: claims.sub, issuedAtMs: claims.iat * 1000 });
  if (cacheMs > 0) answers.set(key, revoked, now);
  return revoked;
}
