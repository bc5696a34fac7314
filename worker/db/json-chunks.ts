// Bulk writes bind their rows as one JSON value per statement (read back with json_each). D1
// refuses any bound value over 2 MB, so chunks are cut by encoded size as well as by row count:
// a page of contacts with large custom fields becomes more statements, never an oversized one.

/** Bytes of one bound JSON value: a margin under D1's 2,000,000-byte limit per value. */
export const JSON_BYTES_PER_VALUE = 1_500_000;

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Splits `items` into chunks of at most `maxRows` whose JSON array stays within `maxBytes`. A
 * single item larger than `maxBytes` travels alone (it may still fit D1's 2 MB).
 */
export function chunkByJsonSize<T>(items: readonly T[], maxRows: number, maxBytes = JSON_BYTES_PER_VALUE): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 2; // the brackets
  for (const item of items) {
    const size = utf8Length(JSON.stringify(item)) + 1; // and its comma
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 2;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
