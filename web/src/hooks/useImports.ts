// The import tasks of the location (GET /contactlists/import-tasks), polled every second while one
// is queued or running and every 30 s otherwise; paused while hidden. start() is the documented flow:
// create a list → upload the file to it → the task appears in the list (docs/imports.md).
import { useCallback, useState } from "react";
import type { ImportMode } from "../../../shared/db/imports";
import type { ImportTaskView } from "../../../shared/schemas/imports";
import type { Api, ApiError } from "../api/client";
import { settleTick, usePolling } from "./usePolling";

const FAST_MS = 1000;
const SLOW_MS = 30_000;

const isActive = (task: ImportTaskView) => task.status === "queued" || task.status === "running";

export function useImports(api: Api, visible: boolean) {
  const [tasks, setTasks] = useState<ImportTaskView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [uploading, setUploading] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const tick = useCallback(
    async (signal: AbortSignal) => {
      return settleTick(await api.importTasks({ signal }), setError, (data) => setTasks(data.tasks));
    },
    [api],
  );
  const active = uploading || (tasks?.some(isActive) ?? false);
  const poke = usePolling(tick, { enabled: visible, intervalMs: active ? FAST_MS : SLOW_MS });

  const start = useCallback(
    async (file: File, mode: ImportMode): Promise<boolean> => {
      setUploading(true);
      setActionError(null);
      try {
        const list = await api.createList(file.name.slice(0, 200) || "import");
        if (list.kind !== "ok") {
          if (list.kind === "error") setActionError(list);
          return false;
        }
        const up = await api.upload(list.data.list.id, file, mode);
        if (up.kind !== "ok") {
          if (up.kind === "error") setActionError(up);
          return false;
        }
        return true;
      } finally {
        setUploading(false);
        poke();
      }
    },
    [api, poke],
  );

  const act = useCallback(
    async (run: () => Promise<{ kind: string } & Partial<ApiError>>) => {
      setActionError(null);
      const out = await run();
      if (out.kind === "error") setActionError({ status: out.status ?? 0, code: out.code ?? "error", message: out.message ?? "" });
      poke();
    },
    [poke],
  );
  const cancel = useCallback((id: string) => act(() => api.cancelTask(id)), [act, api]);
  const resume = useCallback((id: string) => act(() => api.resumeTask(id)), [act, api]);

  return { tasks, error, uploading, actionError, start, cancel, resume, retry: poke };
}
