// Shared pieces of the widget's browser tests: Chromium launch, selectors, screenshots and the
// "this query's first page is shown and idle" wait. Every wait is a DOM condition, never a sleep.
/// <reference lib="dom" />
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { launchChromium } from "../../../scripts/lib/chromium";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
const SHOTS = path.join(ROOT, "docs/screenshots");

export const sel = {
  row: '[data-testid="contact-row"]',
  scroller: '[data-testid="contacts-scroller"]',
  table: '[data-testid="contacts-table"]',
  total: '[data-testid="total-count"]',
  badge: '[data-testid="sync-badge"]',
  search: '[data-testid="search-input"]',
  drawer: '[data-testid="contact-drawer"]',
} as const;

/** Chromium as every browser test and bench:web launch it (scripts/lib/chromium.ts). */
export const launch = launchChromium;

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const t0 = Date.now();
  // Animations stopped: an endless one (the pulsing badge) can hold a screenshot back for seconds.
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: "disabled" });
  if (process.env.SHOT_TIMING) console.log(`screenshot ${name}: ${Date.now() - t0} ms`);
}

/** The server-side total shown in the status line (data-total is locale-independent). */
export async function total(page: Page): Promise<number> {
  return Number(await page.getAttribute(sel.total, "data-total"));
}

/** Resolves when the list shown is the first page of this query (<main data-q/sort/order>) and idle. */
export async function shown(page: Page, query: { q?: string; sort?: string; order?: string }): Promise<void> {
  await page.waitForFunction(
    ({ want, scroller }) => {
      const main = document.querySelector("main");
      if (!main || document.querySelector(scroller)?.getAttribute("aria-busy") !== "false") return false;
      return Object.entries(want).every(([key, value]) => main.getAttribute(`data-${key}`) === value);
    },
    { want: query, scroller: sel.scroller },
  );
}

/**
 * Drags `target` sideways with the real mouse. While the location syncs, the sync bar above the
 * table changes height (a kind finishes, the progress block goes), so the table can move between
 * measuring the target and pressing: a press is checked to have landed on the target (`:active`),
 * and one that missed is released over the page title (no control there to click) and tried again.
 */
export async function dragBy(page: Page, target: Locator, dx: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const box = await target.boundingBox();
    if (!box) throw new Error("drag target is not rendered");
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    if (await target.evaluate((el) => el.matches(":active"))) {
      await page.mouse.move(x + dx, y, { steps: 4 });
      await page.mouse.up();
      return;
    }
    const title = (await page.locator("h1").boundingBox())!;
    await page.mouse.move(title.x + 2, title.y + 2);
    await page.mouse.up();
    if (attempt === 3) throw new Error(`three presses at the drag target's position missed it (last at ${x},${y})`);
  }
}
