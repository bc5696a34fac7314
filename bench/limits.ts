// `npm run bench:limits`: what one sync consumer invocation asks of the platform, against the
// per-invocation budgets (INVOCATION_MAX_*) and the platform's limits. The shape is bench:sync's
// second scenario: 4 locations of one account (7 requests/s), 6,250 contacts each, all 3 kinds:
// 12 runs, queued together so the first batch holds all 12. Each consumer invocation logs one
// `sync.invocation` line (worker/index.ts: fetches, Durable Object calls, queue sends, D1
// statements and round trips); this reads them from wrangler's output, and measures each
// invocation's CPU time two ways (bench/lib/cpu.ts). Prints markdown; writes bench/results/limits.json.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { startStack, type Stack } from "../scripts/stack";
import { IsolateProfile, ProcessCpu, workerdPidsFor } from "./lib/cpu";
import { call } from "./lib/http";
import type { BudgetUsage } from "../worker/platform/budget";

const LIMIT_RPS = 7;
const PORT = 8807;
/** One `sync.invocation` log line: the budget's breakdown plus the invocation's frame. */
type Invocation = BudgetUsage & {
  messages: number;
  started_at: number;
  ended_at: number;
  limits: { subrequests: number; d1: number };
  spent: boolean;
};


async function register(stack: Stack, id: string, account: string, contacts: number): Promise<string> {
  const sbx = await call<{ token: string }>(`${stack.sandboxUrl}/__sandbox/locations`, {
    method: "POST",
    body: JSON.stringify({ id, contacts, accountId: account, rate: { max: LIMIT_RPS, intervalMs: 1000 } }),
  });
  await fetch(`${stack.apiUrl}/api/admin/locations`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ id, provider: "ghl", account_id: id, credentials: { access_token: sbx.token }, settings: { rate_limit_key: `ghl:${account}` } }),
  });
  return stack.token(id, 3600);
}

const lines: string[] = [];
const STATE = ".wrangler/bench-limits";
// Every run starts from empty local state, unless BENCH_KEEP_STATE=1 (then the passes are full
// passes over a cache that already holds everything).
if (!process.env.BENCH_KEEP_STATE) rmSync(STATE, { recursive: true, force: true });
const stack = await startStack({
  port: PORT,
  sandboxPort: 8809,
  persistTo: STATE,
  noNetworkRecording: true,
  log: (line) => {
    if (line.includes('"event":"sync.invocation"')) lines.push(line);
    if (process.env.BENCH_VERBOSE) console.log(line);
  },
});
const results: Record<string, unknown> = { at: new Date().toISOString() };
try {
  const ids = await Promise.all(["a", "b", "c", "d"].map(async (s) => ({ id: `limits-${s}`, token: await register(stack, `limits-${s}`, "acct-limits", 6_250) })));
  const cpu = new ProcessCpu(workerdPidsFor(PORT));
  const profile = new IsolateProfile(PORT + 1000);
  await profile.start();
  cpu.start();
  const started = Date.now();
  await Promise.all(ids.map(({ id, token }) => call(`${stack.apiUrl}/api/locations/${id}/sync`, { method: "POST", token, body: JSON.stringify({ mode: "full" }) })));
  for (;;) {
    const states = await Promise.all(ids.map(({ id, token }) => call<{ syncing: boolean }>(`${stack.apiUrl}/api/locations/${id}/sync-status`, { token })));
    if (states.every((s) => !s.syncing)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 1500)); // the last invocation's log line
  cpu.stop();
  const cpuProfile = await profile.stop();
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/limits.cpuprofile", JSON.stringify(cpuProfile)); // opens in DevTools
  if (process.env.BENCH_VERBOSE) console.log("profile, ms by function:", JSON.stringify(profile.top(15)));
  const wallS = (Date.now() - started) / 1000;
  const runs = await Promise.all(ids.map(({ id, token }) => call<{ runs: { status: string; entities_seen: number }[] }>(`${stack.apiUrl}/api/locations/${id}/sync-status`, { token })));
  const all = runs.flatMap((r) => r.runs);

  const invocations = lines
    .map((l) => JSON.parse(l.slice(l.indexOf("{"))) as Invocation)
    .filter((i) => i.started_at >= started - 1000)
    .map((i) => ({ ...i, wall_ms: i.ended_at - i.started_at, cpu_ms_process: cpu.between(i.started_at, i.ended_at), cpu_ms_isolate: profile.between(i.started_at, i.ended_at) }));
  const max = (k: keyof (typeof invocations)[number]) => Math.max(0, ...invocations.map((i) => Number(i[k])));
  const limits = invocations[0]?.limits ?? { subrequests: Number.NaN, d1: Number.NaN };
  const first = invocations[0];

  console.log(`\n12 runs (4 locations × 3 kinds, one account at ${LIMIT_RPS}/s), ${all.length} runs ended: ${all.filter((r) => r.status === "succeeded").length} succeeded, ${all.reduce((n, r) => n + r.entities_seen, 0)} entities, ${wallS.toFixed(1)} s, ${invocations.length} consumer invocations (first one: ${first?.messages ?? "?"} messages)`);
  console.log("\n| per invocation | most used | budget (INVOCATION_MAX_*) | platform limit (Workers Paid) |");
  console.log("|---|---|---|---|");
  console.log(`| upstream fetches | ${max("fetches")} | (in subrequests) | (in subrequests) |`);
  console.log(`| Durable Object calls | ${max("do_calls")} | (in subrequests) | (in subrequests) |`);
  console.log(`| queue sends | ${max("queue_sends")} | (in subrequests) | (in subrequests) |`);
  console.log(`| subrequests (sum of the three) | ${max("subrequests")} | ${limits.subrequests} | 10,000 |`);
  console.log(`| D1 statements | ${max("d1_statements")} | ${limits.d1} | 1,000 queries |`);
  console.log(`| D1 round trips (a batch is one) | ${max("d1_calls")} | — | — |`);
  console.log(`| CPU ms, Worker isolate (V8 profile) | ${max("cpu_ms_isolate").toFixed(0)} | — | 60,000 (cpu_ms in wrangler.toml; default 30,000) |`);
  console.log(`| CPU ms, whole workerd process (incl. local D1) | ${max("cpu_ms_process").toFixed(0)} | — | (upper bound) |`);
  console.log(`| wall ms | ${max("wall_ms")} | — | 900,000 (queue consumer) |`);
  console.log("\n| # | messages | fetches | DO calls | queue sends | D1 statements | D1 round trips | CPU ms isolate | CPU ms process | wall ms | budget spent |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  invocations.forEach((i, n) =>
    console.log(`| ${n + 1} | ${i.messages} | ${i.fetches} | ${i.do_calls} | ${i.queue_sends} | ${i.d1_statements} | ${i.d1_calls} | ${i.cpu_ms_isolate.toFixed(0)} | ${i.cpu_ms_process.toFixed(0)} | ${i.wall_ms} | ${i.spent ? "yes" : "no"} |`),
  );
  Object.assign(results, { wallS, runs: all.length, invocations });
} finally {
  await stack.stop();
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/limits.json", JSON.stringify(results, null, 2));
