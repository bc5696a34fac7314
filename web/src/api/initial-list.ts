// The first page of the default list, put into the query cache before React's first render when
// the boot script has already fetched it (api/prefetch.ts), so the app's first commit is the table
// itself rather than a loading state followed by the table (one render and one frame fewer,
// bench:web). It is the app's own list query (api/contact-list.ts) started early: the typed
// client reads the prefetched response, and if the page is late the app's query joins the same
// request instead of making another.
import type { QueryClient } from "@tanstack/react-query";
import type { SessionOutcome } from "../auth";
import { DEFAULT_SORTING } from "../table/sorting";
import { createApi } from "./client";
import { contactListQuery } from "./contact-list";
import { hasPrefetchedFirstPage } from "./prefetch";
import type { TableQuery } from "./query-keys";

/** How long the first render may wait for a first page that is still on its way. */
const MAX_WAIT_MS = 100;

/** The table state the widget opens with (no search, newest first): what the boot script asks for. */
const INITIAL_TABLE: TableQuery = { search: "", sorting: DEFAULT_SORTING };

export function prefetchInitialList(client: QueryClient, pending: SessionOutcome | Promise<SessionOutcome>): Promise<void> {
  if (pending instanceof Promise || !pending.ok || !pending.session.token || !hasPrefetchedFirstPage()) return Promise.resolve();
  const { token, locationId } = pending.session;
  // A refusal here is the app's to report: its own query fetches again on mount (a failed query has no data).
  const list = client.prefetchInfiniteQuery(contactListQuery(createApi(token, locationId), locationId, INITIAL_TABLE));
  const late = new Promise<void>((resolve) => setTimeout(resolve, MAX_WAIT_MS));
  return Promise.race([list, late]);
}
