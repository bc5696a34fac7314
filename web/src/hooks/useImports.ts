// The import tasks of the location (GET /contactlists/import-tasks), polled every second while one
// is queued or running and every 30 s otherwise; paused while hidden, retried with backoff
// (api/query-client.ts). Actions are one mutation, so the error shown is the last action's: start
// is the documented flow (create a list → upload the file to it → the task appears in the list,
// docs/imports.md), cancel and resume act on a task. Each ends by reading the tasks again.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { ImportMode } from "../../../shared/db/imports";
import type { ImportTaskView } from "../../../shared/schemas/imports";
import type { Api } from "../api/client";
import { importsApi } from "../api/imports-api";
import { dataOf } from "../api/http";
import { polling } from "../api/retry";
import { queryKeys } from "../api/query-keys";

const FAST_MS = 1000;
const SLOW_MS = 30_000;

const isActive = (task: ImportTaskView) => task.status === "queued" || task.status === "running";

type Action = { kind: "start"; file: File; mode: ImportMode } | { kind: "cancel" | "resume"; taskId: string };

type ImportsApi = ReturnType<typeof importsApi>;

async function run(api: ImportsApi, action: Action): Promise<unknown> {
  if (action.kind !== "start") return dataOf(action.kind === "cancel" ? api.cancelTask(action.taskId) : api.resumeTask(action.taskId));
  const list = await dataOf(api.createList(action.file.name.slice(0, 200) || "import"));
  return dataOf(api.upload(list.list.id, action.file, action.mode));
}

export function useImports(client: Api, locationId: string | null) {
  const api = useMemo(() => importsApi(client), [client]);
  const queries = useQueryClient();
  const key = queryKeys.importTasks(locationId);
  const act = useMutation({
    mutationFn: (action: Action) => run(api, action),
    onSettled: () => queries.invalidateQueries({ queryKey: key }),
  });
  const uploading = act.isPending && act.variables?.kind === "start";
  const tasks = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => dataOf(api.importTasks({ signal })),
    select: (data) => data.tasks,
    retry: polling.retry,
    refetchInterval: polling.every((data: { tasks: ImportTaskView[] } | undefined) =>
      uploading || (data?.tasks.some(isActive) ?? false) ? FAST_MS : SLOW_MS,
    ),
  });

  return {
    tasks: tasks.data ?? null,
    error: tasks.error ?? tasks.failureReason,
    uploading,
    actionError: act.error,
    /** Resolves true once the file is uploaded (its task then shows in the list). */
    start: (file: File, mode: ImportMode): Promise<boolean> =>
      act.mutateAsync({ kind: "start", file, mode }).then(
        () => true,
        () => false,
      ),
    cancel: (taskId: string) => act.mutate({ kind: "cancel", taskId }),
    resume: (taskId: string) => act.mutate({ kind: "resume", taskId }),
    retry: () => void tasks.refetch(),
    rejects: api.rejects,
  };
}
