// The location's sync state from GET /locations/:id/sync-status, polled every second while a sync
// runs and every 20 s otherwise (the API gives this route no ETag; see the widget README section),
// paused while the page is hidden, backing off on errors. refresh() starts a sync (POST …/sync).
import { useCallback, useEffect, useRef, useState } from "react";
import type { SyncRunView } from "../../../shared/schemas/sync";
import type { Api, ApiError } from "../api/client";
import { settleTick, usePolling } from "./usePolling";

export type SyncBadgeState = "idle" | "syncing" | "error" | "never";

export type SyncStatusView = {
  syncing: boolean;
  lastSyncedAt: string | null;
  runs: SyncRunView[];
};

/** The account's request rate seen at each poll of the running sync (sum of its runs' current_rps). */
export type RpsSample = { at: number; rps: number };
const MAX_SAMPLES = 300;

const FAST_MS = 1000;
const SLOW_MS = 20_000;

/** idle / syncing / error (the latest contacts run failed) / never synced. */
export function badgeOf(s: SyncStatusView | null): { state: SyncBadgeState; message: string } {
  if (!s) return { state: "never", message: "" };
  if (s.syncing) return { state: "syncing", message: "" };
  const failed = s.runs.find((r) => r.status === "failed");
  if (failed) return { state: "error", message: failed.error?.message ?? "" };
  if (!s.lastSyncedAt && s.runs.length === 0) return { state: "never", message: "" };
  return { state: "idle", message: "" };
}

export function useSyncStatus(api: Api | null, locationId: string | null, visible: boolean, onFinished: () => void) {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [samples, setSamples] = useState<RpsSample[]>([]);
  const wasSyncing = useRef(false);
  const finishedRef = useRef(onFinished);
  useEffect(() => {
    finishedRef.current = onFinished;
  });

  const tick = useCallback(
    async (signal: AbortSignal) => {
      if (!api || !locationId) return "ok" as const;
      return settleTick(await api.syncStatus(locationId, { signal }), setError, (data) => {
        const next = { syncing: data.syncing, lastSyncedAt: data.last_synced_at, runs: data.runs };
        setStatus(next);
        if (next.syncing) {
          const rps = next.runs.reduce((sum, r) => sum + r.current_rps, 0);
          setSamples((old) => [...(wasSyncing.current ? old : []), { at: Date.now(), rps }].slice(-MAX_SAMPLES));
        }
        if (wasSyncing.current && !next.syncing) finishedRef.current();
        wasSyncing.current = next.syncing;
      });
    },
    [api, locationId],
  );

  const active = starting || status?.syncing === true;
  const poke = usePolling(tick, { enabled: visible && api !== null && locationId !== null, intervalMs: active ? FAST_MS : SLOW_MS });

  const refresh = useCallback(async () => {
    if (!api || !locationId) return;
    setStarting(true);
    setStartError(null);
    const out = await api.startSync(locationId);
    if (out.kind === "error") setStartError(out);
    else {
      if (!wasSyncing.current) setSamples([]);
      wasSyncing.current = true;
      setStatus((s) => (s ? { ...s, syncing: true } : { syncing: true, lastSyncedAt: null, runs: [] }));
    }
    setStarting(false);
    poke();
  }, [api, locationId, poke]);

  return { status, error, starting, startError, refresh, samples, badge: badgeOf(status) };
}
