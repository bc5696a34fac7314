// The pre-React first paint (web/src/boot/): with a #token the inline boot script paints the first
// rows before the app bundle runs, in the user's column layout, with hostile text as text, and the
// app replaces it without a moment where no rows are on the page. Real Chromium, real stack.
/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { PREVIEW_TIMING_ID } from "../../web/src/boot/handoff";
import { launch, sel } from "./lib/widget";

const LOCATION = "first-paint";
const XSS_NAME = "<img src=x onerror=alert(1)>";
const RUN = Date.now().toString(36);

let stack: Stack | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let url: string;

type Handoff = {
  /** Ids of the preview's rows when first seen, and of the app's rows when first seen. */
  previewIds: string[];
  appIds: string[];
  previewFirst: boolean;
  /** Mutations after the first rows appeared in which no rows (of either kind) were in the DOM. */
  gaps: number;
  previewColumns: string[];
  previewNames: string[];
  previewImages: number;
  /** The first row's top and cell widths, in the preview and then in the app. */
  previewGeometry: number[];
  appGeometry: number[];
};

/** Records, from before the page's own scripts run, what the page showed and in which order. */
function recordHandoff(): void {
  const w = window as unknown as { __handoff: Handoff };
  const h: Handoff = { previewIds: [], appIds: [], previewFirst: false, gaps: 0, previewColumns: [], previewNames: [], previewImages: 0, previewGeometry: [], appGeometry: [] };
  w.__handoff = h;
  const geometry = (row: Element) => [row.getBoundingClientRect().top, ...Array.from(row.children).map((c) => c.getBoundingClientRect().width)];
  // Measured as painted: the boot script may insert its rows before the stylesheet has loaded, and
  // the page is not rendered (no animation frame runs) until it has.
  const whenPainted = (row: Element, store: (g: number[]) => void) => requestAnimationFrame(() => store(geometry(row)));
  let seenRows = false;
  new MutationObserver(() => {
    const preview = Array.from(document.querySelectorAll('[data-testid="preview-row"]'));
    const app = Array.from(document.querySelectorAll('[data-testid="contact-row"]'));
    if (preview.length && !h.previewIds.length) {
      h.previewIds = preview.map((r) => (r as HTMLElement).dataset.id ?? "");
      h.previewFirst = h.appIds.length === 0;
      h.previewColumns = Array.from(preview[0]!.children).map((c) => (c as HTMLElement).dataset.column ?? "");
      h.previewNames = preview.map((r) => r.querySelector('[data-column="name"]')?.textContent ?? "");
      h.previewImages = document.querySelectorAll("#crm-edge-preview img").length;
      whenPainted(preview[0]!, (g) => (h.previewGeometry = g));
    }
    if (app.length && !h.appIds.length) {
      h.appIds = app.map((r) => (r as HTMLElement).dataset.id ?? "");
      const first = document.querySelector('[data-testid="contact-row"][data-index="0"]');
      if (first) whenPainted(first, (g) => (h.appGeometry = g));
    }
    if (seenRows && !preview.length && !app.length) h.gaps++;
    seenRows ||= preview.length > 0 || app.length > 0;
  }).observe(document, { childList: true, subtree: true });
}

async function open(): Promise<{ page: Page; handoff: Handoff; dialogs: string[]; requests: string[] }> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  // The API paths the page asks for, in order.
  const requests: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith("/api/")) requests.push(url.pathname);
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // The app's entry chunk is held until the preview has been painted. Under load the stylesheet can
  // arrive after the boot script's deadline (APP_START_DEADLINE_MS), and the app then paints first:
  // right for a user, but then there is no painted preview for these tests to compare.
  await page.route(/\/assets\/index-[\w-]+\.js$/, async (route) => {
    await page.evaluate(
      (id) =>
        new Promise<void>((resolve) => {
          new PerformanceObserver((list, observer) => {
            if (list.getEntries().some((e) => (e as PerformanceEntry & { identifier?: string }).identifier === id)) {
              observer.disconnect();
              resolve();
            }
          }).observe({ type: "element", buffered: true });
        }),
      PREVIEW_TIMING_ID,
    );
    await route.continue();
  });
  await page.goto(url);
  await page.waitForSelector(sel.row);
  await page.waitForSelector("#crm-edge-preview", { state: "detached" });
  const handoff = await page.evaluate(() => (window as unknown as { __handoff: Handoff }).__handoff);
  return { page, handoff, dialogs, requests };
}

