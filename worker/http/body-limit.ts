// Request bodies are capped before anything reads them: 16 KB on the unauthenticated token
// exchanges (/api/auth/*), 256 KB on upstream webhooks (/api/webhooks/*: an AmoCRM delivery may
// carry many records), 64 KB on every other JSON route. CSV uploads are the exception: they are
// streamed to R2 with IMPORT_MAX_BYTES enforced while streaming (worker/imports/upload.ts).
// Content-Length is checked first; a body without one is counted as it is read.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "./errors";

export const AUTH_BODY_MAX = 16 * 1024;
export const JSON_BODY_MAX = 64 * 1024;
export const WEBHOOK_BODY_MAX = 256 * 1024;
/** Routes whose body is a file, streamed under its own cap. */
export const STREAMED_UPLOAD = /^\/api\/contactlists\/[^/]+\/import(?:-fast)?\/?$/;

function limit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError("payload_too_large", `The request body is larger than ${maxSize} bytes.`);
    },
  });
}

const authLimit = limit(AUTH_BODY_MAX);
const jsonLimit = limit(JSON_BODY_MAX);
const webhookLimit = limit(WEBHOOK_BODY_MAX);

export function maxBodyFor(path: string): number | null {
  if (STREAMED_UPLOAD.test(path)) return null;
  if (path.startsWith("/api/auth/")) return AUTH_BODY_MAX;
  return path.startsWith("/api/webhooks/") ? WEBHOOK_BODY_MAX : JSON_BODY_MAX;
}

export const bodyLimits = createMiddleware<AppEnv>(async (c, next) => {
  const max = maxBodyFor(c.req.path);
  if (max === null) return next();
  return (max === AUTH_BODY_MAX ? authLimit : max === WEBHOOK_BODY_MAX ? webhookLimit : jsonLimit)(c, next);
});
