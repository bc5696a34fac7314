// The first page of the default list, read before React's first render when the boot script has
// already fetched it (api/prefetch.ts), so the app's first commit is the table itself rather than a
// loading state followed by the table (one render and one frame fewer, bench:web). Still the typed
// client's path: the prefetched response is read through hc like any other.
import type { SessionOutcome } from "../auth";
import { FIRST_PAGE_SIZE } from "../boot/first-page";
import type { ContactsQuery, InitialList } from "../hooks/useContacts";
import { DEFAULT_SORTING, toApiSort } from "../table/sorting";
import { createApi } from "./client";
import { hasPrefetchedFirstPage } from "./prefetch";

/** How long the first render may wait for a first page that is still on its way. */
const MAX_WAIT_MS = 100;

export function loadInitialList(pending: SessionOutcome | Promise<SessionOutcome>): Promise<InitialList | null> {
  if (pending instanceof Promise || !pending.ok || !pending.session.token || !hasPrefetchedFirstPage()) return Promise.resolve(null);
  const { token, locationId } = pending.session;
  const query: ContactsQuery = { locationId, q: "", ...toApiSort(DEFAULT_SORTING) };
  const list = createApi(token, locationId)
    .listContacts({ ...query, cursor: null, limit: FIRST_PAGE_SIZE })
    .then((out) => (out.kind === "ok" ? { data: out.data, etag: out.etag, query } : null));
  const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), MAX_WAIT_MS));
  return Promise.race([list, late]);
}
