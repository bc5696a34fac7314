// CSV records of an original file, each with the byte offset just past it in the ORIGINAL bytes, so
// the split can checkpoint at a record boundary and a retry or resume reads on from there (an R2
// range read) instead of from byte 0. At a record boundary the parser holds no state worth saving:
// no open quote, no partial field; the header and the record count live in the checkpoint.
import { parse } from "csv-parse/stream";
import type { TextEncoding } from "./decode";

export type CsvRecord = { fields: string[]; end: number };

export type ReadOptions = { encoding: TextEncoding; delimiter: string; start: number };

/** Longest record the parser accepts; a longer one fails the task as malformed. */
export const MAX_RECORD_BYTES = 64 * 1024;

/**
 * Other encodings reach csv-parse as UTF-8, and its `info.bytes` counts UTF-8 bytes. This keeps
 * the decoded text between what the parser has finished and what it has read ahead, and turns a
 * UTF-8 position into original bytes: Windows-1251 has one byte per character, UTF-16 two per
 * code unit. Positions asked for only grow, so text behind them is dropped as it is passed.
 */
class Transcoder {
  private readonly segments: string[] = [];
  private segmentAt = 0; // index into segments[0] of the cursor
  private cursorU8 = 0; // UTF-8 bytes before the cursor
  private cursorUnits = 0; // code units before the cursor
  private readonly decoder: TextDecoder;
  private readonly encoder = new TextEncoder();

  constructor(encoding: TextEncoding, private readonly bytesPerUnit: number) {
    // A BOM stays in the text (csv-parse strips it as UTF-8 and counts it: 3 bytes ↔ 1 unit).
    this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  }

  stream(): TransformStream<Uint8Array, Uint8Array> {
    return new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => this.push(this.decoder.decode(chunk, { stream: true }), controller),
      flush: (controller) => this.push(this.decoder.decode(), controller),
    });
  }

  private push(text: string, controller: TransformStreamDefaultController<Uint8Array>): void {
    if (!text) return;
    this.segments.push(text);
    controller.enqueue(this.encoder.encode(text));
  }

  /** Original bytes before UTF-8 position `u8` (a record boundary the parser reported). */
  originalBytesAt(u8: number): number {
    while (this.cursorU8 < u8) {
      const text = this.segments[0];
      if (text === undefined) throw new Error(`csv position ${u8} is past the decoded text`);
      if (this.segmentAt >= text.length) {
        this.segments.shift();
        this.segmentAt = 0;
        continue;
      }
      const c = text.charCodeAt(this.segmentAt);
      if (c >= 0xd800 && c <= 0xdbff) {
        // A surrogate pair: one 4-byte UTF-8 character, two code units.
        this.cursorU8 += 4;
        this.cursorUnits += 2;
        this.segmentAt += 2;
      } else {
        this.cursorU8 += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        this.cursorUnits += 1;
        this.segmentAt += 1;
      }
    }
    return this.cursorUnits * this.bytesPerUnit;
  }
}

/**
 * Records of `body` (the original's bytes from offset `start`, a record boundary) with their end
 * offsets. At offset 0 a UTF-8 BOM is skipped (and counted); the header is the caller's business.
 */
export async function* readRecords(body: ReadableStream<Uint8Array>, opts: ReadOptions): AsyncGenerator<CsvRecord> {
  const transcoder = opts.encoding === "utf-8" ? null : new Transcoder(opts.encoding, opts.encoding === "windows-1251" ? 1 : 2);
  const utf8 = transcoder ? body.pipeThrough(transcoder.stream()) : body;
  const parser = parse({
    delimiter: opts.delimiter,
    bom: opts.start === 0,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
  });
  const reader = (utf8.pipeThrough(parser) as ReadableStream<{ record: string[]; info: { bytes: number } }>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const consumed = transcoder ? transcoder.originalBytesAt(value.info.bytes) : value.info.bytes;
      yield { fields: value.record, end: opts.start + consumed };
    }
  } finally {
    // The caller may stop early (a checkpoint hand-over, a cancel): release the R2 body.
    await reader.cancel().catch(() => undefined);
  }
}
