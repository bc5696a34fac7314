// `npm run bench:web`: the widget's cost to a user. Builds it, gzips the JavaScript that index.html
// loads up front (the entry chunk and its modulepreloads; lazy panels are not counted), then starts
// the stack on its own ports and state folder, warms the `demo` cache (25,000 contacts) and the
// browser, and measures in Chromium the time from navigation start to the first contact row in the
// DOM, over several fresh page loads. Prints a markdown table and writes bench/results/web.json.
/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startStack } from "../scripts/stack";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIST = path.join(ROOT, "web/dist");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_KB = 120;
const TARGET_MS = 300;

/** Scripts index.html loads before anything renders: <script type="module" src> and <link rel="modulepreload">. */
function initialChunks(): string[] {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const srcs = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]!);
  return [...new Set(srcs)];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main() {
  execFileSync("node_modules/.bin/vite", ["build", "--config", "web/vite.config.ts"], { cwd: ROOT, stdio: "ignore" });
  const chunks = initialChunks().map((src) => {
    const bytes = readFileSync(path.join(DIST, src.replace(/^\//, "")));
    return { src, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const gzipKb = chunks.reduce((n, c) => n + c.gzip, 0) / 1024;
  const rawKb = chunks.reduce((n, c) => n + c.raw, 0) / 1024;

  const stack = await startStack({ port: 8847, sandboxPort: 8849, persistTo: ".wrangler/bench-web", build: false });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const times: number[] = [];
  try {
    const token = await stack.token("demo", 3600);
    // Warm the cache: wait until the first sync has stored every contact of demo.
    for (;;) {
      const res = await fetch(`${stack.apiUrl}/api/location-contacts?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { total: number; sync_status: string };
      if (body.total >= 25_000 && body.sync_status === "fresh") break;
      await fetch(`${stack.apiUrl}/api/get-location-contacts-fast?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      await new Promise((r) => setTimeout(r, 500));
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    // Stamp the moment the first row enters the DOM, on the page's clock (0 = navigation start).
    await context.addInitScript(() => {
      const w = window as unknown as { __firstRow?: number };
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid="contact-row"]')) {
          w.__firstRow = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    for (let i = 0; i < RUNS + 2; i++) {
      const page = await context.newPage();
      await page.goto(`${stack.apiUrl}/#token=${token}`, { waitUntil: "commit" });
      await page.waitForSelector('[data-testid="contact-row"]');
      const ms = await page.evaluate(() => (window as unknown as { __firstRow?: number }).__firstRow ?? Number.NaN);
      if (i >= 2) times.push(ms); // the first two warm the browser's and Worker's caches
      await page.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }

  const p50 = median(times);
  // This machine is shared: the load average says how much CPU the page had to itself.
  const load = loadavg()[0]!;
  const result = { date: new Date().toISOString(), chunks, gzipKb, rawKb, runs: times, medianMs: p50, loadAvg1m: load, cpus: cpus().length };
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/web.json"), `${JSON.stringify(result, null, 2)}\n`);
  const ok = (v: boolean) => (v ? "✅" : "❌");
  console.log(
    [
      "| measure | value | target |",
      "|---|---|---|",
      `| initial JS, gzipped (${chunks.map((c) => path.basename(c.src)).join(", ")}) | ${gzipKb.toFixed(1)} KB (${rawKb.toFixed(0)} KB raw) | ≤ ${TARGET_KB} KB ${ok(gzipKb <= TARGET_KB)} |`,
      `| navigation → first contact row, median of ${times.length} | ${p50.toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}) | ≤ ${TARGET_MS} ms ${ok(p50 <= TARGET_MS)} |`,
    ].join("\n"),
  );
  console.log(`\n(load average ${load.toFixed(1)} on ${cpus().length} CPUs during the run)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
