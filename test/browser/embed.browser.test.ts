// Embedding in real Chromium against the local stack: the widget inside an allowlisted host page
// gets its token through the postMessage handshake (web/public/embed.js), shows contacts and sizes
// its iframe; a non-allowlisted origin cannot frame it (CSP frame-ancestors); GoHighLevel's
// custom-page SSO works against a parent that answers REQUEST_USER_DATA like GHL, and a tampered
// payload ends in an error state. Waits are DOM conditions and browser events, never sleeps.
/// <reference lib="dom" />
import { mkdirSync } from "node:fs";
import path from "node:path";
import CryptoJS from "crypto-js";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Stack, startStack } from "../../scripts/stack";
import { readDevVars } from "../../scripts/dev-vars";
import { originAllowed } from "../../web/src/embed/origins";
import { authKeyRing } from "../../worker/auth/keyring";
import { mintToken } from "../../worker/auth/tokens";
import { type HostServer, forgeryPages, ghlParentPage, loaderPage, startHost } from "./lib/embed-hosts";
import { launch } from "./lib/widget";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOTS = path.join(ROOT, "docs/screenshots");
const FIRST_ROWS_MS = 90_000;
const ROW = '[data-testid="contact-row"]';
// Own ports: the widget tests use 8817/8819, the bench 8797/8799.
const API_PORT = 8827;
const SANDBOX_PORT = 8829;
const ALLOWED_PORT = 8831;
const OTHER_PORT = 8832;

let stack: Stack | undefined;
let allowed: HostServer | undefined;
let other: HostServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext;

/**
 * Records the API's answers to a page (status, method, path), so a wait that times out can say
 * what the widget was told instead of only that no row appeared.
 */
function apiAnswers(page: Page): string[] {
  const seen: string[] = [];
  page.on("response", (res) => {
    if (res.url().startsWith(`${stack!.apiUrl}/api/`)) seen.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  page.on("requestfailed", (req) => {
    if (req.url().startsWith(`${stack!.apiUrl}/api/`)) seen.push(`failed (${req.failure()?.errorText}) ${req.method()} ${new URL(req.url()).pathname}`);
  });
  return seen;
}

/** What the widget shows instead of rows: connecting, its error, an empty list, loading, the sync badge. */
const WIDGET_STATES = ["embed-connecting", "embed-error", "error", "empty", "loading", "sync-badge"].map((id) => `[data-testid="${id}"]`).join(", ");

/** The first contact row; on a timeout, an error naming the widget's state and the API's answers. */
async function firstRow(frame: Frame, answers: string[]): Promise<void> {
  try {
    await frame.waitForSelector(ROW, { timeout: FIRST_ROWS_MS });
  } catch (err) {
    const state = await frame
      .$$eval(WIDGET_STATES, (els) => els.map((el) => `${el.getAttribute("data-testid")}${el.getAttribute("data-status") ? `[${el.getAttribute("data-status")}]` : ""}: ${(el.textContent ?? "").trim().slice(0, 120)}`))
      .catch((e: unknown) => [`(frame unreadable: ${String(e)})`]);
    throw new Error(`no contact row within ${FIRST_ROWS_MS} ms.\nWidget: ${state.join(" | ")}\nAPI answers: ${answers.join(", ")}`, { cause: err });
  }
}

async function widgetFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector("iframe");
  const frame = await handle.contentFrame();
  if (!frame) throw new Error("the iframe has no frame");
  return frame;
}

function ssoPayload(data: Record<string, unknown>): string {
  return CryptoJS.AES.encrypt(JSON.stringify(data), stack!.ghlSsoKey).toString();
}

// The sandbox's users of `demo` (GET /users/:id confirms them): an account admin and a plain user.
const ghlUser = {
  userId: "demo-admin",
  companyId: "sbx-company",
  role: "admin",
  type: "location",
  activeLocation: "demo",
  userName: "Ada Byron",
  email: "ada@example.com",
};
const ghlReadOnlyUser = { ...ghlUser, userId: "demo-user", role: "user", userName: "Read Only" };

/** Content-Security-Policy violations the page reports (none may happen: the policy fits the widget). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|connect|apply)/.test(msg.text())) seen.push(msg.text());
  });
  return seen;
}

/** A token as the Worker mints it, signed locally with the stack's AUTH_SECRET (for times the admin API will not give). */
async function localToken(locationId: string, opts: { ttlSeconds: number; now: number }): Promise<string> {
  const keys = await authKeyRing(readDevVars());
  return (await mintToken(keys, { subject: "host-user", locations: [locationId], scopes: ["read", "import", "sync"], ...opts })).token;
}

beforeAll(async () => {
  [allowed, other] = await Promise.all([startHost(ALLOWED_PORT), startHost(OTHER_PORT)]);
  stack = await startStack({
    port: API_PORT,
    sandboxPort: SANDBOX_PORT,
    persistTo: ".wrangler/test-embed",
    vars: { EMBED_ALLOWED_ORIGINS: allowed.origin },
  });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1100, height: 720 }, locale: "en-US" });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await Promise.all([allowed?.close(), other?.close()]);
});

