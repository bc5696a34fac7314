// `npm run bench:realtime`: from an upstream mutation to the change visible through the API, with
// the sandbox sending signed GoHighLevel webhooks to the Worker (as `npm start` does). 1,000
// single-contact updates over a minute (one every 60 ms) on a 2,000-contact location that has
// been synced once; a poller reads `/api/location-contacts` newest-updated first every 50 ms and
// records when each update is visible. Also counts the upstream requests spent meanwhile.
// Run it under `flock /tmp/crm-bench.lock` (fixed ports 8857/8859).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { startStack } from "../scripts/stack";

const MUTATIONS = Number(process.env.RT_MUTATIONS ?? 1000);
const SPACING_MS = Number(process.env.RT_SPACING_MS ?? 60);
const CONTACTS = 2000;
const POLL_MS = 50;

async function call<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const persistTo = ".wrangler/bench-realtime";
rmSync(persistTo, { recursive: true, force: true });
const stack = await startStack({ port: 8857, sandboxPort: 8859, persistTo, build: false, webhooks: true, noNetworkRecording: true, log: (l) => process.env.BENCH_VERBOSE && console.log(l) });
try {
  const id = `rt${Date.now().toString(36)}`;
  const sbx = await call<{ token: string }>(`${stack.sandboxUrl}/__sandbox/locations`, { method: "POST", body: JSON.stringify({ id, contacts: CONTACTS }) });
  await call(`${stack.apiUrl}/api/admin/locations`, {
    method: "POST",
    token: stack.adminKey,
    body: JSON.stringify({ id, provider: "ghl", account_id: id, credentials: { access_token: sbx.token } }),
  });
  const token = await stack.token(id, 3600);
  await call(`${stack.apiUrl}/api/locations/${id}/sync`, { method: "POST", token, body: JSON.stringify({ mode: "full" }) });
  for (;;) {
    const s = await call<{ syncing: boolean }>(`${stack.apiUrl}/api/locations/${id}/sync-status`, { token });
    if (!s.syncing) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const truth = await call<{ contacts: { id: string }[] }>(`${stack.sandboxUrl}/__sandbox/locations/${id}/truth`);
  const ids = truth.contacts.map((c) => c.id);
  await call(`${stack.sandboxUrl}/__sandbox/stats/reset?account=${id}`, { method: "POST" });

  const pending = new Map<string, number>();
  const latencies: number[] = [];
  const mutateMs: number[] = [];
  const failedMutations: string[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const page = await call<{ contacts: { id: string; dateUpdated: string }[] }>(
        `${stack.apiUrl}/api/location-contacts?location_id=${id}&sort=date_updated&order=desc&limit=200`,
        { token },
      );
      const now = performance.now() + performance.timeOrigin;
      for (const c of page.contacts) {
        const t0 = pending.get(c.id);
        if (t0 !== undefined && Date.parse(c.dateUpdated) >= Math.floor(t0) - 5) {
          latencies.push(now - t0);
          pending.delete(c.id);
        }
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();

  const started = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < MUTATIONS; i++) {
    const target = started + i * SPACING_MS;
    const wait = target - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const cid = ids[i % ids.length]!;
    const t0 = performance.now() + performance.timeOrigin;
    pending.set(cid, t0);
    sends.push(
      call(`${stack.sandboxUrl}/__sandbox/locations/${id}/mutate`, { method: "POST", body: JSON.stringify({ update: [cid] }) }).then(
        () => void mutateMs.push(performance.now() + performance.timeOrigin - t0),
        (err) => {
          // Not counted as seen: a failed mutate is reported, not retried.
          pending.delete(cid);
          failedMutations.push(String(err).slice(0, 200));
        },
      ),
    );
  }
  await Promise.all(sends);
  const deadline = Date.now() + 30_000;
  while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  polling = false;
  await poller;
  const stats = await call<{ requests: number }>(`${stack.sandboxUrl}/__sandbox/stats?account=${id}`);
  const hooks = await call<{ stats: Record<string, number> }>(`${stack.sandboxUrl}/__sandbox/webhooks`);
  latencies.sort((a, b) => a - b);
  mutateMs.sort((a, b) => a - b);
  const result = {
    at: new Date().toISOString(),
    mutations: MUTATIONS,
    spacing_ms: SPACING_MS,
    seen: latencies.length,
    missing: pending.size,
    failed_mutations: failedMutations.length,
    first_failure: failedMutations[0] ?? null,
    visible_ms: { p50: Math.round(pct(latencies, 50)), p99: Math.round(pct(latencies, 99)), max: Math.round(latencies.at(-1) ?? Number.NaN) },
    mutate_call_ms: { p50: Math.round(pct(mutateMs, 50)), p99: Math.round(pct(mutateMs, 99)) },
    upstream_requests_during_run: stats.requests,
    sandbox_webhooks: hooks.stats,
    poll_ms: POLL_MS,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/realtime.json", `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stack.stop();
}
