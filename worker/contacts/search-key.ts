// The text the search index holds, written in an alphabet of the contact's own location.
//
// One FTS5 trigram index serves every tenant. Indexed as plain text, a common trigram ("gma",
// "com") has one posting list holding rows of every location, and a search reads all of it before
// the location filter applies. Here every character c of a location's text is stored as the code
// point 0x10000 + (c + shift) mod 2^20, with a shift derived from the location id: the mapping is
// one-to-one inside a location (for every character below U+100000), and a location's trigrams
// are its own index terms. A search shifts its query the same way, so it reads only posting
// lists of its own location. Two locations with the same shift (about 1 in a million pairs) only
// share posting lists: rows are still filtered by location_id, so results stay exact.
// Migration 0011 computes the same mapping in SQL for rows written before it (FNV-1a below).

const PLANE = 0x10000;
const SPAN = 0x100000;

/** FNV-1a (32 bits) of the location id's code points, reduced to a shift in [0, 2^20). */
export function locationShift(locationId: string): number {
  let h = 2166136261;
  for (const ch of locationId) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return h % SPAN;
}

/** `text` (already lower-cased) in the location's alphabet: one supplementary-plane character per character. */
export function searchKey(shift: number, text: string): string {
  let out = "";
  for (const ch of text) out += String.fromCodePoint(PLANE + ((ch.codePointAt(0)! + shift) % SPAN));
  return out;
}
