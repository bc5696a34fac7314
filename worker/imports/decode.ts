// Upload-time inspection of the raw bytes, chunk by chunk as they stream in: which encoding, is it
// text at all, how many lines, and (from the head) which columns. It holds only the first 256 KB
// and a few counters, never the file. Definite refusals (a binary signature, NUL bytes, bytes that
// are not the declared encoding, too many lines, a head without an email column) are thrown as
// soon as they are seen, so a bad upload stops early; the rest is decided when the stream ends.
// Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, Windows-1251 (what Excel writes
// for Russian locales). workerd's TextDecoder implements all of them natively.
import { AppError } from "../http/errors";
import { type HeadInfo, readHead } from "./sniff";

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1251";

export type Inspected = { encoding: TextEncoding; head: string; lines: number; info: HeadInfo };

const HEAD_CHARS = 64 * 1024;
/** Enough raw bytes for HEAD_CHARS characters in any supported encoding. */
const HEAD_BYTES = 4 * HEAD_CHARS;
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

// Control characters other than tab, CR, LF (and the Excel in-cell line break, VT).
const CONTROL = /[\x00-\x08\x0C\x0E-\x1F\x7F]/g;

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function bomOf(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { encoding: "utf-8", length: 3 };
  if (startsWith(bytes, [0xff, 0xfe])) return { encoding: "utf-16le", length: 2 };
  if (startsWith(bytes, [0xfe, 0xff])) return { encoding: "utf-16be", length: 2 };
  return null;
}

function isControlByte(b: number): boolean {
  return b <= 0x08 || b === 0x0c || (b >= 0x0e && b <= 0x1f) || b === 0x7f;
}

/**
 * Windows-1251 when the bytes above 0x7F are nearly all Cyrillic letters (0xC0–0xFF, Ё/ё) or the
 * punctuation Excel emits (dashes, quotes, №, nbsp). Any byte string "decodes" as 1251, so this
 * is what tells Russian text from some other legacy encoding or garbage.
 */
function isCp1251Letter(b: number): boolean {
  return b >= 0xc0 || b === 0xa8 || b === 0xb8 || b === 0xb9 || b === 0xa0 || b === 0xab || b === 0xbb || (b >= 0x91 && b <= 0x97) || b === 0x85;
}

function refuse(code: "empty_file" | "not_csv" | "undecodable_text" | "too_many_rows", message: string): AppError {
  return new AppError(code, message);
}

export type InspectLimits = { maxRows: number; maxColumns: number };

export class StreamInspector {
  private bytes = 0;
  private readonly prefix: number[] = [];
  private pending: Uint8Array[] = [];
  private started = false;
  private encoding: TextEncoding | null = null; // known (charset or BOM); null: sniffed at the end
  private bomLength = 0;
  private decoder: TextDecoder | null = null;
  private utf8Ok = true;
  private readonly head = new Uint8Array(HEAD_BYTES);
  private headLength = 0;
  private headAscii = true;
  private headText = "";
  private info: HeadInfo | null = null;
  private lines = 0;
  private controls = 0;
  private chars = 0;
  private high = 0;
  private cyrillic = 0;
  private lastIsNewline = false;

