// Starting a sync over the HTTP API and waiting for its runs, for the CLI and the benches.
import type { SyncRequest, SyncRunView } from "../../shared/schemas/sync";

async function call<T>(url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${body === undefined ? "GET" : "POST"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Starts the sync and polls its runs (250 ms) until every one of them has ended. */
export async function syncAndWait(apiUrl: string, token: string, locationId: string, request: SyncRequest): Promise<SyncRunView[]> {
  const started = await call<{ runs: { run_id: string }[] }>(`${apiUrl}/api/locations/${locationId}/sync`, token, request);
  const ids = new Set(started.runs.map((r) => r.run_id));
  for (;;) {
    const { runs } = await call<{ runs: SyncRunView[] }>(`${apiUrl}/api/locations/${locationId}/sync-runs?limit=50`, token);
    const ours = runs.filter((r) => ids.has(r.id));
    if (ours.length === ids.size && ours.every((r) => r.status !== "queued" && r.status !== "running")) return ours;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

type Entities = Record<string, { seen: number; matched: number; created: number; updated: number }>;

/** The metrics block of a filtered import, as text (the origin printed one; this one is exact). */
export function metricsBlock(run: SyncRunView): string {
  const m = (run.metrics ?? {}) as { entities?: Entities; per_entity_requests?: number; duration_ms?: number; avg_rps?: number; peak_rps?: number; dry_run?: boolean };
  const lines = [
    `run ${run.id} (${run.kind}, ${run.mode}${m.dry_run ? ", dry run: nothing written" : ""}): ${run.status}${run.error ? ` (${run.error.code}: ${run.error.message})` : ""}`,
    "entity     seen  matched  created  updated",
  ];
  for (const [name, e] of Object.entries(m.entities ?? {})) {
    lines.push(`${name.padEnd(9)} ${String(e.seen).padStart(5)} ${String(e.matched).padStart(8)} ${String(e.created).padStart(8)} ${String(e.updated).padStart(8)}`);
  }
  lines.push(
    `requests ${run.requests} (the per-entity approach: ${m.per_entity_requests ?? "?"}), 429s ${run.throttled}`,
    `duration ${((m.duration_ms ?? 0) / 1000).toFixed(2)} s, average ${m.avg_rps ?? 0} req/s, peak ${m.peak_rps ?? 0} req/s`,
  );
  return lines.join("\n");
}
