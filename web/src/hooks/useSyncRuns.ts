// The last sync runs (GET /locations/:id/sync-runs): every 3 s while a sync runs, every minute
// otherwise, and at once when a sync finishes (version changes). Paused while the page is hidden.
import { useCallback, useEffect, useState } from "react";
import type { SyncRunView } from "../../../shared/schemas/sync";
import type { Api, ApiError } from "../api/client";
import { settleTick, usePolling } from "./usePolling";

const RUNS = 12;

export function useSyncRuns(api: Api, locationId: string, opts: { visible: boolean; syncing: boolean; version: number }) {
  const [runs, setRuns] = useState<SyncRunView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const tick = useCallback(
    async (signal: AbortSignal) => {
      return settleTick(await api.syncRuns(locationId, RUNS, { signal }), setError, (data) => setRuns(data.runs));
    },
    [api, locationId],
  );
  const poke = usePolling(tick, { enabled: opts.visible, intervalMs: opts.syncing ? 3000 : 60_000 });
  useEffect(() => {
    if (opts.version > 0) poke();
  }, [opts.version, poke]);
  return { runs, error, retry: poke };
}
