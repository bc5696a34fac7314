// AppError carries one of the API's error codes; onError turns it into the one error body.
import { HTTPException } from "hono/http-exception";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "../../shared/schemas/errors";

export class AppError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: unknown;
  /** Sent as Retry-After (429s). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, retryAfterSeconds?: number) {
    super(ERROR_STATUS[code], { message });
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function errorBody(code: string, message: string, requestId?: string, details?: unknown): ErrorBody {
  const error: ErrorBody["error"] = { code, message };
  if (requestId) error.request_id = requestId;
  if (details !== undefined) error.details = details;
  return { success: false, error };
}
