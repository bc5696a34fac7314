// The typed API client. Paths, query names and the 200 body come from the Worker's own route types
// (hc<AppType>), so a renamed parameter or field is a compile error here, not a blank table.
// Only types cross the boundary: `import type` is erased, no Worker code is bundled.
import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";
import type { ContactListResponse, ContactSort } from "../../../shared/schemas/contacts";
import type { ErrorBody } from "../../../shared/schemas/errors";

export type SortOrder = "asc" | "desc";

export type ListParams = {
  locationId: string | null;
  q: string;
  sort: ContactSort;
  order: SortOrder;
  cursor: string | null;
  limit: number;
};

export type ApiError = {
  /** HTTP status; 0 when the request never got a response. */
  status: number;
  code: string;
  message: string;
};

export type ListOutcome =
  | { kind: "ok"; data: ContactListResponse; etag: string | null }
  | { kind: "not-modified" }
  | { kind: "aborted" }
  | ({ kind: "error" } & ApiError);

/** The error model of the API (shared/schemas/errors.ts), checked without pulling zod into the bundle. */
function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = value.error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error &&
    typeof error.code === "string" && typeof error.message === "string";
}

async function readError(res: { status: number; json(): Promise<unknown> }): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  if (isErrorBody(body)) return { status: res.status, code: body.error.code, message: body.error.message };
  return { status: res.status, code: "http_error", message: `HTTP ${res.status}` };
}

export function createApi(token: string) {
  const client = hc<AppType>(window.location.origin, { headers: { Authorization: `Bearer ${token}` } });
  const listEndpoint = client.api["get-location-contacts-fast"];

  return {
    /** One page of contacts. Pass the ETag of the previous identical request to get a cheap 304. */
    async listContacts(p: ListParams, opts: { etag?: string | null; signal?: AbortSignal } = {}): Promise<ListOutcome> {
      const query = {
        sort: p.sort,
        order: p.order,
        limit: String(p.limit),
        ...(p.q ? { q: p.q } : {}),
        ...(p.cursor ? { cursor: p.cursor } : {}),
        ...(p.locationId ? { location_id: p.locationId } : {}),
      };
      try {
        const res = await listEndpoint.$get(
          { query },
          { headers: opts.etag ? { "If-None-Match": opts.etag } : {}, init: { signal: opts.signal ?? null } },
        );
        if (res.status === 200) {
          return { kind: "ok", data: await res.json(), etag: res.headers.get("etag") };
        }
        // The route types only its 200; 304 and the error statuses come from HTTP itself.
        const status: number = res.status;
        if (status === 304) return { kind: "not-modified" };
        return { kind: "error", ...(await readError(res)) };
      } catch (err) {
        if (opts.signal?.aborted) return { kind: "aborted" };
        return { kind: "error", status: 0, code: "network_error", message: String(err) };
      }
    },
  };
}

export type Api = ReturnType<typeof createApi>;
