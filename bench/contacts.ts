// `npm run bench`: the fast endpoint against a bare route of the same Worker, on a 25,000-contact
// location synced from the sandbox, under `wrangler dev` on this machine. Two configurations:
// the default (hot reads answered from the isolate's memory for up to LOCATION_STATE_CACHE_MS)
// and LOCATION_STATE_CACHE_MS=0 (every request reads D1). Prints markdown tables and writes
// bench/results/contacts.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { startStack, type Stack } from "../scripts/stack";
import { load, type LoadResult } from "./lib/load";

const REQUESTS_C1 = Number(process.env.BENCH_REQUESTS ?? 400);
const REQUESTS_C4 = REQUESTS_C1 * 2;
type Row = { name: string; c1: LoadResult; c4: LoadResult };

async function measure(stack: Stack): Promise<{ rows: Row[]; freshMs: number; freshStatus: string }> {
  const token = await stack.token("demo", 3600);
  const auth = { authorization: `Bearer ${token}` };
  const get = (path: string, headers: Record<string, string> = {}) => () =>
    fetch(`${stack.apiUrl}${path}`, { headers: { ...auth, ...headers } });

  // The fresh endpoint: on a cold cache it pulls all 25,000 contacts (inline until the deadline).
  const t0 = performance.now();
  const fresh = (await (await get("/api/get-location-contacts?limit=100")()).json()) as { sync_status: string };
  const freshMs = performance.now() - t0;
  for (;;) {
    const body = (await (await get("/api/location-contacts?limit=1")()).json()) as { total: number; sync_status: string };
    if (body.sync_status === "fresh" && body.total >= 25_000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const firstPage = "/api/get-location-contacts-fast?limit=100";
  const etag = (await get(firstPage)()).headers.get("etag") ?? "";
  const scenarios: [string, () => Promise<Response>][] = [
    ["bare route (/api/health)", () => fetch(`${stack.apiUrl}/api/health`)],
    ["fast endpoint, first page (100 rows)", get(firstPage)],
    ["fast endpoint, search q=smith (100 rows)", get("/api/get-location-contacts-fast?limit=100&q=smith")],
    ["fast endpoint, If-None-Match → 304", get(firstPage, { "if-none-match": etag })],
  ];
  for (const [, run] of scenarios) await load(run, { requests: 50, concurrency: 2 }); // warm up
  const rows: Row[] = [];
  for (const [name, run] of scenarios) {
    rows.push({ name, c1: await load(run, { requests: REQUESTS_C1, concurrency: 1 }), c4: await load(run, { requests: REQUESTS_C4, concurrency: 4 }) });
  }
  return { rows, freshMs, freshStatus: fresh.sync_status };
}

function table(title: string, rows: Row[]): string {
  const bare = rows[0]!;
  const f = (n: number) => n.toFixed(1);
  const lines = [
    `\n${title}\n`,
    "| scenario | p50 ms (c=1) | p99 ms (c=1) | req/s (c=4) | p50 ÷ bare | p99 ÷ bare | req/s ÷ bare |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${f(r.c1.p50)} | ${f(r.c1.p99)} | ${r.c4.rps.toFixed(0)} | ${(r.c1.p50 / bare.c1.p50).toFixed(2)}× | ${(r.c1.p99 / bare.c1.p99).toFixed(2)}× | ${((100 * r.c4.rps) / bare.c4.rps).toFixed(0)}% |`,
    ),
  ];
  return lines.join("\n");
}

const configs: [string, Record<string, string>][] = [
  ["default (LOCATION_STATE_CACHE_MS=1000)", {}],
  ["every request reads D1 (LOCATION_STATE_CACHE_MS=0)", { LOCATION_STATE_CACHE_MS: "0" }],
];
const results: Record<string, unknown> = { at: new Date().toISOString(), requests: { c1: REQUESTS_C1, c4: REQUESTS_C4 } };
for (const [title, vars] of configs) {
  const stack = await startStack({
    port: 8797,
    sandboxPort: 8799,
    persistTo: ".wrangler/bench",
    vars,
    log: (l) => process.env.BENCH_VERBOSE && console.log(l),
  });
  try {
    const { rows, freshMs, freshStatus } = await measure(stack);
    console.log(table(title, rows));
    console.log(`\nFresh endpoint, first call: ${(freshMs / 1000).toFixed(1)} s → sync_status=${freshStatus}`);
    results[title] = { rows, freshMs, freshStatus };
  } finally {
    await stack.stop();
  }
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/contacts.json", JSON.stringify(results, null, 2));
