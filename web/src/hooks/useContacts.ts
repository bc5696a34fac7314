// The contact list of the table's current state (search + sort) as an infinite query: the first
// page, then "load more" by cursor as the user scrolls. While the server reports a background sync
// the first page is asked again every few seconds with its ETag (304 when unchanged): a list of one
// page is refreshed in place, a longer one is left where the user scrolled and only told that
// newer data exists (a refresh link), so no rows are yanked away.
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Contact } from "../../../shared/schemas/contacts";
import type { Api } from "../api/client";
import { type ContactPage, type ContactPages, contactListQuery, firstPageOnly, readPage } from "../api/contact-list";
import { type TableQuery, queryKeys } from "../api/query-keys";
import { toApiSort } from "../table/sorting";

const POLL_MS = 3000;

/** Keyset pages do not overlap, but rows can move while a sync writes: keep ids unique. */
function rowsOf(pages: ContactPage[]): Contact[] {
  if (pages.length === 1) return pages[0]!.data.contacts;
  const seen = new Set<string>();
  const rows: Contact[] = [];
  for (const page of pages) {
    for (const contact of page.data.contacts) {
      if (seen.has(contact.id)) continue;
      seen.add(contact.id);
      rows.push(contact);
    }
  }
  return rows;
}

const syncingInBackground = (page: ContactPage | undefined) => page?.data.sync_status === "background";

export function useContacts(api: Api | null, locationId: string | null, table: TableQuery) {
  const client = useQueryClient();
  const list = useInfiniteQuery({
    ...contactListQuery(api, locationId, table),
    // The first list was fetched a moment ago (api/initial-list.ts): not again on mount.
    refetchOnMount: false,
    // A new search or sort keeps the old rows on screen until its first page is in.
    placeholderData: keepPreviousData,
    // One page: refetching the query is one request for the first page (with its ETag).
    refetchInterval: (query) => {
      const pages = query.state.data?.pages;
      return pages?.length === 1 && syncingInBackground(pages[0]) ? POLL_MS : false;
    },
  });
  // A list the user leaves keeps only its first page: coming back to it costs one request (that
  // page with its ETag), never one per page it had.
  useEffect(
    () => () => void client.setQueryData<ContactPages>(queryKeys.contactList(locationId, table), firstPageOnly),
    [client, locationId, table],
  );
  const pages = list.data?.pages;
  const first = pages?.[0];
  const latest = pages?.at(-1);

  // Several pages: only ask whether the first page changed (its ETag), and stop once it has.
  const deep = (pages?.length ?? 0) > 1 && !list.isPlaceholderData;
  const newer = useQuery({
    queryKey: queryKeys.newerFirstPage(locationId, table, first?.etag ?? null),
    queryFn: async ({ signal }): Promise<ContactPage | null> => {
      if (!api || !first) return null;
      const page = await readPage(api, locationId, table, null, first, signal);
      return page === first ? null : page;
    },
    enabled: deep && api !== null && syncingInBackground(latest),
    refetchInterval: (query) => (query.state.data ? false : POLL_MS),
  });
  const newerPage = deep ? (newer.data ?? null) : null;
  const meta = (newerPage ?? latest)?.data ?? null;

  // The first page again, alone (a 304 keeps the held one): after a sync, on "newer data", on Retry.
  const [reloads, setReloads] = useState(0);
  const refresh = useCallback(() => {
    if (!api) return;
    setReloads((n) => n + 1);
    void client.fetchInfiniteQuery({ ...contactListQuery(api, locationId, table), pages: 1, staleTime: 0 }).catch(() => {
      // The failure is the query's error, shown by the list.
    });
  }, [api, client, locationId, table]);

  const { hasNextPage, isFetching, isFetchNextPageError, fetchNextPage } = list;
  const loadMore = useCallback(
    (force = false) => {
      if (!hasNextPage || isFetching) return;
      if (isFetchNextPageError && !force) return; // after a failure, only the Retry button loads again
      void fetchNextPage();
    },
    [hasNextPage, isFetching, isFetchNextPageError, fetchNextPage],
  );
  const retryMore = useCallback(() => loadMore(true), [loadMore]);

  const contacts = useMemo(() => (pages ? rowsOf(pages) : []), [pages]);
  const shown = first?.table ?? null;
  return {
    /** loading: the first page of the current query is on its way (an older list's rows may still show). */
    status: list.isPending || list.isPlaceholderData ? ("loading" as const) : list.isError && !pages ? ("error" as const) : ("ready" as const),
    contacts,
    total: meta?.total ?? null,
    /** The table state whose rows are shown (null before the first answer): lets UI and tests tell lists apart. */
    shownQuery: shown ? { q: shown.search, ...toApiSort(shown.sorting) } : null,
    /** Changes when a new list replaces the rows (another search or sort, a reload): back to the top. */
    listVersion: `${shown ? JSON.stringify(shown) : ""}#${reloads}`,
    pages: pages?.length ?? 0,
    loadingMore: list.isFetchingNextPage,
    loadMoreError: isFetchNextPageError ? list.error : null,
    error: isFetchNextPageError ? null : list.error,
    newerAvailable: newerPage !== null,
    loadMore,
    retryMore,
    refresh,
  };
}
