// One contact with its related records (GET /api/contacts/:id). The first open of a contact may
// wait up to ~5 s while the Worker fetches its tasks and notes from the CRM.
import { useQuery } from "@tanstack/react-query";
import type { ContactDetailResponse } from "../../../shared/schemas/contacts";
import type { Api, ApiError } from "../api/client";
import { dataOf } from "../api/http";
import { queryKeys } from "../api/query-keys";

export type DetailState =
  | { status: "loading" }
  | { status: "ready"; data: ContactDetailResponse }
  | { status: "error"; error: ApiError };

export function useContactDetail(api: Api, locationId: string | null, id: string): { detail: DetailState; retry: () => void } {
  const query = useQuery({
    queryKey: queryKeys.contact(locationId, id),
    queryFn: ({ signal }) => dataOf(api.contact(id, { signal })),
  });
  const detail: DetailState = query.isSuccess
    ? { status: "ready", data: query.data }
    : query.isError
      ? { status: "error", error: query.error }
      : { status: "loading" };
  return { detail, retry: () => void query.refetch() };
}
