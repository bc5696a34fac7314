// Deterministic randomness: every generated value derives from (seed, label), so a location
// regenerates byte-for-byte after a restart and tests can rely on stable ids and names.

export type Rng = () => number;

/** 32-bit FNV-1a; good enough to spread short labels over the seed space. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, and plenty for test data (not for anything secret). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One independent stream per purpose, so adding draws to one never shifts another. */
export function rngFor(seed: number, ...labels: string[]): Rng {
  return mulberry32(hash32(`${seed}:${labels.join(":")}`));
}

export function intBelow(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  const item = list[Math.floor(rng() * list.length)];
  if (item === undefined) throw new Error("pick from empty list");
  return item;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM_CODES = Array.from(ALNUM, (ch) => ch.charCodeAt(0));
const idCodes: number[] = new Array<number>(20).fill(0);

/** GHL-style 20-char alphanumeric id, e.g. `ocQHyuzHvysMo5N5VsXc` (one string allocation, not 20). */
export function ghlId(rng: Rng): string {
  for (let i = 0; i < 20; i++) idCodes[i] = ALNUM_CODES[Math.floor(rng() * 62)] ?? 65;
  return String.fromCharCode(...idCodes);
}
