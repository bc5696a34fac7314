// Uploads are streamed: inspected chunk by chunk (the verdict does not depend on how the bytes
// arrive), stored in R2 as they come (multipart upload past 5 MiB, byte-identical), and refused
// as soon as the refusal is certain, without reading the rest, leaving nothing behind.
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importTasks } from "../../shared/db/imports";
import { getDb } from "../../worker/db/client";
import { inspectBytes, StreamInspector } from "../../worker/imports/decode";
import { json } from "./helpers";
import { encodeCp1251, encodeUtf16le, makeImportFile, utf8WithBom } from "./fixtures/import-file";
import { type Ctx, setupImport, storedUploads, upload } from "./fixtures/imports-api";

const db = getDb(env.DB);
const limits = { maxRows: 1_000_000, maxColumns: 200 };

function inChunks(bytes: Uint8Array, size: number, charset?: string) {
  const inspector = new StreamInspector(charset, limits);
  for (let at = 0; at < bytes.length; at += size) inspector.push(bytes.subarray(at, at + size));
  return inspector.finish();
}

function verdict(run: () => unknown): unknown {
  try {
    const r = run() as { encoding: string; lines: number; info: unknown; head: string };
    return { encoding: r.encoding, lines: r.lines, info: r.info, head: r.head.length };
  } catch (err) {
    return { refused: (err as { code?: string }).code };
  }
}

describe("the streaming inspector", () => {
  const text = makeImportFile(3000, { header: ["Почта", "Имя", "Фамилия", "Телефон", "Компания"] }).text;
  const files: [string, Uint8Array, string?][] = [
    ["UTF-8 with BOM", utf8WithBom(text)],
    ["Windows-1251", encodeCp1251(text)],
    ["UTF-16 LE", encodeUtf16le(text)],
    ["declared windows-1251", encodeCp1251(text), "windows-1251"],
    ["ASCII head, Cyrillic after 64 KB", encodeCp1251(`email;name\n${"a@acme-mail.com;x\n".repeat(5000)}b@acme-mail.com;Ёлка\n`)],
    ["NUL after 200 KB", new TextEncoder().encode(`email\n${"a@acme-mail.com\n".repeat(14_000)}\0\n`)],
    ["invalid UTF-8 where UTF-8 is declared", Uint8Array.from([...new TextEncoder().encode("email\na@b.com\n"), 0xc3, 0x28, 0x0a]), "utf-8"],
    ["no email column", new TextEncoder().encode("name;phone\nJohn;1\n")],
  ];

  it.each(files)("%s: the same verdict whatever the chunking", (_name, bytes, charset) => {
    const whole = verdict(() => inspectBytes(bytes, charset, limits));
    for (const size of [1, 3, 7, 4096, 65_537]) expect(verdict(() => inChunks(bytes, size, charset)), `chunks of ${size}`).toEqual(whole);
  });

  it("detects the encodings as before", () => {
    expect(verdict(() => inspectBytes(encodeCp1251(text), undefined, limits))).toMatchObject({ encoding: "windows-1251" });
    expect(verdict(() => inspectBytes(encodeUtf16le(text), undefined, limits))).toMatchObject({ encoding: "utf-16le" });
    expect(verdict(() => inspectBytes(files[4]?.[1] ?? new Uint8Array(), undefined, limits))).toMatchObject({ encoding: "windows-1251" });
    expect(verdict(() => inspectBytes(files[5]?.[1] ?? new Uint8Array(), undefined, limits))).toEqual({ refused: "not_csv" });
  });
});

/** `size` bytes of valid CSV (long rows), optionally with `poison` bytes written at `at`. */
function bigCsv(size: number, poison?: { at: number; bytes: readonly number[] }): Uint8Array {
  const out = new Uint8Array(size);
  const header = new TextEncoder().encode("email,note\n");
  out.set(header);
  const line = new TextEncoder().encode(`row@acme-mail.com,${"x".repeat(180)}\n`);
  for (let at = header.length; at < size; at += line.length) out.set(line.subarray(0, size - at), at);
  if (poison) out.set(poison.bytes, poison.at);
  return out;
}

