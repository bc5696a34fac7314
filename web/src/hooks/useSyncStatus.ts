// The location's sync state from GET /locations/:id/sync-status, polled every second while a sync
// runs and every 20 s otherwise (the API gives this route no ETag; see the widget README section),
// paused while the page is hidden, retried with backoff (api/query-client.ts). refresh() starts a
// sync (POST …/sync). When a sync ends, the runs panel is told to read again and `onFinished` runs.
import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import type { SyncStatusResponse } from "../../../shared/schemas/sync";
import type { Api } from "../api/client";
import { ApiFailure, dataOf } from "../api/http";
import { polling } from "../api/retry";
import { queryKeys } from "../api/query-keys";

export type SyncBadgeState = "idle" | "syncing" | "error" | "never";

export type SyncStatusView = Pick<SyncStatusResponse, "syncing" | "last_synced_at" | "runs" | "rate_limit_rps">;

/** The account's request rate seen at each poll of the running sync (sum of its runs' current_rps). */
export type RpsSample = { at: number; rps: number };
const MAX_SAMPLES = 300;

const FAST_MS = 1000;
const SLOW_MS = 20_000;
const NOT_STARTED = { pending: false, error: null };

/** idle / syncing / error (the latest contacts run failed) / never synced. */
function badgeOf(s: SyncStatusView | null): { state: SyncBadgeState; message: string } {
  if (!s) return { state: "never", message: "" };
  if (s.syncing) return { state: "syncing", message: "" };
  const failed = s.runs.find((r) => r.status === "failed");
  if (failed) return { state: "error", message: failed.error?.message ?? "" };
  if (!s.last_synced_at && s.runs.length === 0) return { state: "never", message: "" };
  return { state: "idle", message: "" };
}

export function useSyncStatus(api: Api | null, locationId: string | null, enabled: boolean, onFinished: () => void) {
  const client = useQueryClient();
  const key = queryKeys.syncStatus(locationId ?? "");
  // Starting a sync is one POST, not cached data: plain state (useMutation would add its observer
  // to the entry chunk, which is at the bundle budget; docs/benchmarks.md).
  const [start, setStart] = useState<{ pending: boolean; error: ApiFailure | null }>(NOT_STARTED);
  const status = useQuery({
    queryKey: key,
    queryFn: api && locationId ? ({ signal }) => dataOf(api.syncStatus(locationId, { signal })) : skipToken,
    enabled,
    retry: polling.retry,
    refetchInterval: polling.every((s: SyncStatusResponse | undefined) => (start.pending || s?.syncing ? FAST_MS : SLOW_MS)),
  });
  const data = status.data ?? null;
  const samples = useRpsSamples(data, status.dataUpdatedAt, locationId, onFinished);

  const refresh = async () => {
    if (!api || !locationId) return;
    setStart({ pending: true, error: null });
    try {
      await dataOf(api.startSync(locationId));
      // Shown as syncing at once; the poll (now every second) reads the real state right after.
      client.setQueryData<SyncStatusResponse>(key, (s) => s && { ...s, syncing: true });
      void client.invalidateQueries({ queryKey: key });
      setStart(NOT_STARTED);
    } catch (error) {
      setStart({ pending: false, error: error instanceof ApiFailure ? error : new ApiFailure({ status: 0, code: "error", message: String(error) }) });
    }
  };

  return {
    status: data,
    starting: start.pending,
    startError: start.error,
    refresh,
    samples,
    badge: badgeOf(data),
  };
}

/**
 * One sample per answer while a sync runs (a new sync starts a new series); and the end of a sync
 * noticed: the runs panel reads again and `onFinished` runs.
 */
function useRpsSamples(data: SyncStatusView | null, answeredAt: number, locationId: string | null, onFinished: () => void): RpsSample[] {
  const client = useQueryClient();
  const [samples, setSamples] = useState<RpsSample[]>([]);
  const wasSyncing = useRef(false);
  const finished = useEffectEvent(() => {
    if (locationId) void client.invalidateQueries({ queryKey: queryKeys.syncRunsAll(locationId) });
    onFinished();
  });
  useEffect(() => {
    if (!data) return;
    if (data.syncing) {
      const rps = data.runs.reduce((sum, r) => sum + r.current_rps, 0);
      const fresh = !wasSyncing.current;
      setSamples((old) => [...(fresh ? [] : old), { at: answeredAt, rps }].slice(-MAX_SAMPLES));
    } else if (wasSyncing.current) {
      finished();
    }
    wasSyncing.current = data.syncing;
  }, [data, answeredAt]);
  return samples;
}
