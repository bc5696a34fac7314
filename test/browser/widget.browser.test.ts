// The contacts table in real Chromium against the local stack (wrangler dev API + sandbox, `demo`
// location with 25,000 contacts): rows, server-side search and sort, 20,000 rows deep with the DOM
// bounded, column layout remembered across reloads, the contact drawer, a hostile name shown as
// text, empty and error states, and a 360 px wide iframe. Waits are DOM conditions.
/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { dragBy, launch, screenshot, sel, shown, total } from "./lib/widget";

// The first sync of an empty cache runs in the background; rows appear as it writes them.
const FIRST_ROWS_MS = 90_000;
const XSS_NAME = "<img src=x onerror=alert(1)>";

let stack: Stack | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let url: string;
let token: string;
const dialogs: string[] = [];

beforeAll(async () => {
  // Own ports (not npm start's 8787 nor the bench's 8797) and state folder, so neither is hit or modified.
  stack = await startStack({ port: 8817, sandboxPort: 8819, persistTo: ".wrangler/test-browser" });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  token = await stack.token("demo");
  url = `${stack.apiUrl}/#token=${token}`;
  await page.goto(url);
});

/**
 * The badge state the API's sync status calls for, read by the test on its own and mapped by the
 * README's rules: a sync under way → syncing; else a failed latest run → error; nothing ever
 * synced → never; else idle.
 */
