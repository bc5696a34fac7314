// The typed API client. Paths, query names and the bodies come from the Worker's own route types
// (hc<AppType>), so a renamed parameter or field is a compile error here, not a blank table.
// Only types cross the boundary: `import type` is erased, no Worker code is bundled.
import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";
import type { ContactListResponse, ContactSort } from "../../../shared/schemas/contacts";
import { type ApiError, readError, settle } from "./http";
import { fetchWithPrefetch } from "./prefetch";

export type { ApiError, Outcome } from "./http";
export type SortOrder = "asc" | "desc";

export type ListParams = {
  locationId: string | null;
  q: string;
  sort: ContactSort;
  order: SortOrder;
  cursor: string | null;
  limit: number;
};

export type ListOutcome =
  | { kind: "ok"; data: ContactListResponse; etag: string | null }
  | { kind: "not-modified" }
  | { kind: "aborted" }
  | ({ kind: "error" } & ApiError);

export type Opts = { signal?: AbortSignal };
export const init = (o: Opts) => ({ init: { signal: o.signal ?? null } });

/** Calls `onRefused` whenever the API answers 401 (the token expired or was revoked). */
function watchingRefusals(send: typeof fetch, onRefused: (() => void) | undefined): typeof fetch {
  if (!onRefused) return send;
  return async (input, init) => {
    const res = await send(input, init);
    if (res.status === 401) onRefused();
    return res;
  };
}

export function createApi(token: string, locationId: string | null, opts: { onRefused?: () => void } = {}) {
  const plainFetch = watchingRefusals((input, init) => fetch(input, init), opts.onRefused);
  const firstPageFetch = watchingRefusals(fetchWithPrefetch, opts.onRefused);
  const client = hc<AppType>(window.location.origin, { headers: { Authorization: `Bearer ${token}` }, fetch: plainFetch });
  const api = client.api;
  const loc = locationId ? { location_id: locationId } : {};

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
        const res = await api["get-location-contacts-fast"].$get(
          { query },
          { headers: opts.etag ? { "If-None-Match": opts.etag } : {}, init: { signal: opts.signal ?? null }, fetch: firstPageFetch },
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

    /** A contact with its tasks, notes, conversations and opportunities. */
    contact: (id: string, o: Opts = {}) => settle(api.contacts[":id"].$get({ param: { id }, query: loc }, init(o)), o.signal),

    startSync: (location: string) => settle(api.locations[":id"].sync.$post({ param: { id: location }, json: {} })),
    syncStatus: (location: string, o: Opts = {}) =>
      settle(api.locations[":id"]["sync-status"].$get({ param: { id: location } }, init(o)), o.signal),
    syncRuns: (location: string, limit: number, o: Opts = {}) =>
      settle(api.locations[":id"]["sync-runs"].$get({ param: { id: location }, query: { limit: String(limit) } }, init(o)), o.signal),

    /** The typed routes and the location query, for the import panel's calls (api/imports-api.ts, a lazy chunk). */
    routes: { api, loc },
  };
}

export type Api = ReturnType<typeof createApi>;
