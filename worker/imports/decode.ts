// Upload-time inspection of the raw bytes: which encoding, is it text at all, how many lines.
// It streams over the bytes in slices, so a 50 MB file never exists as one decoded string.
// Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, Windows-1251 (what Excel writes
// for Russian locales). workerd's TextDecoder implements all of them natively.
import type { ErrorCode } from "../../shared/schemas/errors";

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1251";

export type Inspection =
  | { ok: true; encoding: TextEncoding; head: string; lines: number }
  | { ok: false; code: ErrorCode; message: string };

const SLICE = 1 << 20;
const HEAD_CHARS = 64 * 1024;
const CHARSETS: Record<string, TextEncoding> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "windows-1251": "windows-1251",
  cp1251: "windows-1251",
};

/** Magic numbers of the binary formats people upload instead of CSV. */
const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive (an .xlsx workbook?)"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old Excel .xls workbook"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF"],
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x47, 0x49, 0x46, 0x38], "a GIF image"],
  [[0x1f, 0x8b], "a gzip archive"],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function bomEncoding(bytes: Uint8Array): TextEncoding | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return "utf-8";
  if (startsWith(bytes, [0xff, 0xfe])) return "utf-16le";
  if (startsWith(bytes, [0xfe, 0xff])) return "utf-16be";
  return null;
}

/**
 * Windows-1251 when the bytes above 0x7F are nearly all Cyrillic letters (0xC0–0xFF, Ё/ё) or the
 * punctuation Excel emits (dashes, quotes, №, nbsp). Any byte string "decodes" as 1251, so this
 * is what tells Russian text from some other legacy encoding or garbage.
 */
function looksLikeCp1251(bytes: Uint8Array): boolean {
  let high = 0;
  let cyrillic = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) continue;
    high++;
    if (b >= 0xc0 || b === 0xa8 || b === 0xb8 || b === 0xb9 || b === 0xa0 || b === 0xab || b === 0xbb || (b >= 0x91 && b <= 0x97) || b === 0x85) {
      cyrillic++;
    }
  }
  return high > 0 && cyrillic / high >= 0.9;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

// Control characters other than tab, CR, LF (and the Excel in-cell line break, VT).
const CONTROL = /[\x00-\x08\x0C\x0E-\x1F\x7F]/g;

/** Decodes slice by slice: counts lines and control characters, keeps the first HEAD_CHARS. */
function scan(bytes: Uint8Array, encoding: TextEncoding): { head: string; lines: number; controls: number; chars: number } | null {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  let head = "";
  let lines = 0;
  let controls = 0;
  let chars = 0;
  let last = "";
  try {
    for (let off = 0; off < bytes.length; off += SLICE) {
      const text = decoder.decode(bytes.subarray(off, off + SLICE), { stream: off + SLICE < bytes.length });
      if (head.length < HEAD_CHARS) head += text.slice(0, HEAD_CHARS - head.length);
      lines += countLines(text);
      controls += text.match(CONTROL)?.length ?? 0;
      chars += text.length;
      if (text.length) last = text[text.length - 1] ?? "";
    }
  } catch {
    return null;
  }
  if (chars > 0 && last !== "\n") lines++;
  return { head, lines, controls, chars };
}

export function inspectBytes(bytes: Uint8Array, charset?: string): Inspection {
  const body = bytes.length - (bomEncoding(bytes) === "utf-8" ? 3 : bomEncoding(bytes) ? 2 : 0);
  if (bytes.length === 0 || body === 0) return { ok: false, code: "empty_file", message: "The file is empty." };
  for (const [magic, what] of MAGIC) {
    if (startsWith(bytes, magic)) return { ok: false, code: "not_csv", message: `The file is ${what}, not CSV text: export it as CSV.` };
  }
  let encoding: TextEncoding | null = null;
  if (charset) {
    encoding = CHARSETS[charset.toLowerCase()] ?? null;
    if (!encoding) return { ok: false, code: "undecodable_text", message: `Charset '${charset}' is not supported: use UTF-8, UTF-16 (with BOM) or Windows-1251.` };
  }
  encoding ??= bomEncoding(bytes);
  if (!encoding && bytes.includes(0)) {
    return { ok: false, code: "not_csv", message: "The file contains NUL bytes: it is binary (or UTF-16 without a BOM), not CSV text." };
  }
  let result = scan(bytes, encoding ?? "utf-8");
  if (!result && !encoding && looksLikeCp1251(bytes)) {
    encoding = "windows-1251";
    result = scan(bytes, encoding);
  }
  if (!result) {
    return { ok: false, code: "undecodable_text", message: "The text is neither UTF-8, UTF-16 with a BOM, nor Windows-1251." };
  }
  if (result.head.replace(/^\uFEFF/, "").trim() === "") return { ok: false, code: "empty_file", message: "The file holds only blank lines." };
  // A handful of stray control characters happen in real exports; many mean binary data.
  if (result.controls > Math.max(8, result.chars / 1000)) {
    return { ok: false, code: "not_csv", message: "The file contains binary data, not CSV text." };
  }
  return { ok: true, encoding: encoding ?? "utf-8", head: result.head.replace(/^\uFEFF/, ""), lines: result.lines };
}
