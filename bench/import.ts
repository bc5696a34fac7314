// `npm run bench:import`: CSV import throughput. 100,000 rows (BENCH_ROWS) go through the real
// upload, split and batch queues of the `npm start` stack (own ports and state folder), once
// validated (syntax, disposable and reserved domains, MX looked up over DoH from the sandbox's
// DNS table and cached per domain) and once with `import-fast` (syntax and dedupe only). Rows/s is
// rows ÷ (upload sent → task completed). It also times the email module alone in this process
// (checkOffline + verdictFromMx with answers cached per domain: validations/s) and reads the
// Worker isolate's peak heap through its inspector while each import runs.
// Targets: validated ≥ 10,000 rows/s end to end, import-fast ≥ 30,000 rows/s.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { startStack } from "../scripts/stack";
import { type MxAnswer, checkOffline, verdictFromMx } from "../worker/validation/email";
import { heapSampler } from "./lib/heap";

const PORT = Number(process.env.BENCH_PORT ?? 8871);
const LOCATION = "bench-import";
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MIN ?? 20) * 60_000;
const PERSIST = ".wrangler/bench-import";
const MB = 1024 * 1024;
const TARGETS = { validated: 10_000, fast: 30_000 } as const;

/** Mail domains the sandbox's DNS answers with MX records (sandbox/doh/domains.ts). */
const DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "mail.ru", "yandex.ru", "acme-mail.com", "globex-mail.com"];

/** n rows: mostly valid addresses over ten MX domains; 1 in 20 malformed, 1 in 25 NXDOMAIN, 1 in 10 a repeat. */
function csv(n: number, run: string): Buffer {
  const lines = ["email,first name,last name,phone,company"];
  for (let i = 0; i < n; i++) {
    let email = `${run}.user${i}@${DOMAINS[i % DOMAINS.length]}`;
    if (i % 20 === 3) email = `${run}.user${i}@@broken`;
    else if (i % 25 === 4) email = `${run}.user${i}@nxdomain-mail.com`;
    else if (i % 10 === 7) email = `${run}.user${i - 5}@${DOMAINS[(i - 5) % DOMAINS.length]}`;
    lines.push(`${email},First${i},Last${i},+1555${String(i).padStart(7, "0")},Company ${i % 500}`);
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** The email module alone: every address of a file through the offline checks and a per-domain cached MX answer. */
function emailModuleAlone(n: number): { validationsPerS: number; seconds: number } {
  const emails = Array.from({ length: n }, (_, i) => (i % 20 === 3 ? `x${i}@@broken` : `user${i}@${DOMAINS[i % DOMAINS.length]}`));
  const answers = new Map<string, MxAnswer>();
  const t0 = performance.now();
  let valid = 0;
  for (const email of emails) {
    const check = checkOffline(email, { domainChecks: true });
    let status: string;
    if (check.done) status = check.verdict.status;
    else {
      let answer = answers.get(check.domain);
      if (!answer) answers.set(check.domain, (answer = { kind: "mx" }));
      status = verdictFromMx(check, answer).status;
    }
    if (status === "valid") valid++;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (valid === 0) throw new Error("the email module found no valid address");
  return { validationsPerS: n / seconds, seconds };
}

function wrangler(args: string[]): void {
  execFileSync("node_modules/.bin/wrangler", args, { stdio: "ignore", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
}

function seed(): void {
  rmSync(PERSIST, { recursive: true, force: true });
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", PERSIST]);
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", PERSIST, "--command", `INSERT INTO locations (id, provider, account_id, name) VALUES ('${LOCATION}', 'ghl', '${LOCATION}', 'Bench import')`]);
}

type Task = { status: string; total: number; processed: number; counts: Record<string, number> };

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const warm = emailModuleAlone(20_000); // JIT warm-up
void warm;
const alone = emailModuleAlone(ROWS);
console.log(`email module alone: ${ROWS.toLocaleString("en")} addresses in ${alone.seconds.toFixed(3)} s = ${Math.round(alone.validationsPerS).toLocaleString("en")} validations/s (load ${load()})`);

seed();
const loadBefore = load();
const stack = await startStack({ port: PORT, sandboxPort: PORT + 2, persistTo: PERSIST, noNetworkRecording: true, log: (l) => process.env.BENCH_VERBOSE && console.log(l) });
const results: Record<string, unknown>[] = [];
const sampler = heapSampler(PORT + 1000);
try {
  await sampler.opened;
  const token = await stack.token(LOCATION, 7200);
  const headers = { authorization: `Bearer ${token}` };
  for (const mode of ["validated", "fast"] as const) {
    const listRes = await fetch(`${stack.apiUrl}/api/contactlists?location_id=${LOCATION}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ name: `bench ${mode}` }) });
    const { list } = (await listRes.json()) as { list: { id: string } };
    const body = csv(ROWS, mode);
    sampler.reset();
    const loadAtStart = load();
    const t0 = performance.now();
    const path = mode === "fast" ? "import-fast" : "import";
    const up = await fetch(`${stack.apiUrl}/api/contactlists/${list.id}/${path}?location_id=${LOCATION}`, { method: "POST", headers: { ...headers, "content-type": "text/csv", "x-file-name": `bench-${mode}.csv` }, body: body as unknown as BodyInit });
    if (up.status !== 202) throw new Error(`upload ${mode}: ${up.status} ${await up.text()}`);
    const uploadS = (performance.now() - t0) / 1000;
    const { task_id } = (await up.json()) as { task_id: string };
    let task: Task;
    for (;;) {
      task = ((await (await fetch(`${stack.apiUrl}/api/import-tasks/${task_id}`, { headers })).json()) as { task: Task }).task;
      if (task.status !== "queued" && task.status !== "running") break;
      if (performance.now() - t0 > TIMEOUT_MS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const doneS = (performance.now() - t0) / 1000;
    const heap = sampler.read();
    const rowsPerS = task.status === "completed" ? ROWS / doneS : Number.NaN;
    const target = TARGETS[mode];
    const row = { mode, rows: ROWS, fileMB: body.length / MB, uploadS, doneS, rowsPerS, target, met: rowsPerS >= target, status: task.status, counts: task.counts, heap, load: { start: loadAtStart, end: load() } };
    results.push(row);
    console.log(
      `${mode}: ${task.status} ${ROWS.toLocaleString("en")} rows (${row.fileMB.toFixed(1)} MB) in ${doneS.toFixed(1)} s (upload ${uploadS.toFixed(1)} s) = ${Math.round(rowsPerS).toLocaleString("en")} rows/s; target ≥ ${target.toLocaleString("en")}: ${row.met ? "MET" : "NOT MET"}; ` +
        `isolate heap peak live ${heap.peakLiveMB.toFixed(1)} / used ${heap.peakUsedMB.toFixed(1)} / total ${heap.peakTotalMB.toFixed(1)} MB; counts ${JSON.stringify(task.counts)}; load ${loadAtStart} → ${row.load.end}`,
    );
  }
} finally {
  sampler.stop();
  await stack.stop();
}
const peakRss = process.resourceUsage().maxRSS / 1024;
console.log(`bench process peak RSS ${peakRss.toFixed(0)} MB; load before the stack ${loadBefore}, after ${load()}`);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/import.json", JSON.stringify({ at: new Date().toISOString(), emailModule: alone, results }, null, 2));
