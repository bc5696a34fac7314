// `npm run bench:web`: the widget's cost to a user. Builds it, gzips the JavaScript that index.html
// loads up front (the inline boot script and the app's entry chunk; lazy panels are not counted),
// then starts the stack on its own ports and state folder, warms the `demo` cache (25,000 contacts)
// and the browser, and measures in Chromium, over several fresh page loads, when the first contact
// row was painted (Element Timing, 0 = navigation start): the boot preview's or the app's, whichever
// came first, and the app's own (from then on the table is interactive). Prints a markdown table and
// writes bench/results/web.json.
/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { launchChromium } from "../scripts/lib/chromium";
import { startStack } from "../scripts/stack";
import { APP_TIMING_ID, PREVIEW_TIMING_ID } from "../web/src/boot/handoff";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIST = path.join(ROOT, "web/dist");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_KB = 120;
const TARGET_MS = 300;

/**
 * JavaScript index.html loads before anything renders: its inline scripts (the boot script) and the
 * scripts it names up front (module scripts, modulepreloads, script preloads, the boot script's app
 * entry).
 */
function initialScripts(): { src: string; bytes: Buffer }[] {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => m[1]!.trim())
    .map((m, i) => ({ src: `index.html inline script ${i + 1}`, bytes: Buffer.from(m[1]!) }));
  const srcs = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="preload"[^>]*as="script"[^>]*href="([^"]+)"/g),
    ...html.matchAll(/data-app-entry="([^"]+)"/g),
  ].map((m) => m[1]!);
  const files = [...new Set(srcs)].map((src) => ({ src, bytes: readFileSync(path.join(DIST, src.replace(/^\//, ""))) }));
  return [...inline, ...files];
}

type Load = { firstRow: number; appRow: number; preview: boolean };

/** Element Timing entries of the page (the widget marks its first row's date cell), read after the fact. */
async function paintTimes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve) => {
        const out: Record<string, number> = {};
        const observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries() as (PerformanceEntry & { identifier: string; renderTime: number; loadTime: number })[]) {
            out[e.identifier] = e.renderTime || e.loadTime;
          }
        });
        observer.observe({ type: "element", buffered: true });
        setTimeout(() => {
          observer.disconnect();
          resolve(out);
        }, 0);
      }),
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main() {
  if (!process.env.BENCH_NO_BUILD) execFileSync("node_modules/.bin/vite", ["build", "--config", "web/vite.config.ts"], { cwd: ROOT, stdio: "ignore" });
  const chunks = initialScripts().map(({ src, bytes }) => ({ src, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }));
  const gzipKb = chunks.reduce((n, c) => n + c.gzip, 0) / 1024;
  const rawKb = chunks.reduce((n, c) => n + c.raw, 0) / 1024;

  const stack = await startStack({ port: 8847, sandboxPort: 8849, persistTo: ".wrangler/bench-web", build: false });
  const browser = await launchChromium();
  const loads: Load[] = [];
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
    for (let i = 0; i < RUNS + 2; i++) {
      const page = await context.newPage();
      await page.goto(`${stack.apiUrl}/#token=${token}`, { waitUntil: "commit" });
      // Nothing is injected into the page while it loads (a Playwright selector wait would compile
      // its own script on the page's main thread): the times come from the page's Element Timing
      // entries, polled from outside until the app's own first row has been painted.
      let times: Record<string, number> = {};
      for (let polls = 0; !times[APP_TIMING_ID]; polls++) {
        if (polls > 120) throw new Error("the app's first row was not painted within 30 s");
        await new Promise((r) => setTimeout(r, 250));
        times = await paintTimes(page);
      }
      const appRow = times[APP_TIMING_ID]!;
      const previewRow = times[PREVIEW_TIMING_ID];
      if (i >= 2) loads.push({ appRow, firstRow: Math.min(appRow, previewRow ?? Infinity), preview: previewRow !== undefined }); // the first two warm caches
      await page.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }

  const first = median(loads.map((l) => l.firstRow));
  const app = median(loads.map((l) => l.appRow));
  const range = (xs: number[]) => `min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;
  // This machine is shared: the load average says how much CPU the page had to itself.
  const load = loadavg()[0]!;
  const result = { date: new Date().toISOString(), chunks, gzipKb, rawKb, loads, medianFirstRowMs: first, medianAppRowMs: app, loadAvg1m: load, cpus: cpus().length };
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/web.json"), `${JSON.stringify(result, null, 2)}\n`);
  const ok = (v: boolean) => (v ? "✅" : "❌");
  const previews = loads.filter((l) => l.preview).length;
  console.log(
    [
      "| measure | value | target |",
      "|---|---|---|",
      `| initial JS, gzipped (${chunks.map((c) => path.basename(c.src)).join(", ")}) | ${gzipKb.toFixed(1)} KB (${rawKb.toFixed(0)} KB raw) | ≤ ${TARGET_KB} KB ${ok(gzipKb <= TARGET_KB)} |`,
      `| navigation → first contact row painted, median of ${loads.length} (preview in ${previews}) | ${first.toFixed(0)} ms (${range(loads.map((l) => l.firstRow))}) | ≤ ${TARGET_MS} ms ${ok(first <= TARGET_MS)} |`,
      `| navigation → the app's own first row painted (interactive) | ${app.toFixed(0)} ms (${range(loads.map((l) => l.appRow))}) | — |`,
    ].join("\n"),
  );
  console.log(`\n(load average ${load.toFixed(1)} on ${cpus().length} CPUs during the run)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
