// The contact list of one query (search + sort): first page, infinite "load more" by cursor, and a
// cheap ETag re-poll of the first page while the server reports a background sync.
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react";
import type { Contact, ContactListResponse, ContactSort } from "../../../shared/schemas/contacts";
import type { Api, ApiError, ListParams, SortOrder } from "../api/client";
import { FIRST_PAGE_SIZE } from "../boot/first-page";

/** The first page is small (first paint); later pages are bigger, so deep scrolling needs fewer round trips. */
export const PAGE_SIZE = FIRST_PAGE_SIZE;
export const MORE_PAGE_SIZE = 500;
const POLL_MS = 3000;

export type ContactsQuery = { locationId: string | null; q: string; sort: ContactSort; order: SortOrder };
/** A first page already read before the first render (api/initial-list.ts). */
export type InitialList = { data: ContactListResponse; etag: string | null; query: ContactsQuery };
export type SyncMeta = Pick<ContactListResponse, "total" | "sync_status" | "last_synced_at" | "message">;

export type ContactsState = {
  /** loading: the first page of the current query is on its way (older rows may still show). */
  status: "loading" | "ready" | "error";
  contacts: Contact[];
  meta: SyncMeta | null;
  nextCursor: string | null;
  /** ETag of the current query's first page, for If-None-Match polling. */
  etag: string | null;
  pages: number;
  /** The query whose first page is shown (null before the first answer): lets UI/tests tell lists apart. */
  shownQuery: ContactsQuery | null;
  /** Bumped when a new list replaces the old one, so the table can scroll back to the top. */
  listVersion: number;
  loadingMore: boolean;
  loadMoreError: ApiError | null;
  error: ApiError | null;
  /** A poll found changes but the user has paged past the first page: offer a refresh, don't yank rows. */
  newerAvailable: boolean;
};

type Action =
  | { type: "reset" }
  | { type: "first"; data: ContactListResponse; etag: string | null; query: ContactsQuery }
  | { type: "polled"; data: ContactListResponse; etag: string | null }
  | { type: "more-start" }
  | { type: "more"; data: ContactListResponse }
  | { type: "more-failed"; error: ApiError }
  | { type: "failed"; error: ApiError };

const initialState: ContactsState = {
  status: "loading",
  contacts: [],
  meta: null,
  nextCursor: null,
  etag: null,
  shownQuery: null,
  pages: 0,
  listVersion: 0,
  loadingMore: false,
  loadMoreError: null,
  error: null,
  newerAvailable: false,
};

function metaOf(d: ContactListResponse): SyncMeta {
  return { total: d.total, sync_status: d.sync_status, last_synced_at: d.last_synced_at, message: d.message };
}

function reducer(s: ContactsState, a: Action): ContactsState {
  switch (a.type) {
    case "reset":
      return { ...s, status: "loading", error: null, loadingMore: false, loadMoreError: null };
    case "first":
      return {
        ...initialState,
        status: "ready",
        contacts: a.data.contacts,
        meta: metaOf(a.data),
        nextCursor: a.data.next_cursor,
        etag: a.etag,
        shownQuery: a.query,
        pages: 1,
        listVersion: s.listVersion + 1,
      };
    case "polled":
      if (s.pages <= 1) {
        return { ...s, contacts: a.data.contacts, meta: metaOf(a.data), nextCursor: a.data.next_cursor, etag: a.etag };
      }
      return { ...s, meta: metaOf(a.data), etag: a.etag, newerAvailable: true };
    case "more-start":
      return { ...s, loadingMore: true, loadMoreError: null };
    case "more": {
      // Keyset pages do not overlap, but rows can move while a sync writes; keep ids unique.
      const seen = new Set(s.contacts.map((c) => c.id));
      const added = a.data.contacts.filter((c) => !seen.has(c.id));
      return {
        ...s,
        contacts: added.length ? [...s.contacts, ...added] : s.contacts,
        meta: metaOf(a.data),
        nextCursor: a.data.next_cursor,
        pages: s.pages + 1,
        loadingMore: false,
      };
    }
    case "more-failed":
      return { ...s, loadingMore: false, loadMoreError: a.error };
    case "failed":
      return { ...s, status: "error", error: a.error, loadingMore: false };
  }
}

