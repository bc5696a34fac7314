// The MX cache in two layers: the resolver's per-isolate memory (doh.ts) in front of D1's
// mx_cache, which every isolate shares, so 100,000 rows on 50 domains cost 50 lookups in all.
import { and, gt, inArray, sql } from "drizzle-orm";
import { mxCache } from "../../shared/db/imports";
import { chunk } from "../db/upsert";
import type { Db } from "../env";
import { DohCache, DohResolver } from "../validation/doh";
import type { MxAnswer } from "../validation/email";
import { BudgetExhausted, type InvocationBudget } from "./budget";

/** Fetches one lookup may make: MX, then A and AAAA when there is no MX. */
const FETCHES_PER_LOOKUP = 3;

const sharedCaches = new Map<string, DohCache>();

/** One resolver cache per isolate and DoH endpoint. */
export function dohResolver(url: string, timeoutMs: number): DohResolver {
  let cache = sharedCaches.get(url);
  if (!cache) {
    cache = new DohCache();
    sharedCaches.set(url, cache);
  }
  return new DohResolver({ url, timeoutMs, cache });
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Answers for every domain: memory, then D1, then DNS (at most `concurrency` lookups at once).
 * A lookup starts only while the invocation's budget still has room for its fetches; when it runs
 * out, what was learnt is stored and BudgetExhausted is thrown, so the batch is handed over and
 * its next copy starts from the cache, rather than classifying the rest as DNS errors.
 */
export async function resolveDomains(
  db: Db,
  resolver: DohResolver,
  domains: string[],
  concurrency: number,
  now: number,
  budget?: InvocationBudget,
): Promise<Map<string, MxAnswer>> {
  const out = new Map<string, MxAnswer>();
  let missing = domains.filter((d) => {
    const hit = resolver.peek(d);
    if (hit) out.set(d, hit.answer);
    return !hit;
  });
  for (const part of chunk(missing, 90)) {
    budget?.spend("d1");
    const rows = await db.select().from(mxCache).where(and(inArray(mxCache.domain, part), gt(mxCache.expiresAt, now))).all();
    for (const row of rows) {
      const answer = JSON.parse(row.answer) as MxAnswer;
      resolver.prime(row.domain, answer, row.expiresAt);
      out.set(row.domain, answer);
    }
  }
  missing = missing.filter((d) => !out.has(d));
  let exhausted = false;
  await pool(missing, concurrency, async (d) => {
    if (budget && !budget.allows("subrequests", FETCHES_PER_LOOKUP)) {
      exhausted = true;
      return;
    }
    budget?.spend("subrequests", FETCHES_PER_LOOKUP);
    out.set(d, await resolver.resolve(d));
  });
  missing = missing.filter((d) => out.has(d));
  // Persist what DNS said (failures stay in memory only: they say nothing lasting).
  const fresh = missing
    .map((d) => ({ domain: d, answer: out.get(d), expiresAt: resolver.peek(d)?.expiresAt }))
    .filter((r): r is { domain: string; answer: MxAnswer; expiresAt: number } => !!r.answer && r.answer.kind !== "dns_error" && !!r.expiresAt)
    .map((r) => ({ domain: r.domain, answer: JSON.stringify(r.answer), expiresAt: r.expiresAt }));
  for (const part of chunk(fresh, 33)) {
    budget?.spend("d1");
    await db
      .insert(mxCache)
      .values(part)
      .onConflictDoUpdate({ target: mxCache.domain, set: { answer: sql`excluded.answer`, expiresAt: sql`excluded.expires_at` } });
  }
  if (exhausted) throw new BudgetExhausted("subrequests");
  return out;
}
