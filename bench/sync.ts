// `npm run bench:sync`: the sync engine at the upstream's limit. The sandbox is set to 7 requests/s
// per account (as AmoCRM); we measure wall time, requests, achieved RPS ÷ 7 and 429s for
// (1) one location, 25,000 contacts + conversations + opportunities, all kinds side by side;
// (2) four locations of one account (6,250 contacts each) syncing at once through one bucket.
import { mkdirSync, writeFileSync } from "node:fs";
import { startStack, type Stack } from "../scripts/stack";
import { call } from "./lib/http";

const LIMIT = 7;
type Stats = { requests: number; requests429: number; maxPerSecond: number; firstAt: number; lastAt: number };


async function register(stack: Stack, id: string, account: string, contacts: number): Promise<string> {
  const sbx = await call<{ token: string }>(`${stack.sandboxUrl}/__sandbox/locations`, {
    method: "POST",
    body: JSON.stringify({ id, contacts, accountId: account, rate: { max: LIMIT, intervalMs: 1000 } }),
  });
  await fetch(`${stack.apiUrl}/api/admin/locations`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ id, provider: "ghl", account_id: id, credentials: { access_token: sbx.token }, settings: { rate_limit_key: `ghl:${account}` } }),
  });
  return stack.token(id, 3600);
}

async function syncAll(stack: Stack, ids: { id: string; token: string }[], account: string) {
  await call(`${stack.sandboxUrl}/__sandbox/stats/reset?account=${account}`, { method: "POST" });
  const started = performance.now();
  await Promise.all(ids.map(({ id, token }) => call(`${stack.apiUrl}/api/locations/${id}/sync`, { method: "POST", token, body: JSON.stringify({ mode: "full" }) })));
  for (;;) {
    const states = await Promise.all(ids.map(({ id, token }) => call<{ syncing: boolean }>(`${stack.apiUrl}/api/locations/${id}/sync-status`, { token })));
    if (states.every((s) => !s.syncing)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wallS = (performance.now() - started) / 1000;
  const stats = await call<Stats>(`${stack.sandboxUrl}/__sandbox/stats?account=${account}`);
  const runs = await Promise.all(ids.map(({ id, token }) => call<{ runs: { kind: string; status: string; entities_seen: number; metrics: Record<string, number> | null }[] }>(`${stack.apiUrl}/api/locations/${id}/sync-status`, { token })));
  const failed = runs.flatMap((r) => r.runs).filter((r) => r.status !== "succeeded");
  const perRun = runs.flatMap((r) =>
    r.runs.map((x) => ({
      kind: x.kind,
      seconds: (x.metrics?.duration_ms ?? 0) / 1000,
      requests: x.metrics?.requests ?? 0,
      // Limiter calls (worker/providers/meter.ts): a reserve per send attempt, a claim per turn
      // slept for, a reclaim per grant read late.
      reservations: x.metrics?.reservations ?? 0,
      claims: x.metrics?.claims ?? 0,
      reclaims: x.metrics?.reclaims ?? 0,
    })),
  );
  const sum = (k: "requests" | "reservations" | "claims" | "reclaims") => perRun.reduce((n, x) => n + x[k], 0);
  const limiter = { requests: sum("requests"), reservations: sum("reservations"), claims: sum("claims"), reclaims: sum("reclaims") };
  // Achieved rate as the upstream saw it: requests over the span from its first to its last
  // arrival (n requests make n − 1 intervals).
  const sendingS = (stats.lastAt - stats.firstAt) / 1000;
  const achievedRps = (stats.requests - 1) / sendingS;
  return { wallS, sendingS, achievedRps, perRun, limiter, stats, failed: failed.length, entities: runs.flatMap((r) => r.runs).reduce((n, r) => n + r.entities_seen, 0) };
}

const stack = await startStack({ port: 8797, sandboxPort: 8799, persistTo: ".wrangler/bench-sync", noNetworkRecording: true, log: (l) => process.env.BENCH_VERBOSE && console.log(l) });
const results: Record<string, unknown> = { at: new Date().toISOString(), limit: LIMIT };
try {
  const one = [{ id: "bench-one", token: await register(stack, "bench-one", "acct-one", 25_000) }];
  const single = await syncAll(stack, one, "acct-one");
  const four = await Promise.all(["a", "b", "c", "d"].map(async (s) => ({ id: `bench-${s}`, token: await register(stack, `bench-${s}`, "acct-shared", 6_250) })));
  const shared = await syncAll(stack, four, "acct-shared");
  console.log("\n| scenario | wall s | sending s | requests | achieved RPS | ÷ 7 | 429s | max in any 1 s | entities | failed runs |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, r] of [["1 location, 25,000 contacts + conversations + opportunities", single], ["4 locations, one account, 6,250 contacts each + related", shared]] as const) {
    console.log(`| ${name} | ${r.wallS.toFixed(1)} | ${r.sendingS.toFixed(1)} | ${r.stats.requests} | ${r.achievedRps.toFixed(2)} | ${(r.achievedRps / LIMIT).toFixed(3)} | ${r.stats.requests429} | ${r.stats.maxPerSecond} | ${r.entities} | ${r.failed} |`);
    results[name] = r;
    console.log(`  per run: ${r.perRun.map((x) => `${x.kind} ${x.seconds.toFixed(1)} s / ${x.requests} req`).join("; ")}`);
    const l = r.limiter;
    console.log(`  limiter: ${l.reservations} reservations, ${l.claims} claims and ${l.reclaims} reclaims (grants read late) for ${l.requests} requests`);
  }
} finally {
  await stack.stop();
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/sync.json", JSON.stringify(results, null, 2));
