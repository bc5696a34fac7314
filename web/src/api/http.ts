// The one error model of the API as the widget sees it, the step that turns an hc response into an
// outcome (ok / error / aborted) so no caller sees a thrown fetch or an unread 4xx, and the step
// back to a thrown ApiFailure for TanStack Query (api/query-client.ts), which wants query
// functions to return data or throw.
import type { ErrorBody } from "../../../shared/schemas/errors";

export type ApiError = {
  /** HTTP status; 0 when the request never got a response. */
  status: number;
  code: string;
  message: string;
};

export type Outcome<T> = { kind: "ok"; data: T } | { kind: "aborted" } | ({ kind: "error" } & ApiError);

/** The error model of the API (shared/schemas/errors.ts), checked without pulling zod into the bundle. */
function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = value.error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error &&
    typeof error.code === "string" && typeof error.message === "string";
}

export async function readError(res: { status: number; json(): Promise<unknown> }): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  if (isErrorBody(body)) return { status: res.status, code: body.error.code, message: body.error.message };
  return { status: res.status, code: "http_error", message: `HTTP ${res.status}` };
}

type TypedResponse<T> = { ok: boolean; status: number; json(): Promise<T> };

/**
 * Awaits an hc call. The routes type their success body only (errors are thrown into onError), so a
 * 2xx reads as that body and anything else as the shared error shape.
 */
export async function settle<T>(request: Promise<TypedResponse<T>>, signal?: AbortSignal): Promise<Outcome<T>> {
  try {
    const res = await request;
    if (res.ok) return { kind: "ok", data: await res.json() };
    return { kind: "error", ...(await readError(res)) };
  } catch (err) {
    if (signal?.aborted) return { kind: "aborted" };
    return { kind: "error", status: 0, code: "network_error", message: String(err) };
  }
}

/** An API error as a thrown value: what query functions throw and what `query.error` holds. */
export class ApiFailure extends Error implements ApiError {
  readonly status: number;
  readonly code: string;

  constructor(error: ApiError) {
    super(error.message);
    this.name = "ApiFailure";
    this.status = error.status;
    this.code = error.code;
  }
}

const CANCELLED: ApiError = { status: 0, code: "aborted", message: "The request was cancelled." };

/** The data of an outcome, or its error thrown (a cancelled request is never shown: Query drops it). */
export async function dataOf<T>(pending: Promise<Outcome<T>>): Promise<T> {
  const out = await pending;
  if (out.kind === "ok") return out.data;
  throw new ApiFailure(out.kind === "error" ? out : CANCELLED);
}
