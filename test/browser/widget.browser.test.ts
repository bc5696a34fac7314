// The widget in real Chromium against the local stack (wrangler dev API + sandbox, demo location with
// 25,000 contacts): rows render, search narrows server-side, sorting is keyboard-operable, the DOM
// stays bounded under infinite scroll, and it fits a 360 px wide iframe. Waits are DOM conditions.
/// <reference lib="dom" />
// (page.waitForFunction / $eval callbacks run in the browser and use DOM globals.)
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCREENSHOT = path.join(ROOT, "docs/screenshots/widget-contacts.png");
// The first sync of an empty cache runs in the background; rows appear as it writes them.
const FIRST_ROWS_MS = 90_000;

const sel = {
  row: '[data-testid="contact-row"]',
  scroller: '[data-testid="contacts-scroller"]',
  table: '[data-testid="contacts-table"]',
  total: '[data-testid="total-count"]',
  badge: '[data-testid="sync-badge"]',
  search: '[data-testid="search-input"]',
} as const;

let stack: Stack | undefined;
let browser: Browser | undefined;
let page: Page;

/** The server-side total shown in the status line (data-total is locale-independent). */
async function total(): Promise<number> {
  return Number(await page.getAttribute(sel.total, "data-total"));
}

/** Resolves when the list shown is the first page of this query (<main data-q/sort/order>) and idle. */
async function shown(query: { q?: string; sort?: string; order?: string }): Promise<void> {
  await page.waitForFunction(
    ({ want, scroller }) => {
      const main = document.querySelector("main");
      if (!main || document.querySelector(scroller)?.getAttribute("aria-busy") !== "false") return false;
      return Object.entries(want).every(([key, value]) => main.getAttribute(`data-${key}`) === value);
    },
    { want: query, scroller: sel.scroller },
  );
}

beforeAll(async () => {
  // Own ports (not npm start's 8787 nor the bench's 8797) and state folder, so neither is hit or modified.
  stack = await startStack({ port: 8817, sandboxPort: 8819, persistTo: ".wrangler/test-browser" });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, locale: "en-US" });
  page = await context.newPage();
  await page.goto(`${stack.apiUrl}/#token=${await stack.token("demo")}`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("contacts widget", () => {
  it("renders contact rows, the sync badge and the total, and scrubs the token from the URL", async () => {
    await page.waitForSelector(sel.row, { timeout: FIRST_ROWS_MS });
    expect(await page.locator(sel.row).count()).toBeGreaterThan(0);
    expect(page.url()).not.toContain("token=");

    const badge = page.locator(sel.badge);
    expect(await badge.count()).toBe(1);
    expect(["fresh", "background", "stale", "error"]).toContain(await badge.getAttribute("data-status"));
    expect((await badge.textContent())?.trim()).not.toBe("");
    expect(await total()).toBeGreaterThan(0);
  });

  it("loads more pages on scroll while keeping the DOM rows bounded", async () => {
    // Enough synced rows for several pages (the background sync may still be running).
    await page.waitForFunction((s) => Number(document.querySelector(s)?.getAttribute("data-total")) >= 400, sel.total, {
      timeout: FIRST_ROWS_MS,
    });
    // Keep scrolling to the end until infinite scroll has fetched at least 3 pages of 100.
    await page.waitForFunction(
      ({ scroller, table }) => {
        const el = document.querySelector(scroller);
        if (el) el.scrollTop = el.scrollHeight;
        return Number(document.querySelector(table)?.getAttribute("data-loaded")) >= 300;
      },
      { scroller: sel.scroller, table: sel.table },
      { timeout: 60_000, polling: 200 },
    );
    const rendered = await page.locator(sel.row).count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(150);
    // The rows in the DOM are the ones at the end of the list, not the first page.
    const lastIndex = await page.$$eval(sel.row, (rows) => Math.max(...rows.map((r) => Number(r.getAttribute("data-index")))));
    expect(lastIndex).toBeGreaterThanOrEqual(250);
  });

  it("searches server-side and narrows the total", async () => {
    await page.$eval(sel.scroller, (el) => el.scrollTo({ top: 0 }));
    await page.waitForSelector(`${sel.row}[data-index="0"]`);
    const before = await total();
    // A unique-ish needle taken from the data: the first rendered e-mail address.
    const needle = await page.$$eval(`${sel.row} td[data-column="email"]`, (cells) =>
      cells.map((c) => c.textContent?.trim() ?? "").find((text) => text.includes("@")),
    );
    expect(needle).toBeTruthy();
    await page.fill(sel.search, needle!);
    await shown({ q: needle! });
    const after = await total();
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThan(before);
    const emails = await page.$$eval(`${sel.row} td[data-column="email"]`, (cells) => cells.map((c) => c.textContent ?? ""));
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email.toLowerCase()).toContain(needle!.toLowerCase());

    // Clearing the box brings the whole list back.
    await page.fill(sel.search, "");
    await shown({ q: "" });
    expect(await total()).toBeGreaterThan(after);
  });

  it("sorts by name from the keyboard via the header buttons", async () => {
    const button = page.getByTestId("sort-name");
    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector('th[aria-sort="ascending"] [data-testid="sort-name"]');
    await shown({ sort: "name", order: "asc" });
    const ascFirst = await page.textContent(`${sel.row}[data-index="0"] td[data-column="name"]`);
    await page.keyboard.press("Enter");
    await page.waitForSelector('th[aria-sort="descending"] [data-testid="sort-name"]');
    await shown({ sort: "name", order: "desc" });
    expect(await page.locator(sel.row).count()).toBeGreaterThan(0);
    expect(await page.textContent(`${sel.row}[data-index="0"] td[data-column="name"]`)).not.toBe(ascFirst);
    // Back to the default order (newest first) for the screenshot.
    await page.getByTestId("sort-date_added").click();
    await page.waitForSelector('th[aria-sort="descending"] [data-testid="sort-date_added"]');
    await shown({ sort: "date_added", order: "desc" });
  });

  it("fits a 360 px wide iframe and saves a screenshot", async () => {
    await page.setViewportSize({ width: 360, height: 640 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 360);
    expect(await page.locator(sel.search).isVisible()).toBe(true);
    expect(await page.locator(sel.badge).isVisible()).toBe(true);

    await page.setViewportSize({ width: 1100, height: 720 });
    // Focusing a header button may have scrolled the grid sideways; show it from its top-left corner.
    await page.$eval(sel.scroller, (el) => el.scrollTo({ left: 0, top: 0 }));
    await page.waitForSelector(`${sel.row}[data-index="0"]`);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });
});