async function badgeFromApi(): Promise<string> {
  const res = await fetch(`${stack!.apiUrl}/api/locations/demo/sync-status`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`sync-status: ${res.status} ${await res.text()}`);
  const status = (await res.json()) as { syncing: boolean; last_synced_at: string | null; runs: { status: string }[] };
  if (status.syncing) return "syncing";
  if (status.runs.some((r) => r.status === "failed")) return "error";
  if (status.last_synced_at === null && status.runs.length === 0) return "never";
  return "idle";
}

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("contacts table", () => {
  it("renders contact rows, the sync badge and the total, and scrubs the token from the URL", async () => {
    await page.waitForSelector(sel.row, { timeout: FIRST_ROWS_MS });
    expect(await page.locator(sel.row).count()).toBeGreaterThan(0);
    expect(page.url()).not.toContain("token=");
    const badge = page.locator(sel.badge);
    expect(await badge.count()).toBe(1);
    // The badge shows the state the API reports. Both may move (a sync ends; the widget polls
    // every second while one runs), so wait, bounded, for a moment when they agree.
    let seen = "";
    await vi
      .waitUntil(
        async () => {
          const [want, shown] = [await badgeFromApi(), await badge.getAttribute("data-status")];
          seen = `the API calls for "${want}", the badge shows "${shown}"`;
          return want === shown;
        },
        { timeout: 10_000, interval: 250 },
      )
      .catch((err: unknown) => {
        throw new Error(`badge and API disagree: ${seen}`, { cause: err });
      });
    expect(await total(page)).toBeGreaterThan(0);
  });

  it("searches server-side and narrows the total", async () => {
    await page.waitForSelector(`${sel.row}[data-index="0"]`);
    const before = await total(page);
    const needle = await page.$$eval(`${sel.row} td[data-column="email"]`, (cells) =>
      cells.map((c) => c.textContent?.trim() ?? "").find((text) => text.includes("@")),
    );
    expect(needle).toBeTruthy();
    await page.fill(sel.search, needle!);
    await shown(page, { q: needle! });
    const after = await total(page);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThan(before);
    const emails = await page.$$eval(`${sel.row} td[data-column="email"]`, (cells) => cells.map((c) => c.textContent ?? ""));
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email.toLowerCase()).toContain(needle!.toLowerCase());
  });

  it("shows the empty state for a search with no match", async () => {
    await page.fill(sel.search, "zzzz-no-such-contact-qqq");
    await shown(page, { q: "zzzz-no-such-contact-qqq" });
    await page.waitForSelector('[data-testid="empty"]');
    expect(await page.locator(sel.row).count()).toBe(0);
    expect(await page.textContent('[data-testid="empty"]')).toContain("zzzz-no-such-contact-qqq");
    await screenshot(page, "widget-empty-search");
    await page.fill(sel.search, "");
    await shown(page, { q: "" });
  });

  it("renders a contact named like an HTML tag as text", async () => {
    await page.fill(sel.search, "onerror");
    await shown(page, { q: "onerror" });
    const cell = page.locator(`${sel.row} td[data-column="name"]`).filter({ hasText: XSS_NAME });
    await cell.first().waitFor({ timeout: 90_000 });
    expect(await cell.first().textContent()).toBe(XSS_NAME);
    // No <img> was created from it anywhere, and no alert fired.
    expect(await page.locator(`${sel.table} img`).count()).toBe(0);
    expect(dialogs).toEqual([]);
    // The drawer shows it as text too.
    await cell.first().click();
    await page.waitForSelector(`${sel.drawer}[data-status="ready"]`, { timeout: 30_000 });
    expect(await page.textContent('[data-testid="drawer-title"]')).toBe(XSS_NAME);
    expect(await page.locator(`${sel.drawer} img`).count()).toBe(0);
    await page.keyboard.press("Escape");
    await page.waitForSelector(sel.drawer, { state: "detached" });
    expect(dialogs).toEqual([]);
    await page.fill(sel.search, "");
    await shown(page, { q: "" });
  });

  it("sorts by name from the keyboard via the header buttons", async () => {
    const button = page.getByTestId("sort-name");
    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector('th[aria-sort="ascending"] [data-testid="sort-name"]');
    await shown(page, { sort: "name", order: "asc" });
    const names = await page.$$eval(`${sel.row} td[data-column="name"]`, (cells) => cells.slice(0, 10).map((c) => c.textContent ?? ""));
    const ascFirst = names[0];
    await page.keyboard.press("Enter");
    await page.waitForSelector('th[aria-sort="descending"] [data-testid="sort-name"]');
    await shown(page, { sort: "name", order: "desc" });
    expect(await page.locator(sel.row).count()).toBeGreaterThan(0);
    expect(await page.textContent(`${sel.row}[data-index="0"] td[data-column="name"]`)).not.toBe(ascFirst);
    await page.getByTestId("sort-date_added").click();
    await page.waitForSelector('th[aria-sort="descending"] [data-testid="sort-date_added"]');
    await shown(page, { sort: "date_added", order: "desc" });
  });

  it("opens the contact drawer with its related records on Enter and closes it with Escape", async () => {
    await page.$eval(sel.scroller, (el) => el.scrollTo({ left: 0, top: 0 }));
    const row = page.locator(`${sel.row}[data-index="0"]`);
    const name = (await row.locator('td[data-column="name"]').textContent()) ?? "";
    await row.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${sel.drawer}[data-status="ready"]`, { timeout: 30_000 });
    expect(await page.textContent('[data-testid="drawer-title"]')).toBe(name);
    for (const kind of ["tasks", "notes", "conversations", "opportunities"]) {
      expect(await page.locator(`[data-testid="related-${kind}"]`).count()).toBe(1);
    }
    const related = await page.$$eval('[data-testid^="related-"]', (els) => els.reduce((n, el) => n + Number(el.getAttribute("data-count")), 0));
    expect(related).toBeGreaterThan(0);
    // Focus moved into the dialog.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("drawer-close");
    await screenshot(page, "widget-drawer");
    await page.keyboard.press("Escape");
    await page.waitForSelector(sel.drawer, { state: "detached" });
    // Focus went back to the row that opened it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-index"))).toBe("0");
  });

  it("remembers column visibility and width across a reload", async () => {
    await page.click('[data-testid="column-menu"] summary');
    await page.uncheck('[data-testid="toggle-column-phone"]');
    await page.waitForFunction((s) => !document.querySelector(`${s} td[data-column="phone"]`), sel.row);
    await page.click('[data-testid="column-menu"] summary');
    const widthOf = () => page.$eval('th[data-column="email"]', (th) => Math.round(th.getBoundingClientRect().width));
    const before = await widthOf();
    const handle = page.getByTestId("resize-email");
    await handle.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await page.waitForFunction((w) => Math.round(document.querySelector('th[data-column="email"]')!.getBoundingClientRect().width) === w + 50, before);
    // And by dragging the grip with the mouse.
    await dragBy(page, handle, 40);
    await page.waitForFunction((w) => Math.round(document.querySelector('th[data-column="email"]')!.getBoundingClientRect().width) >= w + 80, before);
    const resized = await widthOf();

    // The token lives in memory only: reopen the widget the way the CRM does, with a fresh token.
    // (A new query string: a change of the fragment alone would not reload the page.)
    await page.goto(`${stack!.apiUrl}/?reload=1#token=${await stack!.token("demo")}`);
    await page.waitForSelector(sel.row);
    expect(await page.locator('th[data-column="phone"]').count()).toBe(0);
    expect(await page.locator(`${sel.row} td[data-column="phone"]`).count()).toBe(0);
    expect(await widthOf()).toBe(resized);
    // Another user of the same location starts from the defaults.
    const other = await context.newPage();
    const res = await fetch(`${stack!.apiUrl}/api/admin/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack!.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ locations: ["demo"], subject: "someone-else" }),
    });
    const { token } = (await res.json()) as { token: string };
    await other.goto(`${stack!.apiUrl}/#token=${token}`);
    await other.waitForSelector('th[data-column="phone"]');
    expect(await other.$eval('th[data-column="email"]', (th) => Math.round(th.getBoundingClientRect().width))).toBe(before);
    await other.close();
    // Back to the default layout for the rest.
    await page.click('[data-testid="column-menu"] summary');
    await page.click('[data-testid="reset-columns"]');
    await page.waitForSelector('th[data-column="phone"]');
    await page.click('[data-testid="column-menu"] summary');
  });

  it("scrolls to row 20,000 with the DOM rows bounded", async () => {
    await page.waitForFunction((s) => Number(document.querySelector(s)?.getAttribute("data-total")) >= 20_001, sel.total, {
      timeout: FIRST_ROWS_MS,
    });
    await page.waitForFunction(
      ({ scroller, table }) => {
        const el = document.querySelector(scroller);
        if (el) el.scrollTop = el.scrollHeight;
        return Number(document.querySelector(table)?.getAttribute("data-loaded")) > 20_000;
      },
      { scroller: sel.scroller, table: sel.table },
      { timeout: 110_000, polling: 100 },
    );
    await page.$eval(sel.scroller, (el) => el.scrollTo({ top: 20_000 * 40 }));
    await page.waitForSelector(`${sel.row}[data-index="20000"]`);
    const rendered = await page.locator(sel.row).count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThanOrEqual(150);
    await screenshot(page, "widget-row-20000");
  }, 180_000);

  it("saves the contacts screenshot", async () => {
    await page.$eval(sel.scroller, (el) => el.scrollTo({ left: 0, top: 0 }));
    await page.waitForSelector(`${sel.row}[data-index="0"]`);
    await screenshot(page, "widget-contacts");
  });

  it("fits a 360 px wide iframe: panels stack, the page body does not scroll sideways", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 360 && document.body.scrollWidth <= 360);
    expect(await page.locator(sel.search).isVisible()).toBe(true);
    expect(await page.locator(sel.badge).isVisible()).toBe(true);
    // The table scrolls inside its own box instead.
    expect(await page.$eval(sel.scroller, (el) => el.scrollWidth > el.clientWidth)).toBe(true);
    // The side panels sit below the table.
    const [tableBottom, sideTop] = await page.evaluate(() => [
      document.querySelector(".table-area")!.getBoundingClientRect().bottom,
      document.querySelector(".side")!.getBoundingClientRect().top,
    ]);
    expect(sideTop).toBeGreaterThanOrEqual(tableBottom);
    await screenshot(page, "widget-360");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("shows an error state without a usable token", async () => {
    await page.goto(`${stack!.apiUrl}/?bad-token=1#token=not-a-valid-token`);
    await page.waitForSelector('[data-testid="error"][data-status="401"]');
    expect(await page.locator(sel.row).count()).toBe(0);
    await screenshot(page, "widget-error");
  });
});
