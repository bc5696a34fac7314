// Typo hints for well-known mail domains (gmial.com → gmail.com), pure. Hints are reported next
// to a row, never applied: a rare real domain one letter away from a popular one must not be
// rewritten behind the user's back.

const POPULAR = [
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "hotmail.com", "hotmail.co.uk",
  "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
  "protonmail.com", "gmx.com", "gmx.de", "web.de", "mail.com", "zoho.com", "yandex.ru", "yandex.com",
  "ya.ru", "mail.ru", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "ukr.net", "comcast.net",
  "verizon.net", "att.net", "sbcglobal.net", "orange.fr", "free.fr", "t-online.de", "libero.it",
];
const POPULAR_SET = new Set(POPULAR);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) return cap + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? cap + 1;
}

/** The popular domain this one is probably a typo of, or null. One edit; two for long names. */
export function suggestDomain(asciiDomain: string): string | null {
  if (POPULAR_SET.has(asciiDomain)) return null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of POPULAR) {
    const cap = candidate.length >= 10 ? 2 : 1;
    const d = editDistance(asciiDomain, candidate, cap);
    if (d <= cap && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
