// Shared pieces of the widget's browser tests: Chromium launch, selectors, screenshots and the
// "this query's first page is shown and idle" wait. Every wait is a DOM condition, never a sleep.
/// <reference lib="dom" />
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";

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

export function launch(): Promise<Browser> {
  return chromium.launch({
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
}

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
