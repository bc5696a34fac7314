// /api/docs renders the API reference in real Chromium from this Worker alone: Scalar's script
// comes from our own assets, the document from /api/openapi.json, and the page's policy is never
// violated (a request to any other origin, or a refused script, style or font, fails the test).
/// <reference lib="dom" />
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_REFERENCE_SCRIPT } from "../../shared/assets";
import { type Stack, startStack } from "../../scripts/stack";
import { launch, screenshot } from "./lib/widget";

let stack: Stack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  // Own ports: see the other browser tests and benches for theirs.
  stack = await startStack({ port: 8877, sandboxPort: 8879, persistTo: ".wrangler/test-browser-api-docs" });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("GET /api/docs in Chromium", () => {
  it("renders every tag and operation from this origin only, with no policy violation", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const page = await context.newPage();
    const origin = new URL(stack!.apiUrl).origin;
    const elsewhere: string[] = [];
    const violations: string[] = [];
    const scripts: string[] = [];
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (url.protocol.startsWith("http") && url.origin !== origin) elsewhere.push(req.url());
      if (req.resourceType() === "script") scripts.push(url.pathname);
    });
    page.on("console", (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });

    const res = await page.goto(`${stack!.apiUrl}/api/docs`);
    expect(res?.status()).toBe(200);
    // Scalar renders the document's title, every tag in its sidebar, and the first tag's operations
    // (the other tags open on demand).
    await page.getByText("CRM Edge API", { exact: false }).first().waitFor({ timeout: 60_000 });
    for (const tag of ["Contacts", "Sync", "Imports", "Auth", "Admin", "Meta"]) {
      await page.getByText(tag, { exact: true }).first().waitFor({ timeout: 30_000 });
    }
    for (const summary of ["Contacts from the cache only", "One contact with its tasks, notes, conversations and opportunities"]) {
      await page.getByText(summary, { exact: false }).first().waitFor({ timeout: 30_000 });
    }
    await page.getByText("/api/get-location-contacts-fast").first().waitFor({ timeout: 30_000 });
    await screenshot(page, "api-docs");
    expect(scripts).toContain(API_REFERENCE_SCRIPT);
    expect(elsewhere).toEqual([]);
    // Scalar's bundle tries eval once (a feature probe); the policy refuses it and the reference
    // renders without it (the waits above). Any other refusal fails here.
    expect(violations.filter((v) => v !== "Content Security Policy violation: script-src eval")).toEqual([]);
    await context.close();
  });
});