beforeAll(async () => {
  stack = await startStack({ port: 8867, sandboxPort: 8869, persistTo: ".wrangler/test-browser-first-paint" });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const made = await post(`${stack.sandboxUrl}/__sandbox/locations`, { id: LOCATION, contacts: 300 });
  if (!made.ok) throw new Error(`sandbox location: ${made.status} ${await made.text()}`);
  const registered = await post(
    `${stack.apiUrl}/api/admin/locations`,
    { id: LOCATION, provider: "ghl", account_id: LOCATION, name: "First paint", credentials: { access_token: `sbx-${LOCATION}` } },
    { authorization: `Bearer ${stack.adminKey}` },
  );
  if (registered.status !== 201 && registered.status !== 409) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  url = `${stack.apiUrl}/#token=${await stack.token(LOCATION)}`;
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.addInitScript(recordHandoff);
  // The first visit starts the first sync; wait until the cache holds every contact (a kept state
  // folder also holds the contacts earlier runs imported).
  const first = await context.newPage();
  await first.goto(url);
  await first.waitForFunction((total) => Number(document.querySelector(total)?.getAttribute("data-total")) >= 300, sel.total, { timeout: 90_000 });
  await first.close();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("first paint before the app", () => {
  it("paints the first page's rows first, then the app takes over with the same rows in place and no gap", async () => {
    const { page, handoff } = await open();
    expect(handoff.previewFirst).toBe(true);
    expect(handoff.previewIds.length).toBeGreaterThan(5);
    expect(handoff.gaps).toBe(0);
    // The same contacts in the same order, where the app puts them.
    expect(handoff.appIds.slice(0, handoff.previewIds.length)).toEqual(handoff.previewIds);
    expect(handoff.previewColumns).toEqual(["name", "email", "phone", "company", "tags", "date_added", "date_updated"]);
    expect(handoff.previewGeometry.length).toBe(handoff.appGeometry.length);
    handoff.previewGeometry.forEach((v, i) => expect(Math.abs(v - handoff.appGeometry[i]!)).toBeLessThanOrEqual(1));
    await page.close();
  });

  it("the app's list is the boot script's response: one list request per load", async () => {
    const { page, requests } = await open();
    // The sync status is asked once the first page has been taken in (App's `booted`): by then a
    // second list request from the app, had it made one, would have been sent.
    await vi.waitUntil(() => requests.some((p) => p.endsWith("/sync-status")), { timeout: 10_000, interval: 50 });
    expect(requests.filter((p) => p === "/api/get-location-contacts-fast")).toEqual(["/api/get-location-contacts-fast"]);
    await page.close();
  });

  it("lays the preview out in the user's stored column layout", async () => {
    const { page } = await open();
    await page.click('[data-testid="column-menu"] summary');
    await page.uncheck('[data-testid="toggle-column-email"]');
    await page.waitForSelector(`${sel.row} td[data-column="email"]`, { state: "detached" });
    await page.close();
    const again = await open();
    expect(again.handoff.previewColumns).toEqual(["name", "phone", "company", "tags", "date_added", "date_updated"]);
    again.handoff.previewGeometry.forEach((v, i) => expect(Math.abs(v - again.handoff.appGeometry[i]!)).toBeLessThanOrEqual(1));
    await again.page.click('[data-testid="column-menu"] summary');
    await again.page.click('[data-testid="reset-columns"]');
    await again.page.close();
  });

  it("shows a hostile name in the preview as text", async () => {
    const { page } = await open();
    // An imported contact is the newest, so it leads the first page.
    const csv = `email,first_name,last_name\nfirst-paint-${RUN}@acme-mail.com,"${XSS_NAME}",\n`;
    await page.setInputFiles('[data-testid="import-file"]', { name: `xss-${RUN}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="import-chosen"]');
    await page.getByTestId("import-start").click();
    await page.waitForSelector(`[data-testid="import-task"][data-status="completed"]:has-text("xss-${RUN}.csv")`, { timeout: 60_000 });
    await page.close();
    const { handoff, dialogs, page: again } = await open();
    expect(handoff.previewNames[0]).toBe(XSS_NAME);
    expect(handoff.previewImages).toBe(0);
    expect(dialogs).toEqual([]);
    await again.close();
  });

  it("paints no preview without a usable token: the app shows the error", async () => {
    const page = await context.newPage();
    await page.goto(`${stack!.apiUrl}/#token=not-a-valid-token`);
    await page.waitForSelector('[data-testid="error"][data-status="401"]');
    const handoff = await page.evaluate(() => (window as unknown as { __handoff: Handoff }).__handoff);
    expect(handoff.previewIds).toEqual([]);
    expect(await page.locator("#crm-edge-preview").count()).toBe(0);
    await page.close();
  });
});
