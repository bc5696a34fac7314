// The last sync runs (GET /locations/:id/sync-runs): every 3 s while a sync runs, every minute
// otherwise, and at once when a sync finishes (hooks/useSyncStatus.ts invalidates them). Paused
// while the page is hidden and retried with backoff (api/query-client.ts).
import { useQuery } from "@tanstack/react-query";
import type { Api } from "../api/client";
import { dataOf } from "../api/http";
import { polling } from "../api/retry";
import { queryKeys } from "../api/query-keys";

const RUNS = 12;

export function useSyncRuns(api: Api, locationId: string, syncing: boolean) {
  const runs = useQuery({
    queryKey: queryKeys.syncRuns(locationId, RUNS),
    queryFn: ({ signal }) => dataOf(api.syncRuns(locationId, RUNS, { signal })),
    select: (data) => data.runs,
    retry: polling.retry,
    refetchInterval: polling.every(() => (syncing ? 3000 : 60_000)),
  });
  return { runs: runs.data ?? null, error: runs.error ?? runs.failureReason, retry: () => void runs.refetch() };
}
