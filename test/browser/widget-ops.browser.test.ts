// The widget's sync and import panels in real Chromium against the local stack (its own ports and
// state, so it runs after widget.browser.test.ts without touching it). A small 1,000-contact GHL
// location keeps syncs to seconds. Covers: Refresh → pulsing "syncing" badge with live progress →
// idle with a fresh run and the requests/s chart; a 200-row CSV upload to 100% with the exact
// per-status counts and rejects.csv; drag-and-drop; cancel and resume. Waits are DOM conditions.
/// <reference lib="dom" />
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { launch, screenshot, sel } from "./lib/widget";

const LOCATION = "widget-small";
// The state folder outlives a run: name this run's files uniquely so old tasks never match.
const RUN = Date.now().toString(36);
const CSV_NAME = `widget-200-${RUN}.csv`;
const DROP_NAME = `dropped-${RUN}.csv`;
const SYNC_MS = 90_000;
/** settings.rate_limit_rps of the test location (the deployment's default is 7). */
const RATE_LIMIT_RPS = 5;

let stack: Stack | undefined;
let browser: Browser | undefined;
let page: Page;

async function json(url: string, method: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** The 200-row file: 120 valid, 30 invalid, 20 blacklisted, 20 duplicates, 10 DNS errors. */
function csv(): { text: string; counts: { valid: number; invalid: number; blacklist: number; duplicate: number; error: number } } {
  const lines = ["email,first_name,last_name"];
  for (let i = 0; i < 120; i++) lines.push(`widget-csv-${RUN}-${i}@acme-mail.com,Ada${i},Valid`);
  for (let i = 0; i < 30; i++) lines.push(`broken-${i}-at-acme-mail.com,Bob${i},Invalid`);
  for (let i = 0; i < 20; i++) lines.push(`widget-csv-${RUN}-${i}@mailinator.com,Cy${i},Disposable`);
  for (let i = 0; i < 10; i++) lines.push(`widget-csv-${RUN}-${i}@servfail-mail.com,Di${i},Dns`);
  for (let i = 0; i < 20; i++) lines.push(`widget-csv-${RUN}-${i}@acme-mail.com,Eve${i},Again`);
  return { text: `${lines.join("\n")}\n`, counts: { valid: 120, invalid: 30, blacklist: 20, duplicate: 20, error: 10 } };
}

const badgeIs = (status: string, timeout = SYNC_MS) => page.waitForSelector(`${sel.badge}[data-status="${status}"]`, { timeout });

beforeAll(async () => {
  stack = await startStack({ port: 8837, sandboxPort: 8839, persistTo: ".wrangler/test-browser-ops" });
  const made = await json(`${stack.sandboxUrl}/__sandbox/locations`, "POST", { id: LOCATION, contacts: 1000 });
  if (!made.ok) throw new Error(`sandbox location: ${made.status} ${await made.text()}`);
  const registered = await json(
    `${stack.apiUrl}/api/admin/locations`,
    "POST",
    { id: LOCATION, provider: "ghl", account_id: LOCATION, name: "Widget test", credentials: { access_token: `sbx-${LOCATION}` } },
    { authorization: `Bearer ${stack.adminKey}` },
  );
  if (registered.status !== 201 && registered.status !== 409) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  // The location's own pace, below the deployment's 7/s: the charts must draw this limit.
  const paced = await json(`${stack.apiUrl}/api/admin/locations/${LOCATION}`, "PATCH", { settings: { rate_limit_rps: RATE_LIMIT_RPS } }, { authorization: `Bearer ${stack.adminKey}` });
  if (!paced.ok) throw new Error(`settings: ${paced.status} ${await paced.text()}`);
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", acceptDownloads: true });
  page = await context.newPage();
  await page.goto(`${stack.apiUrl}/#token=${await stack.token(LOCATION)}`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("sync panel", () => {
  it("Refresh shows the pulsing syncing badge with progress, then idle with a fresh run and the RPS chart", async () => {
    // Opening the widget on an empty cache starts the first sync by itself; let it finish.
    await page.waitForSelector(sel.row, { timeout: SYNC_MS });
    await badgeIs("idle");
    await page.waitForSelector('[data-testid="sync-run"]');
    const newestBefore = await page.locator('[data-testid="sync-run"]').first().getAttribute("data-run-id");
    // The table stays where it is while a sync starts, runs and ends: the progress goes in the side column.
    const tableTop = () => page.$eval("thead", (el) => el.getBoundingClientRect().top);
    const topIdle = await tableTop();

    // Slow the upstream down so the run is long enough to watch (every request waits 1.2 s).
    await json(`${stack!.sandboxUrl}/__sandbox/locations/${LOCATION}/faults`, "PUT", { latencyMs: 1200 });
    await page.getByTestId("sync-refresh").click();
    await badgeIs("syncing", 10_000);
    const animation = await page.$eval(`${sel.badge} .badge-dot`, (dot) => getComputedStyle(dot).animationName);
    expect(animation).toBe("pulse");
    expect(await page.getByTestId("sync-refresh").isDisabled()).toBe(true);
    await page.waitForSelector('[data-testid="sync-progress-run"][data-status="running"]', { timeout: 30_000 });
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="sync-requests"]')).some((el) => Number(el.textContent) > 0), undefined, {
      timeout: 30_000,
    });
    // The live requests/s line of the running sync, drawn from the status polls.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-rps"]')?.getAttribute("data-samples")) >= 2, undefined, {
      timeout: 30_000,
    });
    expect(await page.locator('[data-testid="live-rps"] polyline').count()).toBe(1);
    expect(await page.getAttribute('[data-testid="live-rps-limit"]', "data-limit")).toBe(String(RATE_LIMIT_RPS));
    await screenshot(page, "widget-syncing");
    expect(await tableTop()).toBe(topIdle);
    await fetch(`${stack!.sandboxUrl}/__sandbox/locations/${LOCATION}/faults`, { method: "DELETE" });

    await badgeIs("idle");
    expect(await page.locator('[data-testid="sync-progress"]').count()).toBe(0);
    expect(await tableTop()).toBe(topIdle);
    expect(await page.textContent('[data-testid="last-synced"]')).toContain("just now");
    await page.waitForFunction(
      (before) => {
        const first = document.querySelector('[data-testid="sync-run"]');
        return first?.getAttribute("data-run-id") !== before && first?.getAttribute("data-status") === "succeeded";
      },
      newestBefore,
      { timeout: 30_000 },
    );
    const newest = page.locator('[data-testid="sync-run"]').first();
    expect(Number(await newest.getByTestId("run-requests").textContent())).toBeGreaterThan(0);
    // The chart: one bar per finished run, all under the deployment's 7/s (runs of earlier test
    // runs kept in the state folder may predate the location's own limit), and the limit line at
    // the location's own rate.
    await page.waitForSelector('[data-testid="rps-chart"] [data-testid="rps-bar"]');
    const bars = await page.$$eval('[data-testid="rps-bar"]', (gs) => gs.map((g) => ({ avg: Number(g.getAttribute("data-avg")), peak: Number(g.getAttribute("data-peak")) })));
    expect(bars.length).toBeGreaterThanOrEqual(2);
    expect(bars.some((b) => b.avg > 0)).toBe(true);
    for (const b of bars) expect(b.peak).toBeLessThanOrEqual(7);
    expect(await page.locator('[data-testid="rps-limit"]').count()).toBe(1);
    expect(await page.getAttribute('[data-testid="rps-limit"]', "data-limit")).toBe(String(RATE_LIMIT_RPS));
    await page.locator('[data-testid="sync-runs"]').scrollIntoViewIfNeeded();
    await screenshot(page, "widget-sync-runs");
  }, 180_000);
});

