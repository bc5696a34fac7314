// `npm run bench:split`: peak isolate heap of CSV imports into a location holding 300,000 contacts,
// for files of 25,000 to 1,000,000 rows (BENCH_SIZES). The stack of `npm start` runs on its own
// ports and state folder; the 300,000 contacts are written straight into the local D1 before it
// starts. Each file is uploaded as the widget does (raw text/csv, fast mode: syntax and dedupe),
// and while the import runs the API Worker's heap is read every 250 ms through its inspector
// (V8's Runtime.getHeapUsage over the DevTools protocol that `wrangler dev` exposes). Under
// `wrangler dev` one isolate runs the upload, the split and the batch consumers, so the figure is
// that isolate's whole JS heap: live objects plus garbage not yet collected.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { startStack } from "../scripts/stack";
import { heapSampler } from "./lib/heap";

const PORT = Number(process.env.BENCH_PORT ?? 8861);
const LOCATION = "bench-split";
const CONTACTS = 300_000;
const SIZES = (process.env.BENCH_SIZES ?? "25000,100000,250000,1000000").split(",").map(Number);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MIN ?? 45) * 60_000;
const PERSIST = ".wrangler/bench-split";
const MB = 1024 * 1024;

function wrangler(args: string[]): void {
  execFileSync("node_modules/.bin/wrangler", args, { stdio: "ignore", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
}

/** The location and its 300,000 contacts, written into the local D1 before the Worker starts. */
function seed(): void {
  rmSync(PERSIST, { recursive: true, force: true });
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", PERSIST]);
  const email = "'c' || i || '@acme-mail.com'";
  const sql = [
    `INSERT INTO locations (id, provider, account_id, name, contact_count) VALUES ('${LOCATION}', 'ghl', '${LOCATION}', 'Bench split', ${CONTACTS})`,
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CONTACTS - 1})
     INSERT INTO contacts (location_id, external_id, first_name, last_name, name, sort_name, search_text, email, email_key, date_added, date_updated, payload, synced_at)
     SELECT '${LOCATION}', 'c' || i, 'First', 'Last' || i, 'First Last' || i, 'first last' || i, 'first last' || i || ' ' || ${email}, ${email}, ${email},
       1700000000000 + i, 1700000000000 + i, '{}', 1700000000000 FROM n`,
  ].join(";\n");
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", PERSIST, "--command", sql]);
}

/** n rows: a third of the first 300,000 are addresses of existing contacts, 1 in 10 repeats an earlier row. */
function csv(n: number, run: number): Buffer {
  const lines = ["email,first name,last name,company"];
  for (let i = 0; i < n; i++) {
    let email = `r${run}-${i}@acme-mail.com`;
    if (i < CONTACTS && i % 3 === 0) email = `c${i}@acme-mail.com`;
    else if (i % 10 === 7) email = `r${run}-${i - 5}@acme-mail.com`;
    lines.push(`${email},Имя,Ян,A${i % 100}`); // short rows: 1,000,000 of them stay under the 50 MB cap
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

async function pollTask(url: string, headers: Record<string, string>): Promise<Task | null> {
  try {
    return ((await (await fetch(url, { headers })).json()) as { task: Task }).task;
  } catch (err) {
    console.error(`status poll failed (${(err as Error).message}); polling again`);
    return null;
  }
}

type Task = { status: string; total: number; total_exact: boolean; processed: number; counts: Record<string, number>; error: unknown };

seed();
const stack = await startStack({ port: PORT, sandboxPort: PORT + 2, persistTo: PERSIST, noNetworkRecording: true, log: (l) => process.env.BENCH_VERBOSE && console.log(l) });
const results: Record<string, unknown>[] = [];
const sampler = heapSampler(PORT + 1000);
try {
  await sampler.opened;
  const token = await stack.token(LOCATION, 7200);
  const headers = { authorization: `Bearer ${token}` };
  const listRes = await fetch(`${stack.apiUrl}/api/contactlists?location_id=${LOCATION}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ name: "bench" }) });
  const { list } = (await listRes.json()) as { list: { id: string } };
  await new Promise((r) => setTimeout(r, 1000));
  const idle = sampler.read().lastUsedMB;
  console.log(`isolate heap at rest: ${idle.toFixed(1)} MB used`);
  console.log("\n| rows | file MB | contacts before | upload s | split done s | import done s | split: peak live / used MB | whole import: peak live / used / total MB | counts |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const [run, rows] of SIZES.entries()) {
    const body = csv(rows, run);
    // Informative only: under load the first count over 300,000 rows has dropped its connection once.
    const before = await fetch(`${stack.apiUrl}/api/location-contacts?location_id=${LOCATION}&limit=1`, { headers })
      .then((r) => r.json() as Promise<{ total: number }>)
      .catch(() => ({ total: Number.NaN }));
    sampler.reset();
    const t0 = performance.now();
    const up = await fetch(`${stack.apiUrl}/api/contactlists/${list.id}/import-fast?location_id=${LOCATION}`, { method: "POST", headers: { ...headers, "content-type": "text/csv", "x-file-name": `bench-${rows}.csv` }, body: body as unknown as BodyInit });
    if (up.status !== 202) throw new Error(`upload ${rows}: ${up.status} ${await up.text()}`);
    const uploadS = (performance.now() - t0) / 1000;
    const { task_id } = (await up.json()) as { task_id: string };
    let splitS: number | null = null;
    let splitHeap = { used: 0, live: 0 };
    let task: Task = { status: "unknown", total: 0, total_exact: false, processed: 0, counts: {}, error: null };
    for (;;) {
      // Under `wrangler dev` a status read can wait minutes behind the queue work (local D1 serves
      // one caller at a time); a poll that times out is retried rather than ending the run.
      const polled = await pollTask(`${stack.apiUrl}/api/import-tasks/${task_id}`, headers);
      if (!polled) {
        if (performance.now() - t0 > TIMEOUT_MS) break;
        continue;
      }
      task = polled;
      if (splitS === null && task.total_exact) {
        splitS = (performance.now() - t0) / 1000;
        const h = sampler.read();
        splitHeap = { used: h.peakUsedMB, live: h.peakLiveMB };
      }
      if (task.status !== "queued" && task.status !== "running") break;
      if (performance.now() - t0 > TIMEOUT_MS) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const doneS = (performance.now() - t0) / 1000;
    const heap = sampler.read();
    const row = { rows, fileMB: body.length / MB, contactsBefore: before.total, uploadS, splitS, doneS, status: task.status, splitHeapMB: splitHeap, ...heap, counts: task.counts, processed: task.processed, total: task.total };
    results.push(row);
    const mb = (n: number) => n.toFixed(1);
    console.log(
      `| ${rows.toLocaleString("en")} | ${mb(row.fileMB)} | ${before.total.toLocaleString("en")} | ${uploadS.toFixed(1)} | ${splitS?.toFixed(0) ?? "—"} | ${task.status === "completed" ? doneS.toFixed(0) : `${task.status} after ${doneS.toFixed(0)}`} | ${mb(splitHeap.live)} / ${mb(splitHeap.used)} | ${mb(heap.peakLiveMB)} / ${mb(heap.peakUsedMB)} / ${mb(heap.peakTotalMB)} | ${JSON.stringify(task.counts)} |`,
    );
  }
} finally {
  sampler.stop();
  await stack.stop();
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/split.json", JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
