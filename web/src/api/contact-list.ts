// The contact list as a TanStack infinite query: one page per cursor, the first page small (first
// paint) and later ones bigger. Asking again for a first page already held sends its ETag, and a
// 304 serves the held page: a poll or a reload of an unchanged list costs no body. Shared by the
// app (hooks/useContacts.ts) and the start-up prefetch (api/initial-list.ts), so both fetch, and
// cache under, exactly the same query.
import { type InfiniteData, type QueryClient, infiniteQueryOptions, skipToken } from "@tanstack/react-query";
import type { ContactListResponse } from "../../../shared/schemas/contacts";
import { FIRST_PAGE_SIZE } from "../boot/first-page";
import { toApiSort } from "../table/sorting";
import type { Api, ListParams } from "./client";
import { ApiFailure } from "./http";
import { type TableQuery, queryKeys } from "./query-keys";

/** Later pages are bigger, so deep scrolling needs fewer round trips. */
const MORE_PAGE_SIZE = 500;

/** One page as answered, with its ETag and the table state it answers (the UI tells lists apart by it). */
export type ContactPage = { data: ContactListResponse; etag: string | null; table: TableQuery };
export type ContactPages = InfiniteData<ContactPage, string | null>;

/** The first page alone (of a list the user has left). */
export function firstPageOnly(data: ContactPages | undefined): ContactPages | undefined {
  return data && data.pages.length > 1 ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data;
}

function paramsOf(locationId: string | null, table: TableQuery, cursor: string | null): ListParams {
  return { locationId, q: table.search, ...toApiSort(table.sorting), cursor, limit: cursor ? MORE_PAGE_SIZE : FIRST_PAGE_SIZE };
}

/**
 * One page. `held` is the first page already cached: its ETag goes along, and a 304 answers with
 * it. Query functions return data or throw (ApiFailure).
 */
export async function readPage(
  api: Api,
  locationId: string | null,
  table: TableQuery,
  cursor: string | null,
  held: ContactPage | undefined,
  signal: AbortSignal,
): Promise<ContactPage> {
  const out = await api.listContacts(paramsOf(locationId, table, cursor), { etag: held?.etag ?? null, signal });
  if (out.kind === "ok") return { data: out.data, etag: out.etag, table };
  if (out.kind === "not-modified" && held) return held;
  if (out.kind === "error") throw new ApiFailure(out);
  throw new ApiFailure({ status: 0, code: out.kind, message: `The list request ended without a page (${out.kind}).` });
}

/** The list query of one table state. `api` null (no token): the query stays idle. */
export function contactListQuery(api: Api | null, locationId: string | null, table: TableQuery) {
  return infiniteQueryOptions({
    queryKey: queryKeys.contactList(locationId, table),
    queryFn: api
      ? ({ pageParam, signal, client, queryKey }) => {
          const held = pageParam === null ? heldFirstPage(client, queryKey) : undefined;
          return readPage(api, locationId, table, pageParam, held, signal);
        }
      : skipToken,
    initialPageParam: null as string | null,
    getNextPageParam: (last: ContactPage) => last.data.next_cursor,
    // A first page alone is always worth asking again (a 304 when unchanged): on coming back to
    // this search or sort, or to the page. Several pages are never refetched at once (Query would
    // ask for every one of them): the poll checks their first page instead (hooks/useContacts.ts).
    staleTime: (query) => ((query.state.data?.pages.length ?? 0) > 1 ? Infinity : 0),
  });
}

function heldFirstPage(client: QueryClient, key: readonly unknown[]): ContactPage | undefined {
  return client.getQueryData<ContactPages>(key)?.pages[0];
}