describe("sync failure", () => {
  it("shows the error badge with the failure's message, and recovers on the next good sync", async () => {
    const admin = { authorization: `Bearer ${stack!.adminKey}` };
    const credentials = (token: string) =>
      json(`${stack!.apiUrl}/api/admin/locations/${LOCATION}`, "PATCH", { credentials: { access_token: token } }, admin);
    // A token the upstream refuses: a 401 is not retried, so the run fails at once.
    expect((await credentials("sbx-wrong-token")).ok).toBe(true);
    try {
      await badgeIs("idle");
      await page.getByTestId("sync-refresh").click();
      await badgeIs("error", 60_000);
      const text = (await page.textContent(sel.badge)) ?? "";
      expect(text).toContain("Sync failed");
      expect(text.length).toBeGreaterThan("Sync failed".length + 2); // the server's message follows
      await page.waitForSelector('[data-testid="sync-run"][data-status="failed"]');
      await screenshot(page, "widget-sync-error");
    } finally {
      await credentials(`sbx-${LOCATION}`);
    }
    await page.getByTestId("sync-refresh").click();
    await badgeIs("idle");
  }, 150_000);
});

describe("import panel", () => {
  it("uploads a 200-row CSV and runs it to 100% with the right per-status counts, then downloads rejects.csv", async () => {
    const file = csv();
    await page.setInputFiles('[data-testid="import-file"]', { name: CSV_NAME, mimeType: "text/csv", buffer: Buffer.from(file.text) });
    await page.waitForSelector('[data-testid="import-chosen"]');
    await page.check('[data-testid="import-mode-validated"]');
    await page.getByTestId("import-start").click();
    const task = page.locator('[data-testid="import-task"]').filter({ hasText: CSV_NAME });
    await task.waitFor();
    await page.locator('[data-testid="import-panel"]').scrollIntoViewIfNeeded();
    await screenshot(page, "widget-import-progress");
    await page.waitForSelector(`[data-testid="import-task"][data-status="completed"][data-progress="100"]:has-text("${CSV_NAME}")`, { timeout: 60_000 });
    expect(await task.getAttribute("data-processed")).toBe("200");
    expect(await task.getAttribute("data-total")).toBe("200");
    for (const [bucket, n] of Object.entries(file.counts)) {
      expect(await task.getByTestId(`count-${bucket}`).textContent(), bucket).toBe(String(n));
    }
    expect(await task.getByTestId("import-progress").getAttribute("value")).toBe("100");
    await screenshot(page, "widget-import-done");

    const [download] = await Promise.all([page.waitForEvent("download"), task.getByTestId("import-rejects").click()]);
    expect(download.suggestedFilename()).toMatch(/-rejects\.csv$/);
    const rejects = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(rejects[0]).toContain("row,status,reason");
    expect(rejects.length - 1).toBe(200 - file.counts.valid);
  }, 120_000);

  it("takes a dropped file, and a running import can be cancelled and resumed", async () => {
    // Every row waits on a DNS server that never answers (3 s timeout), so the task runs long enough.
    const lines = ["email"];
    for (let i = 0; i < 40; i++) lines.push(`slowpoke-${RUN}-${i}@hang-mail.com`);
    const handle = await page.evaluateHandle(({ text, name }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: "text/csv" }));
      return dt;
    }, { text: `${lines.join("\n")}\n`, name: DROP_NAME });
    await page.dispatchEvent('[data-testid="import-drop"]', "drop", { dataTransfer: handle });
    await page.waitForSelector(`[data-testid="import-chosen"]:has-text("${DROP_NAME}")`);
    await page.getByTestId("import-start").click();
    const task = page.locator('[data-testid="import-task"]').filter({ hasText: DROP_NAME });
    await task.waitFor();
    await task.getByTestId("import-cancel").click();
    await page.waitForFunction((name) => {
      const el = Array.from(document.querySelectorAll('[data-testid="import-task"]')).find((t) => t.textContent?.includes(name));
      return el?.getAttribute("data-status") === "cancelled";
    }, DROP_NAME);
    await task.getByTestId("import-resume").click();
    await page.waitForFunction(
      (name) => {
        const el = Array.from(document.querySelectorAll('[data-testid="import-task"]')).find((t) => t.textContent?.includes(name));
        return el?.getAttribute("data-status") === "completed";
      },
      DROP_NAME,
      { timeout: 60_000 },
    );
    expect(await task.getAttribute("data-processed")).toBe("40");
    expect(await task.getByTestId("count-error").textContent()).toBe("40");
  }, 120_000);
});

describe("localisation", () => {
  it("speaks Russian to a Russian-language browser, with dates in its locale", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: "ru-RU" });
    const ru = await context.newPage();
    await ru.goto(`${stack!.apiUrl}/#token=${await stack!.token(LOCATION)}`);
    await ru.waitForSelector(sel.row);
    expect(await ru.getAttribute("html", "lang")).toBe("ru");
    expect(await ru.textContent("h1")).toBe("Контакты");
    expect(await ru.getByTestId("sync-refresh").textContent()).toBe("Обновить");
    expect(await ru.getByTestId("sort-name").getAttribute("aria-label")).toBe("Сортировать по полю «Имя»");
    // ru-RU medium dates read like "22 нояб. 2026 г., 23:45".
    expect(await ru.textContent(`${sel.row} td[data-column="date_added"]`)).toMatch(/\d{4} г\./);
    await context.close();
  });
});
