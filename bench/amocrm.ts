// `npm run bench:amocrm`: the AmoCRM provider against the sandbox's seeded account (25,000
// contacts, 2,000 companies, 7 requests/s, 403 block on sustained excess):
//   1. the filtered import of the 50 matching companies with their contacts, notes and tasks
//      (target ≤ 6 s; the origin needed ~109 s for the contacts alone);
//   2. a full-account import (contacts, companies, contact notes, contact tasks) against the
//      physical limit, requests ÷ 7 s (target ≤ 1.1× it).
import { mkdirSync, writeFileSync } from "node:fs";
import type { SyncRunView } from "../shared/schemas/sync";
import { metricsBlock, syncAndWait } from "../scripts/lib/sync-client";
import { type Stack, startStack } from "../scripts/stack";

const LIMIT = 7;
const ACCOUNT = "amodemo";
type Stats = { requests: number; requests429: number; requests403: number; maxPerSecond: number; firstAt: number; lastAt: number; byEndpoint: Record<string, number> };

async function sandbox<T>(stack: Stack, method: string, path: string): Promise<T> {
  const res = await fetch(`${stack.sandboxUrl}/__sandbox/amocrm/accounts/${ACCOUNT}${path}`, { method });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A fresh location of ours on the seeded account, so every bench run starts from an empty cache. */
async function register(stack: Stack, id: string): Promise<string> {
  const account = await sandbox<{ long_lived_token: string; filter: unknown }>(stack, "GET", "");
  const res = await fetch(`${stack.apiUrl}/api/admin/locations`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      id,
      provider: "amocrm",
      account_id: ACCOUNT,
      base_url: stack.sandboxUrl,
      credentials: { access_token: account.long_lived_token, long_lived: true },
      settings: { company_filter: account.filter },
    }),
  });
  if (res.status !== 201) throw new Error(`register ${id}: ${res.status} ${await res.text()}`);
  return stack.token(id, 3600);
}

async function measure(stack: Stack, id: string, request: Parameters<typeof syncAndWait>[3]) {
  const token = await register(stack, id);
  await sandbox(stack, "POST", "/stats/reset");
  const started = performance.now();
  const runs = await syncAndWait(stack.apiUrl, token, id, request);
  const wallS = (performance.now() - started) / 1000;
  const stats = await sandbox<Stats>(stack, "GET", "/stats");
  return { wallS, stats, runs };
}

const stamp = Date.now().toString(36);
const stack = await startStack({ port: 8807, sandboxPort: 8809, persistTo: ".wrangler/bench-amocrm", noNetworkRecording: true, log: (l) => process.env.BENCH_VERBOSE && console.log(l) });
const results: Record<string, unknown> = { at: new Date().toISOString(), limit: LIMIT };
try {
  const filtered = await measure(stack, `bench-amo-f-${stamp}`, { mode: "filtered" });
  const full = await measure(stack, `bench-amo-a-${stamp}`, { mode: "full" });
  const failed = (runs: SyncRunView[]) => runs.filter((r) => r.status !== "succeeded").length;
  const physical = (n: number) => n / LIMIT;
  const row = (name: string, r: typeof filtered, target: string) => {
    const entities = r.runs.reduce((n, x) => n + x.entities_seen, 0);
    const sendingS = (r.stats.lastAt - r.stats.firstAt) / 1000;
    return `| ${name} | ${r.wallS.toFixed(2)} | ${sendingS.toFixed(2)} | ${r.stats.requests} | ${physical(r.stats.requests).toFixed(2)} | ${(r.wallS / physical(r.stats.requests)).toFixed(2)}× | ${r.stats.requests429} | ${r.stats.requests403} | ${r.stats.maxPerSecond} | ${entities} | ${failed(r.runs)} | ${target} |`;
  };
  console.log("\n| scenario | wall s | sending s | requests | requests ÷ 7 s | wall ÷ that | 429s | 403s | max in any 1 s | entities | failed runs | target |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  console.log(row("50 companies + contacts + notes + tasks (filtered)", filtered, "≤ 6 s"));
  console.log(row("full account: 25,000 contacts + companies + notes + tasks", full, "≤ 1.1×"));
  const [run] = filtered.runs;
  if (run) console.log(`\n${metricsBlock(run)}`);
  console.log(`\nfull account per run: ${full.runs.map((r) => `${r.kind} ${r.entities_seen} in ${r.requests} req, ${(Number((r.metrics as { duration_ms?: number } | null)?.duration_ms ?? 0) / 1000).toFixed(1)} s`).join("; ")}`);
  Object.assign(results, { filtered, full });
} finally {
  await stack.stop();
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/amocrm.json", JSON.stringify(results, null, 2));
