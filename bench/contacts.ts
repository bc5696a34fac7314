// `npm run bench`: the fast endpoint against a bare route of the same Worker, on a 25,000-contact
// location synced from the sandbox, under `wrangler dev` on this machine. Prints a markdown table
// and writes bench/results/contacts.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { startStack } from "../scripts/stack";
import { load, type LoadResult } from "./lib/load";

const REQUESTS_C1 = Number(process.env.BENCH_REQUESTS ?? 400);
const REQUESTS_C4 = REQUESTS_C1 * 2;

const stack = await startStack({
  port: 8797,
  sandboxPort: 8799,
  persistTo: ".wrangler/bench",
  log: (l) => process.env.BENCH_VERBOSE && console.log(l),
});
try {
  const token = await stack.token("demo", 3600);
  const auth = { authorization: `Bearer ${token}` };
  const get = (path: string, headers: Record<string, string> = {}) => () =>
    fetch(`${stack.apiUrl}${path}`, { headers: { ...auth, ...headers } });

  // Fill the cache through the fresh endpoint (it syncs inline, then the queue finishes if needed).
  const t0 = performance.now();
  const fresh = await (await get("/api/get-location-contacts?limit=100")()).json() as { total: number; sync_status: string };
  const freshMs = performance.now() - t0;
  for (;;) {
    const body = await (await get("/api/location-contacts?limit=1")()).json() as { total: number; sync_status: string };
    if (body.sync_status === "fresh" && body.total >= 25_000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const firstPage = "/api/get-location-contacts-fast?limit=100";
  const search = "/api/get-location-contacts-fast?limit=100&q=smith";
  const etag = (await get(firstPage)()).headers.get("etag") ?? "";

  const scenarios: [string, () => Promise<Response>][] = [
    ["bare route (/api/health)", () => fetch(`${stack.apiUrl}/api/health`)],
    ["fast endpoint, first page (100 rows)", get(firstPage)],
    ["fast endpoint, search q=smith", get(search)],
    ["fast endpoint, If-None-Match → 304", get(firstPage, { "if-none-match": etag })],
  ];
  for (const [, run] of scenarios) await load(run, { requests: 50, concurrency: 2 }); // warm up

  const rows: { name: string; c1: LoadResult; c4: LoadResult }[] = [];
  for (const [name, run] of scenarios) {
    rows.push({ name, c1: await load(run, { requests: REQUESTS_C1, concurrency: 1 }), c4: await load(run, { requests: REQUESTS_C4, concurrency: 4 }) });
  }
  const bare = rows[0]!;
  const f = (n: number) => n.toFixed(2);
  console.log("\n| scenario | p50 ms (c=1) | p99 ms (c=1) | req/s (c=4) | p50 ÷ bare | p99 ÷ bare | req/s ÷ bare |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${f(r.c1.p50)} | ${f(r.c1.p99)} | ${r.c4.rps.toFixed(0)} | ${f(r.c1.p50 / bare.c1.p50)}× | ${f(r.c1.p99 / bare.c1.p99)}× | ${((100 * r.c4.rps) / bare.c4.rps).toFixed(0)}% |`,
    );
  }
  console.log(`\nFresh endpoint, cold cache, 25,000 contacts: ${(freshMs / 1000).toFixed(1)} s → sync_status=${fresh.sync_status}, total=${fresh.total}`);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/contacts.json", JSON.stringify({ at: new Date().toISOString(), freshMs, fresh, rows }, null, 2));
} finally {
  await stack.stop();
}
