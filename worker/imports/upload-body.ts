// The uploaded file as a stream of byte chunks, from a raw text/csv body or from the `file` part
// of a multipart/form-data body, never buffered whole. multipart/form-data is parsed as it streams
// by multipasta: the fetch API's formData() and the maintained successor of
// @mjackson/multipart-parser (@remix-run/multipart-parser 0.16) both hold each part whole in
// memory, while multipasta hands a file part over chunk by chunk. It runs on any runtime with web
// streams, has no dependencies, and is maintained with Effect's platform packages, which use it.
import { type MultipartError, type PartInfo, make as makeMultipart } from "multipasta";
import { AppError } from "../http/errors";

const RAW_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream", "text/tab-separated-values"];
/** Multipart framing around the file: boundaries, part headers, small fields. */
const MULTIPART_SLACK = 64 * 1024;

export type UploadMeta = { fileName: string | null; charset: string | undefined; contentType: string };

/** `meta` is complete once the first chunk has been read (or the stream has ended). */
export type UploadBody = { meta: UploadMeta; chunks: AsyncGenerator<Uint8Array> };

function charsetOf(contentType: string): string | undefined {
  return /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError("file_too_large", `The file is larger than ${maxBytes} bytes (IMPORT_MAX_BYTES).`);
}

function invalidBody(message = "The multipart body could not be read."): AppError {
  return new AppError("invalid_body", message);
}

async function* rawChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.length) yield value;
    }
  } finally {
    // Stopping early (a refusal) leaves the rest of the body unread.
    await reader.cancel().catch(() => undefined);
  }
}

/** The bytes of the first file part named `file`; other parts are skipped. */
async function* fileChunks(body: ReadableStream<Uint8Array> | null, contentType: string, meta: UploadMeta, maxBodyBytes: number): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let found = false;
  let fileEnded = false;
  let error: MultipartError | null = null;
  const parser = makeMultipart({
    headers: { "content-type": contentType },
    maxParts: 100,
    maxFieldSize: MULTIPART_SLACK,
    onField() {},
    onFile(info: PartInfo) {
      if (found || info.name !== "file") return () => {};
      found = true;
      meta.fileName = info.filename || null;
      meta.contentType = info.contentType || "text/csv";
      meta.charset = info.contentTypeParameters.charset;
      return (chunk) => {
        if (chunk === null) fileEnded = true;
        else if (chunk.length) queue.push(chunk);
      };
    },
    onError(e) {
      error = e;
    },
    onDone() {},
  });
  let bodyBytes = 0;
  for await (const chunk of rawChunks(body)) {
    if (error) break;
    bodyBytes += chunk.length;
    if (bodyBytes > maxBodyBytes && !fileEnded) throw tooLarge(maxBodyBytes - MULTIPART_SLACK);
    parser.write(chunk);
    // The parser hands over what this chunk held; pass it on before reading more.
    while (queue.length) yield queue.shift() as Uint8Array;
    if (fileEnded) return;
  }
  if (!error) parser.end();
  while (queue.length) yield queue.shift() as Uint8Array;
  if (error) throw invalidBody();
  if (!found) throw invalidBody("Send the CSV as the multipart field 'file'.");
  if (!fileEnded) throw invalidBody();
}

/** Opens the request body; refuses unknown media types and a declared length over the cap. */
export function openUpload(request: Request, maxBytes: number): UploadBody {
  const contentType = request.headers.get("content-type") ?? "";
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "multipart/form-data") {
    if (declared > maxBytes + MULTIPART_SLACK) throw tooLarge(maxBytes);
    const meta: UploadMeta = { fileName: null, charset: undefined, contentType: "text/csv" };
    return { meta, chunks: fileChunks(request.body, contentType, meta, maxBytes + MULTIPART_SLACK) };
  }
  if (!RAW_TYPES.includes(mediaType)) {
    throw new AppError("unsupported_media_type", "Send multipart/form-data with a 'file' field, or a raw text/csv body.");
  }
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const meta = { fileName: request.headers.get("x-file-name"), charset: charsetOf(contentType), contentType: mediaType };
  return { meta, chunks: rawChunks(request.body) };
}
