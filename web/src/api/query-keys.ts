// Every query's key in one place. A key holds what its answer depends on, never the token: a
// renewed token (embed/SessionGate.tsx) keeps the cache, and the next request just carries it.
// The contact list's key carries the table's own state (search and sorting), as TanStack Table's
// with-tanstack-query example does: a new sort or search is a new query, an old one is cached.
import type { SortingState } from "@tanstack/react-table";

/** The table state the server applies: the (debounced) search and the sorting. */
export type TableQuery = { search: string; sorting: SortingState };

export const queryKeys = {
  contactList: (locationId: string | null, table: TableQuery) => ["contacts", locationId, "list", table] as const,
  /** Is there a first page newer than the one with this ETag? (asked while a long list is shown). */
  newerFirstPage: (locationId: string | null, table: TableQuery, etag: string | null) =>
    ["contacts", locationId, "newer", table, etag] as const,
  contact: (locationId: string | null, id: string) => ["contacts", locationId, "detail", id] as const,
  syncStatus: (locationId: string) => ["sync", locationId, "status"] as const,
  /** Every page size of the runs list (what a finished sync invalidates). */
  syncRunsAll: (locationId: string) => ["sync", locationId, "runs"] as const,
  syncRuns: (locationId: string, limit: number) => ["sync", locationId, "runs", limit] as const,
  importTasks: (locationId: string | null) => ["imports", locationId] as const,
};
