// The widget's connections panel in real Chromium against the local stack (its own ports and
// state): one location per state (connected: a static token; expiring: an OAuth install whose token
// ends within 10 minutes; needs_reconnect: credentials the upstream refuses; disabled: uninstalled
// by a signed UNINSTALL app event), each showing its state, and Reconnect where one is needed.
/// <reference lib="dom" />
import { generateKeyPairSync, sign } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { launch } from "./lib/widget";

const RUN = Date.now().toString(36);
const ids = { connected: `conn-ok-${RUN}`, expiring: `conn-exp-${RUN}`, needs_reconnect: `conn-bad-${RUN}`, disabled: `conn-off-${RUN}` };
const keys = generateKeyPairSync("ed25519");

let stack: Stack | undefined;
let browser: Browser | undefined;
let page: Page;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

async function must(res: Promise<Response>, what: string): Promise<Response> {
  const r = await res;
  if (!r.ok) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r;
}

async function oauthInstall(id: string, ttlS: number): Promise<void> {
  const s = stack!;
  const { code } = (await (await must(post(`${s.sandboxUrl}/__sandbox/ghl/oauth/codes`, { userType: "Location", companyId: `co-${RUN}`, locationId: id, ttlS }), "code")).json()) as { code: string };
  await must(fetch(`${s.apiUrl}/api/oauth/ghl/callback?code=${code}`), "callback");
}

beforeAll(async () => {
  stack = await startStack({
    port: 8857,
    sandboxPort: 8859,
    persistTo: ".wrangler/test-browser-connections",
    vars: { GHL_WEBHOOK_ED25519_PUBLIC_KEY: keys.publicKey.export({ type: "spki", format: "pem" }).toString().replace(/\n/g, "\\n") },
  });
  const s = stack;
  for (const id of Object.values(ids)) await must(post(`${s.sandboxUrl}/__sandbox/locations`, { id, contacts: 5 }), "sandbox location");
  const admin = { authorization: `Bearer ${s.adminKey}` };
  await must(post(`${s.apiUrl}/api/admin/locations`, { id: ids.connected, provider: "ghl", account_id: ids.connected, credentials: { access_token: `sbx-${ids.connected}` } }, admin), "register");
  await must(post(`${s.apiUrl}/api/admin/locations`, { id: ids.needs_reconnect, provider: "ghl", account_id: ids.needs_reconnect, credentials: { access_token: "refused-token" } }, admin), "register");
  await oauthInstall(ids.expiring, 300);
  await oauthInstall(ids.disabled, 3600);
  const event = JSON.stringify({ type: "UNINSTALL", appId: "sbx", companyId: `co-${RUN}`, locationId: ids.disabled });
  await must(fetch(`${s.apiUrl}/api/oauth/ghl/app-events`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-ghl-signature": sign(null, Buffer.from(event), keys.privateKey).toString("base64") },
    body: event,
  }), "uninstall");
  // The refused token: a sync meets the 401 and parks the location.
  const t = await s.token(ids.needs_reconnect);
  await must(post(`${s.apiUrl}/api/locations/${ids.needs_reconnect}/sync`, {}, { authorization: `Bearer ${t}` }), "sync");
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("connections panel", () => {
  it.each(Object.entries(ids))("shows %s, with Reconnect where one is needed", async (state, id) => {
    // Bounded: reload until the panel shows the state (the refused sync parks its location in seconds).
    const deadline = Date.now() + 60_000;
    for (;;) {
      // A new document each time: a changed #fragment alone would not load the widget again.
      await page.goto("about:blank");
      await page.goto(`${stack!.apiUrl}/#token=${await stack!.token(id)}`);
      const item = page.locator(`[data-testid="connection"][data-location="${id}"]`);
      await item.waitFor({ timeout: 30_000 });
      if ((await item.getAttribute("data-state")) === state || Date.now() > deadline) break;
      await page.waitForTimeout(1000);
    }
    const item = page.locator(`[data-testid="connection"][data-location="${id}"]`);
    expect(await item.getAttribute("data-state")).toBe(state);
    const reconnect = item.locator('[data-testid="reconnect"]');
    if (state === "connected") {
      expect(await reconnect.count()).toBe(0);
    } else {
      expect(await reconnect.getAttribute("href")).toBe(`${stack!.apiUrl}/api/oauth/ghl/install`);
    }
    expect(await page.content()).not.toMatch(/sbx(loc|co|refresh)-[0-9a-f]{8}/);
  });
});
