// What both generators share: the spec of an account, its link base and seeded timestamps.
import { SEED_EPOCH_MS } from "../../data/generate";
import { intBelow, type Rng } from "../../data/prng";

/** Seeded dates lie in the two years before this instant (2026-06-01, Unix seconds). */
export const SEED_EPOCH_S = SEED_EPOCH_MS / 1000;
const SPAN_S = 730 * 86_400;

export interface GenerateSpec {
  subdomain: string;
  accountId: number;
  seed: number;
  contacts: number;
  companies: number;
  matchingCompanies: number;
}

/** Where an entity's `_links.self` points: the account's own domain, as AmoCRM does. */
export const apiBase = (subdomain: string): string => `https://${subdomain}.amocrm.ru/api/v4`;

/** A created/updated pair: a third never changed, the rest were touched later (skewed to long ago). */
export function stamps(rng: Rng, notBefore = SEED_EPOCH_S - SPAN_S): { created: number; updated: number } {
  const created = notBefore + intBelow(rng, Math.max(1, SEED_EPOCH_S - notBefore));
  const updated = rng() < 0.3 ? created : created + Math.floor(rng() ** 3 * (SEED_EPOCH_S - created));
  return { created, updated };
}