  constructor(
    private readonly charset: string | undefined,
    private readonly limits: InspectLimits,
  ) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.started) {
      this.take(chunk);
      return;
    }
    // Until 4 bytes are in, nothing can be decided: hold the (tiny) chunks.
    this.pending.push(chunk);
    for (let i = 0; i < chunk.length && this.prefix.length < 4; i++) this.prefix.push(chunk[i] ?? 0);
    if (this.prefix.length < 4) return;
    this.start();
  }

  finish(): Inspected {
    if (!this.started) {
      if (this.prefix.length === 0) throw refuse("empty_file", "The file is empty.");
      this.start();
    }
    if (this.bytes === this.bomLength) throw refuse("empty_file", "The file is empty.");
    this.scan(new Uint8Array(), true);
    let encoding = this.encoding;
    if (!encoding) {
      if (this.utf8Ok) encoding = "utf-8";
      else if (this.high > 0 && this.cyrillic / this.high >= 0.9) {
        encoding = "windows-1251";
        this.chars = this.bytes;
      } else throw refuse("undecodable_text", "The text is neither UTF-8, UTF-16 with a BOM, nor Windows-1251.");
    }
    const head = (this.encoding ? this.headText : this.decodeHead(encoding)).replace(/^\uFEFF/, "");
    if (head.trim() === "") throw refuse("empty_file", "The file holds only blank lines.");
    // A handful of stray control characters happen in real exports; many mean binary data.
    if (this.controls > Math.max(8, this.chars / 1000)) throw refuse("not_csv", "The file contains binary data, not CSV text.");
    const lines = this.lines + (this.chars > 0 && !this.lastIsNewline ? 1 : 0);
    this.checkLines(lines);
    const info = this.info ?? this.readHead(head);
    return { encoding, head, lines, info };
  }

  /** The first bytes decide: a binary signature, the declared charset, or a BOM. */
  private start(): void {
    this.started = true;
    const prefix = Uint8Array.from(this.prefix);
    for (const [magic, what] of MAGIC) {
      if (startsWith(prefix, magic)) throw refuse("not_csv", `The file is ${what}, not CSV text: export it as CSV.`);
    }
    if (this.charset) {
      this.encoding = CHARSETS[this.charset.toLowerCase()] ?? null;
      if (!this.encoding) throw refuse("undecodable_text", `Charset '${this.charset}' is not supported: use UTF-8, UTF-16 (with BOM) or Windows-1251.`);
    }
    const bom = bomOf(prefix);
    this.encoding ??= bom?.encoding ?? null;
    if (bom && bom.encoding === this.encoding) this.bomLength = bom.length;
    // Known encodings must decode; unknown ones are checked as UTF-8 while the Windows-1251
    // statistics are gathered alongside.
    this.decoder = new TextDecoder(this.encoding ?? "utf-8", { fatal: true, ignoreBOM: false });
    const held = this.pending;
    this.pending = [];
    for (const chunk of held) this.take(chunk);
  }

  private take(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    this.keepHead(chunk);
    this.scan(chunk, false);
  }

  private keepHead(chunk: Uint8Array): void {
    if (this.headLength >= HEAD_BYTES) return;
    const take = chunk.subarray(0, HEAD_BYTES - this.headLength);
    this.head.set(take, this.headLength);
    this.headLength += take.length;
  }

  private scan(chunk: Uint8Array, end: boolean): void {
    if (this.encoding) this.scanText(chunk, end);
    else this.scanBytes(chunk, end);
    this.checkLines(this.lines);
  }

  /** A known encoding: decode (strictly) and count on the text. */
  private scanText(chunk: Uint8Array, end: boolean): void {
    let text: string;
    try {
      text = this.decoder?.decode(chunk, { stream: !end }) ?? "";
    } catch {
      throw refuse("undecodable_text", `The text is not valid ${this.encoding}.`);
    }
    if (!text) return;
    if (this.headText.length < HEAD_CHARS) {
      this.headText += text.slice(0, HEAD_CHARS - this.headText.length);
      if (this.headText.length >= HEAD_CHARS) this.info = this.readHead(this.headText.replace(/^\uFEFF/, ""));
    }
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lines++;
    this.controls += text.match(CONTROL)?.length ?? 0;
    this.chars += text.length;
    this.lastIsNewline = text.endsWith("\n");
  }

  /** No encoding known yet: count on the bytes (the same for UTF-8 and Windows-1251). */
  private scanBytes(chunk: Uint8Array, end: boolean): void {
    if (chunk.includes(0)) throw refuse("not_csv", "The file contains NUL bytes: it is binary (or UTF-16 without a BOM), not CSV text.");
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (b === 0x0a) this.lines++;
      else if (b < 0x80) {
        if (isControlByte(b)) this.controls++;
      } else {
        this.high++;
        if (isCp1251Letter(b)) this.cyrillic++;
      }
      // UTF-8 characters in UTF-16 code units: lead bytes count one, 4-byte leads two.
      if ((b & 0xc0) !== 0x80) this.chars += b >= 0xf0 ? 2 : 1;
    }
    if (chunk.length) this.lastIsNewline = chunk[chunk.length - 1] === 0x0a;
    if (this.utf8Ok) {
      try {
        this.decoder?.decode(chunk, { stream: !end });
      } catch {
        this.utf8Ok = false;
      }
    }
    // A pure-ASCII head reads the same in either encoding: its columns can be checked now.
    if (this.info === null && this.headAscii && this.bytes >= HEAD_CHARS) {
      const first = this.head.subarray(0, HEAD_CHARS);
      this.headAscii = first.every((b) => b < 0x80);
      if (this.headAscii) this.info = this.readHead(new TextDecoder("utf-8").decode(first));
    }
  }

  private decodeHead(encoding: TextEncoding): string {
    // stream: true holds back a character cut at the end of the kept bytes.
    return new TextDecoder(encoding).decode(this.head.subarray(0, this.headLength), { stream: true }).slice(0, HEAD_CHARS);
  }

  private checkLines(lines: number): void {
    if (lines > this.limits.maxRows + 1) {
      throw refuse("too_many_rows", `The file has more than ${this.limits.maxRows + 1} lines; at most ${this.limits.maxRows} rows (plus a header) are allowed.`);
    }
  }

  private readHead(head: string): HeadInfo {
    const outcome = readHead(head, this.limits.maxColumns);
    if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
    return outcome.info;
  }
}

/** The whole inspection of bytes already in memory (tests, small inputs). */
export function inspectBytes(bytes: Uint8Array, charset: string | undefined, limits: InspectLimits): Inspected {
  const inspector = new StreamInspector(charset, limits);
  inspector.push(bytes);
  return inspector.finish();
}