function sameQuery(a: ContactsQuery, b: ContactsQuery): boolean {
  return a.locationId === b.locationId && a.q === b.q && a.sort === b.sort && a.order === b.order;
}

export function useContacts(api: Api | null, query: ContactsQuery, pageVisible: boolean, initial: InitialList | null = null) {
  const [state, dispatch] = useReducer(reducer, initial, (given) =>
    given ? reducer(initialState, { type: "first", data: given.data, etag: given.etag, query: given.query }) : initialState,
  );
  // Used once: the first query's page is already shown, so its first fetch is skipped.
  const initialRef = useRef(initial);
  const [reloadTick, setReloadTick] = useState(0);
  const { locationId, q, sort, order } = query;

  // Callbacks read the latest state through a ref so they stay stable for the scroll handler.
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  });
  // Each query gets a generation; answers for an older one are dropped (and its requests aborted).
  const genRef = useRef(0);
  const abortRef = useRef<AbortController | null>(null);
  const moreInFlight = useRef(false);

  const paramsFor = useCallback(
    (cursor: string | null): ListParams => ({ locationId, q, sort, order, cursor, limit: cursor ? MORE_PAGE_SIZE : PAGE_SIZE }),
    [locationId, q, sort, order],
  );

  useEffect(() => {
    if (!api) return;
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    const gen = ++genRef.current;
    moreInFlight.current = false;
    const params = paramsFor(null);
    const shown: ContactsQuery = { locationId: params.locationId, q: params.q, sort: params.sort, order: params.order };
    const given = initialRef.current;
    initialRef.current = null;
    if (given && sameQuery(given.query, shown)) return () => ctrl.abort();
    dispatch({ type: "reset" });
    void api.listContacts(params, { signal: ctrl.signal }).then((out) => {
      if (gen !== genRef.current) return;
      if (out.kind === "ok") dispatch({ type: "first", data: out.data, etag: out.etag, query: shown });
      else if (out.kind === "error") dispatch({ type: "failed", error: out });
    });
    return () => ctrl.abort();
  }, [api, paramsFor, reloadTick]);

  const loadMore = useCallback(
    (force = false) => {
      const s = stateRef.current;
      if (!api || s.status !== "ready" || !s.nextCursor || moreInFlight.current) return;
      if (s.loadMoreError && !force) return; // after a failure, only the Retry button loads again
      moreInFlight.current = true;
      const gen = genRef.current;
      dispatch({ type: "more-start" });
      void api.listContacts(paramsFor(s.nextCursor), { signal: abortRef.current?.signal }).then((out) => {
        if (gen !== genRef.current) return;
        moreInFlight.current = false;
        if (out.kind === "ok") dispatch({ type: "more", data: out.data });
        else if (out.kind === "error" && out.status === 401) dispatch({ type: "failed", error: out });
        else if (out.kind === "error") dispatch({ type: "more-failed", error: out });
      });
    },
    [api, paramsFor],
  );

  const polling = api !== null && pageVisible && state.status === "ready" && state.meta?.sync_status === "background";

  useEffect(() => {
    if (!polling || !api) return;
    const ctrl = new AbortController();
    const gen = genRef.current;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      const out = await api.listContacts(paramsFor(null), { etag: stateRef.current.etag, signal: ctrl.signal });
      if (ctrl.signal.aborted || gen !== genRef.current) return;
      if (out.kind === "ok") dispatch({ type: "polled", data: out.data, etag: out.etag });
      else if (out.kind === "error" && out.status === 401) return dispatch({ type: "failed", error: out });
      // 304 (unchanged) and transient errors: just ask again later. A status change ends this effect.
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [polling, api, paramsFor]);

  const refresh = useCallback(() => setReloadTick((n) => n + 1), []);
  const retryMore = useCallback(() => loadMore(true), [loadMore]);

  return { ...state, polling, loadMore, retryMore, refresh };
}
