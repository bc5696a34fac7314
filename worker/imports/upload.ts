// The upload: stream the file (multipart `file` or a raw text/csv body) through the inspector and
// into R2 at the same time, then record the task and queue its split. Nothing is held whole: the
// inspector keeps the head and counters, the R2 sink one part (5 MiB). Bad input is refused with
// its documented 4xx as soon as it shows (the size cap the moment it is passed); the R2 upload is
// then aborted and no task row is written, so a refusal changes nothing.
import { eq } from "drizzle-orm";
import { type ImportMode, importTasks } from "../../shared/db/imports";
import type { ImportSplitMessage } from "../../shared/schemas/messages-imports";
import type { Db } from "../env";
import { type Inspected, StreamInspector } from "./decode";
import type { ImportLimits } from "./limits";
import { type QuotaConfig, checkImportQuotas } from "./quotas";
import { R2Sink } from "./r2-sink";
import { type UploadBody, tooLarge } from "./upload-body";

export type StartImport = {
  locationId: string;
  listId: string;
  mode: ImportMode;
  limits: ImportLimits;
  quotas: QuotaConfig;
  /** The token subject starting it: only they (or an admin) may cancel or resume the task. */
  createdBy: string;
  now: number;
};

type Stored = { inspected: Inspected; byteSize: number };

/** Reads the whole body once: inspects it and stores it under `r2Key`, or throws and stores nothing. */
async function inspectAndStore(env: Env, upload: UploadBody, r2Key: string, limits: ImportLimits, custom: Record<string, string>): Promise<Stored> {
  let inspector: StreamInspector | null = null;
  let sink: R2Sink | null = null;
  const open = () => {
    // The file part's headers are parsed by the time its first byte (or its end) is seen.
    inspector ??= new StreamInspector(upload.meta.charset, limits);
    sink ??= new R2Sink(env.UPLOADS, r2Key, {
      httpMetadata: { contentType: upload.meta.contentType },
      customMetadata: { ...custom, fileName: upload.meta.fileName ?? "" },
    });
    return { inspector, sink };
  };
  let byteSize = 0;
  try {
    for await (const chunk of upload.chunks) {
      byteSize += chunk.length;
      if (byteSize > limits.maxBytes) throw tooLarge(limits.maxBytes);
      const { inspector, sink } = open();
      inspector.push(chunk);
      await sink.write(chunk);
    }
    const { inspector, sink } = open();
    const inspected = inspector.finish();
    await sink.finish();
    return { inspected, byteSize };
  } catch (err) {
    await (sink as R2Sink | null)?.abort();
    throw err;
  }
}

/** Validates the file while storing it and starts the task; throws the documented 4xx, writing nothing. */
export async function startImport(env: Env, db: Db, upload: UploadBody, input: StartImport): Promise<string> {
  const taskId = `imp_${crypto.randomUUID()}`;
  const r2Key = `imports/${input.locationId}/${taskId}/original`;
  const { inspected, byteSize } = await inspectAndStore(env, upload, r2Key, input.limits, { taskId, listId: input.listId, locationId: input.locationId });
  try {
    // Its rows are known now: a file the location's quotas cannot take is refused, and not kept.
    const rows = Math.max(0, inspected.lines - (inspected.info.hasHeader ? 1 : 0));
    await checkImportQuotas(db, input.quotas, input.locationId, rows, input.now);
  } catch (err) {
    await env.UPLOADS.delete(r2Key).catch(() => undefined);
    throw err;
  }
  try {
    await db.insert(importTasks).values({
      id: taskId,
      listId: input.listId,
      locationId: input.locationId,
      mode: input.mode,
      createdBy: input.createdBy,
      fileName: upload.meta.fileName,
      r2Key,
      byteSize,
      encoding: inspected.encoding,
      delimiter: inspected.info.delimiter,
      hasHeader: inspected.info.hasHeader,
      columns: inspected.info.columns,
      totalEstimate: inspected.lines,
      createdAt: input.now,
      updatedAt: input.now,
    });
    const message: ImportSplitMessage = { type: "import.split", task_id: taskId, generation: 0 };
    await env.IMPORT_QUEUE.send(message, { contentType: "json" });
  } catch (err) {
    // Leave nothing half-made: the client gets a 500 and can simply upload again.
    await db.delete(importTasks).where(eq(importTasks.id, taskId)).catch(() => undefined);
    await env.UPLOADS.delete(r2Key).catch(() => undefined);
    throw err;
  }
  return taskId;
}