async function sha256(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function storedTask(res: Response) {
  expect(res.status).toBe(202);
  const { task_id } = await json<{ task_id: string }>(res);
  await db.update(importTasks).set({ status: "cancelled" }).where(eq(importTasks.id, task_id)); // no need to import it
  const task = await db.select().from(importTasks).where(eq(importTasks.id, task_id)).get();
  const object = await env.UPLOADS.get(task?.r2Key ?? "");
  return { task, object };
}

describe("storage while streaming", () => {
  it("a 12 MB file goes to R2 in parts and is stored byte for byte (raw and multipart)", async () => {
    const bytes = bigCsv(12 * 1024 * 1024 + 123);
    for (const multipart of [false, true]) {
      const ctx = await setupImport();
      const { task, object } = await storedTask(await upload(ctx, bytes, { multipart, fileName: "big.csv" }));
      expect(task?.byteSize).toBe(bytes.length);
      expect(object?.size).toBe(bytes.length);
      // A multipart object's ETag is "<md5 of part md5s>-<parts>": 3 parts of 5 MiB, 5 MiB, the rest.
      expect(object?.etag, "etag").toMatch(/-3$/);
      expect(await sha256(await (object as R2ObjectBody).arrayBuffer())).toBe(await sha256(bytes));
    }
  }, 60_000);

  it.each([
    ["a NUL byte after two parts were sent", { at: 11 * 1024 * 1024, bytes: [0] }, undefined, 415, "not_csv"],
    ["bytes that are not the declared UTF-8, late in the file", { at: 11 * 1024 * 1024, bytes: [0xc3, 0x28] }, "text/csv; charset=utf-8", 415, "undecodable_text"],
  ] as const)("%s → refused, nothing stored", async (_name, poison, contentType, status, code) => {
    const ctx = await setupImport();
    const res = await upload(ctx, bigCsv(12 * 1024 * 1024, poison), contentType ? { contentType } : {});
    expect([res.status, (await json<{ error: { code: string } }>(res)).error.code]).toEqual([status, code]);
    expect(await db.select().from(importTasks).where(eq(importTasks.listId, ctx.listId)).all()).toEqual([]);
    expect(await storedUploads(ctx.locationId)).toEqual([]);
  }, 60_000);
});

/** A request body that sends `head`, then (when pulled) endless valid rows, and never ends by itself. */
function endlessBody(head: string): { stream: ReadableStream<Uint8Array>; sent: () => number } {
  const line = new TextEncoder().encode(`row@acme-mail.com,${"x".repeat(1000)}\n`);
  let sent = 0;
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = first ? new TextEncoder().encode(head) : line;
      first = false;
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, sent: () => sent };
}

async function post(ctx: Ctx, body: ReadableStream<Uint8Array>): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://crm-edge.test/api/contactlists/${ctx.listId}/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${ctx.token}`, "content-type": "text/csv" },
      body,
      duplex: "half",
    } as RequestInit),
  );
}

describe("refusals do not wait for the rest of the body", () => {
  it("a head without an email column is refused after the head, not at the end", async () => {
    const ctx = await setupImport();
    const { stream, sent } = endlessBody(`name,note\n${"John,x\n".repeat(20_000)}`);
    const res = await post(ctx, stream);
    expect([res.status, (await json<{ error: { code: string } }>(res)).error.code]).toEqual([422, "no_email_column"]);
    expect(sent()).toBeLessThan(1024 * 1024);
    expect(await storedUploads(ctx.locationId)).toEqual([]);
  });

  it("a body without end is refused with 413 once it passes IMPORT_MAX_BYTES", async () => {
    const ctx = await setupImport();
    const { stream, sent } = endlessBody("email,note\n");
    const res = await post(ctx, stream);
    expect([res.status, (await json<{ error: { code: string } }>(res)).error.code]).toEqual([413, "file_too_large"]);
    expect(sent()).toBeLessThan(Number(env.IMPORT_MAX_BYTES) + 2 * 1024 * 1024);
    expect(await db.select().from(importTasks).where(eq(importTasks.listId, ctx.listId)).all()).toEqual([]);
    expect(await storedUploads(ctx.locationId)).toEqual([]);
  }, 60_000);
});