describe("embedding the widget", () => {
  it("in an allowlisted host page: token by postMessage, contacts, and height messages applied", async () => {
    const page = await context.newPage();
    const answers = apiAnswers(page);
    const url = allowed!.page("/crm.html", loaderPage({
      widgetUrl: `${stack!.apiUrl}/`,
      token: await stack!.token("demo"),
      locationId: "demo",
      height: 150,
    }));
    await page.goto(url);
    const frame = await widgetFrame(page);
    await firstRow(frame, answers);
    // The token never travelled in a URL.
    expect(frame.url()).toBe(`${stack!.apiUrl}/`);
    const said = await page.evaluate(() => (window as unknown as { __fromWidget: { type?: string }[] }).__fromWidget);
    expect(said.some((m) => m.type === "crm-edge:hello")).toBe(true);

    // 150 px is less than the widget needs: it reports its real height and embed.js applies it.
    await page.waitForFunction(() => {
      const heights = (window as unknown as { __fromWidget: { type?: string; height?: number }[] }).__fromWidget
        .filter((m) => m.type === "crm-edge:height").map((m) => m.height!);
      const last = heights.at(-1);
      return last !== undefined && last > 150 && document.querySelector("iframe")!.style.height === `${last}px`;
    });

    // The host gives it more room: the widget fills it and says so; the iframe keeps that height.
    await page.$eval("iframe", (el) => ((el as HTMLIFrameElement).style.height = "560px"));
    await page.waitForFunction(() =>
      (window as unknown as { __fromWidget: { type?: string; height?: number }[] }).__fromWidget
        .some((m) => m.type === "crm-edge:height" && m.height === 560),
    );
    expect(await page.$eval("iframe", (el) => (el as HTMLIFrameElement).style.height)).toBe("560px");
    await frame.waitForSelector(`${ROW}[data-index="0"]`);
    await page.screenshot({ path: path.join(SHOTS, "embed-host-page.png") });
    await page.close();
  });

  it("asks the host page for a new token when the API refuses the one it gave (expired), once", async () => {
    const page = await context.newPage();
    const answers = apiAnswers(page);
    // The first token is refused (as an expired one is: 401); the host's getToken then gives a good one.
    const url = allowed!.page("/crm-renew.html", loaderPage({
      widgetUrl: `${stack!.apiUrl}/`,
      token: ["expired.token.value", await stack!.token("demo")],
      locationId: "demo",
      height: 600,
    }));
    await page.goto(url);
    const frame = await widgetFrame(page);
    await firstRow(frame, answers);
    expect(await page.evaluate(() => (window as unknown as { __tokensGiven: number }).__tokensGiven)).toBe(2);
    const hellos = await page.evaluate(() =>
      (window as unknown as { __fromWidget: { type?: string }[] }).__fromWidget.filter((m) => m.type === "crm-edge:hello").length,
    );
    expect(hellos).toBe(2);
    await page.close();
  });

  it("renews a host-given token before it expires, without waiting for a 401", async () => {
    const page = await context.newPage();
    const answers = apiAnswers(page);
    // A 60-second token issued 55 s ago: five seconds left, so the widget asks at once.
    const short = await localToken("demo", { ttlSeconds: 60, now: Date.now() - 55_000 });
    const url = allowed!.page("/crm-ahead.html", loaderPage({ widgetUrl: `${stack!.apiUrl}/`, token: [short, await stack!.token("demo")], locationId: "demo", height: 600 }));
    await page.goto(url);
    const frame = await widgetFrame(page);
    await firstRow(frame, answers);
    await page.waitForFunction(() => (window as unknown as { __tokensGiven: number }).__tokensGiven === 2, undefined, { timeout: 30_000 });
    expect(answers.filter((a) => a.startsWith("401"))).toEqual([]);
    await page.close();
  });

  it("keeps the loaded rows across a renewed token, and asks with the new one from then on", async () => {
    const page = await context.newPage();
    const answers = apiAnswers(page);
    // Every value the table's loaded-row count takes, in the widget's frame: a list dropped and
    // fetched again on the new token would show as a fall (say 600 → 100).
    await page.addInitScript(() => {
      const seen: number[] = [];
      (window as unknown as { __loaded: number[] }).__loaded = seen;
      new MutationObserver(() => {
        const n = Number(document.querySelector('[data-testid="contacts-table"]')?.getAttribute("data-loaded") ?? 0);
        if (n > 0 && seen.at(-1) !== n) seen.push(n);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-loaded"] });
    });
    const lists: { cursor: boolean; auth: string }[] = [];
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (url.pathname === "/api/get-location-contacts-fast") lists.push({ cursor: url.searchParams.has("cursor"), auth: req.headers().authorization ?? "" });
    });
    // A 60-second token issued 35 s ago: renewed 12 s before it expires, so about 13 s from now.
    const renewed = await stack!.token("demo");
    const short = await localToken("demo", { ttlSeconds: 60, now: Date.now() - 35_000 });
    await page.goto(allowed!.page("/crm-keep.html", loaderPage({ widgetUrl: `${stack!.apiUrl}/`, token: [short, renewed], locationId: "demo", height: 600 })));
    const frame = await widgetFrame(page);
    await firstRow(frame, answers);
    const loaded = () => frame.$eval('[data-testid="contacts-table"]', (el) => Number(el.getAttribute("data-loaded")));
    const scrollToEnd = () => frame.$eval('[data-testid="contacts-scroller"]', (el) => el.scrollTo({ top: el.scrollHeight }));
    // A second page before the renewal.
    await vi.waitUntil(
      async () => {
        await scrollToEnd();
        return (await loaded()) > 100;
      },
      { timeout: 10_000, interval: 200 },
    );
    const before = await loaded();
    expect(await page.evaluate(() => (window as unknown as { __tokensGiven: number }).__tokensGiven)).toBe(1);
    await page.waitForFunction(() => (window as unknown as { __tokensGiven: number }).__tokensGiven === 2, undefined, { timeout: 30_000 });
    // Scrolling on loads the next pages with the new token.
    await vi.waitUntil(
      async () => {
        await scrollToEnd();
        return lists.some((l) => l.cursor && l.auth === `Bearer ${renewed}`);
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(await loaded()).toBeGreaterThan(before);
    const counts = await frame.evaluate(() => (window as unknown as { __loaded: number[] }).__loaded);
    expect(counts, `loaded-row counts: ${counts.join(" → ")}`).toEqual([...counts].sort((a, b) => a - b));
    expect(answers.filter((a) => a.startsWith("401"))).toEqual([]);
    await page.close();
  });

  it("asks a host that keeps giving refused tokens only once, and shows the 401", async () => {
    const page = await context.newPage();
    // The widget's 401s as the browser saw them: list (1st token), list (2nd), then sync status.
    let refused = 0;
    const thirdRefusal = new Promise<void>((resolve) => {
      page.on("response", (res) => {
        if (res.url().startsWith(`${stack!.apiUrl}/api/`) && res.status() === 401 && ++refused === 3) resolve();
      });
    });
    const url = allowed!.page("/crm-refused.html", loaderPage({ widgetUrl: `${stack!.apiUrl}/`, token: ["refused.token.one", "refused.token.two"], locationId: "demo", height: 600 }));
    await page.goto(url);
    const frame = await widgetFrame(page);
    await frame.waitForSelector('[data-testid="error"][data-status="401"]');
    await thirdRefusal;
    // Without the guard the second token's refusal would already have asked a third time.
    expect(await page.evaluate(() => (window as unknown as { __tokensGiven: number }).__tokensGiven)).toBe(2);
    await page.close();
  });

  it("is refused by Chromium when the host origin is not allowlisted (CSP frame-ancestors)", async () => {
    const page = await context.newPage();
    const widgetUrl = `${stack!.apiUrl}/`;
    const blocked = page.waitForEvent("requestfailed", { predicate: (req) => req.url() === widgetUrl, timeout: 30_000 });
    const violation = page.waitForEvent("console", { predicate: (msg) => msg.text().includes("frame-ancestors"), timeout: 30_000 });
    const errorPage = page.waitForEvent("framenavigated", {
      predicate: (f) => f !== page.mainFrame() && f.url().startsWith("chrome-error://"),
      timeout: 30_000,
    });
    const url = other!.page("/crm.html", loaderPage({ widgetUrl, token: await stack!.token("demo"), locationId: "demo", height: 400 }));
    await page.goto(url);
    expect((await blocked).failure()?.errorText).toBe("net::ERR_BLOCKED_BY_RESPONSE");
    const text = (await violation).text();
    expect(text).toContain(`Framing '${widgetUrl}' violates`);
    expect(text).toContain(`frame-ancestors 'self' ${allowed!.origin}`);
    const frame = await errorPage;
    await frame.waitForLoadState("load");
    // Nothing of the widget rendered and it never spoke to the host.
    expect(frame.url()).not.toContain(stack!.apiUrl);
    expect((await widgetFrame(page)).url()).toMatch(/^chrome-error:/);
    expect(await frame.locator("#root").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __fromWidget: unknown[] }).__fromWidget)).toEqual([]);
    await page.close();
  });

  it("ignores a token posted by a frame that is not its parent, even one on the allowlisted origin", async () => {
    const page = await context.newPage();
    // The foreign frame is served from the allowlisted origin itself, so the origin check lets its
    // message through: only the widget's check that the sender is its parent window stops it.
    const pages = forgeryPages({ widgetUrl: `${stack!.apiUrl}/`, token: await stack!.token("demo"), evilOrigin: allowed!.origin });
    allowed!.page("/evil.html", pages.evil);
    // Every bearer token the widget sends to the API.
    const sent: Promise<string | undefined>[] = [];
    page.on("request", (req) => {
      if (req.url().startsWith(`${stack!.apiUrl}/api/`)) sent.push(req.allHeaders().then((h) => h.authorization));
    });
    await page.goto(allowed!.page("/mixed.html", pages.parent));
    const frame = await widgetFrame(page);
    // Rows (the real token) or the error panel (a forged token taken): whichever comes first.
    const first = await frame.waitForSelector(`${ROW}, [data-testid="error"]`, { timeout: FIRST_ROWS_MS });
    expect(await first.getAttribute("data-testid")).toBe("contact-row");
    // The forgery really was delivered before the real token, the widget asked only once, and it
    // never sent the forged token anywhere.
    expect(await page.evaluate(() => (window as unknown as { __log: string[] }).__log)).toEqual(["hello", "forged-sent"]);
    const tokens = await Promise.all(sent);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens).not.toContain("Bearer forged.token.value");
    expect(await frame.locator('[data-testid="error"]').count()).toBe(0);
    await page.close();
  });

  it("says the host sent no token when an allowlisted parent never answers", async () => {
    const page = await context.newPage();
    const silent = `<!doctype html><html><body><iframe src="${stack!.apiUrl}/" style="width:100%;height:300px;border:0"></iframe></body></html>`;
    await page.goto(allowed!.page("/silent.html", silent));
    const frame = await widgetFrame(page);
    await frame.waitForSelector('[data-testid="embed-connecting"]');
    // The handshake gives up after 15 s.
    const error = await frame.waitForSelector('[data-testid="embed-error"]', { timeout: 30_000 });
    expect(await error.getAttribute("data-code")).toBe("no_token");
    await page.close();
  });

  it("signs in through GoHighLevel's custom-page SSO handshake, under the widget's full CSP", async () => {
    const page = await context.newPage();
    const answers = apiAnswers(page);
    const violations = cspViolations(page);
    const html = await fetch(`${stack!.apiUrl}/`, { headers: { accept: "text/html" } });
    const policy = html.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    const url = allowed!.page("/ghl-ok.html", ghlParentPage({ widgetUrl: `${stack!.apiUrl}/`, payload: ssoPayload(ghlUser) }));
    await page.goto(url);
    const frame = await widgetFrame(page);
    await firstRow(frame, answers);
    const said = await page.evaluate(() => (window as unknown as { __fromWidget: { message?: string; type?: string }[] }).__fromWidget);
    expect(said.some((m) => m.message === "REQUEST_USER_DATA")).toBe(true);
    // An admin may sync and import.
    await frame.waitForSelector('[data-testid="sync-refresh"]');
    await frame.waitForSelector('[data-testid="import-panel"]');
    expect(violations).toEqual([]);
    await page.close();
  });

  it("a GoHighLevel user without admin rights reads, with no sync or import controls", async () => {
    const page = await context.newPage();
    const answers = apiAnswers(page);
    const url = allowed!.page("/ghl-user.html", ghlParentPage({ widgetUrl: `${stack!.apiUrl}/`, payload: ssoPayload(ghlReadOnlyUser) }));
    await page.goto(url);
    const frame = await widgetFrame(page);
    await firstRow(frame, answers);
    await frame.waitForSelector('[data-testid="sync-panel"]');
    expect(await frame.locator('[data-testid="sync-refresh"]').count()).toBe(0);
    expect(await frame.locator('[data-testid="import-panel"]').count()).toBe(0);
    await page.close();
  });

  it("shows an error state when the GoHighLevel payload was tampered with", async () => {
    const page = await context.newPage();
    const good = Buffer.from(ssoPayload(ghlUser), "base64");
    good[good.length - 5]! ^= 0x41;
    const url = allowed!.page("/ghl-tampered.html", ghlParentPage({ widgetUrl: `${stack!.apiUrl}/`, payload: good.toString("base64") }));
    const answered = page.waitForResponse((res) => res.url().endsWith("/api/auth/ghl-sso"));
    await page.goto(url);
    expect((await answered).status()).toBe(401);
    const frame = await widgetFrame(page);
    const error = await frame.waitForSelector('[data-testid="embed-error"]');
    expect(await error.getAttribute("data-code")).toBe("sso_failed");
    expect(await frame.locator(ROW).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "embed-ghl-sso-error.png") });
    await page.close();
  });
});

describe("the widget's allowlist matching (CSP source-expression rules)", () => {
  const list = ["https://app.gohighlevel.com", "https://*.amocrm.ru", "http://127.0.0.1:8831"];
  it.each([
    ["https://app.gohighlevel.com", true],
    ["https://app.gohighlevel.com:443", true],
    ["https://acme.amocrm.ru", true],
    ["https://a.b.amocrm.ru", true],
    ["http://127.0.0.1:8831", true],
    ["https://amocrm.ru", false], // *. needs a subdomain
    ["https://evilamocrm.ru", false],
    ["https://amocrm.ru.evil.com", false],
    ["http://app.gohighlevel.com", false], // scheme must match
    ["https://app.gohighlevel.com:8443", false], // port must match
    ["http://127.0.0.1:8832", false],
    ["null", false], // sandboxed frames and opaque origins
    ["", false],
  ])("%s → %s", (origin, expected) => {
    expect(originAllowed(origin, list)).toBe(expected);
  });
});
