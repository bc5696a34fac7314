// The upload: read the file (multipart `file` or a raw text/csv body), refuse bad input before
// anything is written, then store the original in R2, record the task and queue its split.
// Only cheap whole-file passes run here (decode check, line count), so a 500,000-row file is
// answered in well under a second; parsing and validation happen in the queue consumers.
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { importTasks, type ImportMode } from "../../shared/db/imports";
import type { ImportSplitMessage } from "../../shared/schemas/messages-imports";
import type { AppEnv } from "../env";
import { AppError } from "../http/errors";
import { inspectBytes } from "./decode";
import type { ImportLimits } from "./limits";
import { type QuotaConfig, checkImportQuotas } from "./quotas";
import { readHead } from "./sniff";

const RAW_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream", "text/tab-separated-values"];
/** Multipart framing around the file: boundaries and part headers. */
const MULTIPART_SLACK = 64 * 1024;

type Upload = { bytes: Uint8Array; fileName: string | null; charset: string | undefined; contentType: string };

function charsetOf(contentType: string): string | undefined {
  return /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("file_too_large", `The file is larger than ${maxBytes} bytes (IMPORT_MAX_BYTES).`);
}

/** Reads a body stream, giving up as soon as it passes `max` bytes (no Content-Length needed). */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

export async function readUpload(c: Context<AppEnv>, maxBytes: number): Promise<Upload> {
  const contentType = c.req.header("content-type") ?? "";
  const declared = Number(c.req.header("content-length") ?? "NaN");
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "multipart/form-data") {
    if (declared > maxBytes + MULTIPART_SLACK) throw tooLarge(maxBytes);
    let file: File | string | null;
    try {
      file = (await c.req.raw.formData()).get("file");
    } catch {
      throw new AppError("invalid_body", "The multipart body could not be read.");
    }
    if (file === null || typeof file === "string") throw new AppError("invalid_body", "Send the CSV as the multipart field 'file'.");
    if (file.size > maxBytes) throw tooLarge(maxBytes);
    return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || null, charset: charsetOf(file.type), contentType: file.type || "text/csv" };
  }
  if (!RAW_TYPES.includes(mediaType)) {
    throw new AppError("unsupported_media_type", "Send multipart/form-data with a 'file' field, or a raw text/csv body.");
  }
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readCapped(c.req.raw.body, maxBytes);
  return { bytes, fileName: c.req.header("x-file-name") ?? null, charset: charsetOf(contentType), contentType: mediaType };
}

export type StartImport = {
  locationId: string;
  listId: string;
  mode: ImportMode;
  upload: Upload;
  limits: ImportLimits;
  quotas: QuotaConfig;
  /** The token subject starting it: only they (or an admin) may cancel or resume the task. */
  createdBy: string;
  now: number;
};

/** Validates the file and starts the task; throws the documented 4xx before writing anything. */
export async function startImport(env: Env, c: Context<AppEnv>, input: StartImport): Promise<string> {
  const { upload, limits } = input;
  const inspection = inspectBytes(upload.bytes, upload.charset);
  if (!inspection.ok) throw new AppError(inspection.code, inspection.message);
  if (inspection.lines > limits.maxRows + 1) {
    throw new AppError("too_many_rows", `The file has ${inspection.lines} lines; at most ${limits.maxRows} rows (plus a header) are allowed.`);
  }
  const head = readHead(inspection.head, limits.maxColumns);
  if (!head.ok) throw new AppError(head.code, head.message);
  await checkImportQuotas(c.var.db, input.quotas, input.locationId, Math.max(0, inspection.lines - (head.info.hasHeader ? 1 : 0)), input.now);

  const taskId = `imp_${crypto.randomUUID()}`;
  const r2Key = `imports/${input.locationId}/${taskId}/original`;
  await env.UPLOADS.put(r2Key, upload.bytes, {
    httpMetadata: { contentType: upload.contentType },
    customMetadata: { taskId, listId: input.listId, locationId: input.locationId, fileName: upload.fileName ?? "" },
  });
  try {
    await c.var.db.insert(importTasks).values({
      id: taskId,
      listId: input.listId,
      locationId: input.locationId,
      mode: input.mode,
      createdBy: input.createdBy,
      fileName: upload.fileName,
      r2Key,
      byteSize: upload.bytes.byteLength,
      encoding: inspection.encoding,
      delimiter: head.info.delimiter,
      hasHeader: head.info.hasHeader,
      columns: head.info.columns,
      totalEstimate: inspection.lines,
      createdAt: input.now,
      updatedAt: input.now,
    });
    const message: ImportSplitMessage = { type: "import.split", task_id: taskId, generation: 0 };
    await env.IMPORT_QUEUE.send(message, { contentType: "json" });
  } catch (err) {
    // Leave nothing half-made: the client gets a 500 and can simply upload again.
    await c.var.db.delete(importTasks).where(eq(importTasks.id, taskId)).catch(() => undefined);
    await env.UPLOADS.delete(r2Key).catch(() => undefined);
    throw err;
  }
  return taskId;
}
