// Table sorting state <-> the API's sort/order parameters. The sortable columns' ids are the API's
// sort keys, so the mapping is a checked lookup rather than a string cast.
import type { SortingState } from "@tanstack/react-table";
import type { ContactSort } from "../../../shared/schemas/contacts";
import type { SortOrder } from "../api/client";

const SORT_KEYS: Record<ContactSort, true> = { name: true, date_added: true, date_updated: true };

function isContactSort(id: string): id is ContactSort {
  return Object.hasOwn(SORT_KEYS, id);
}

/** The server's default order: newest first. */
export const DEFAULT_SORTING: SortingState = [{ id: "date_added", desc: true }];

export function toApiSort(sorting: SortingState): { sort: ContactSort; order: SortOrder } {
  const first = sorting[0];
  if (!first || !isContactSort(first.id)) return { sort: "date_added", order: "desc" };
  return { sort: first.id, order: first.desc ? "desc" : "asc" };
}
