// GoHighLevel custom-page SSO (POST /api/auth/ghl-sso): payloads made exactly as GHL makes them,
// with crypto-js's passphrase mode, become a short-lived token scoped by the user's GHL role, once
// the user is confirmed upstream (the sandbox's GET /users/:id). Every failure of the exchange is
// one answer, byte for byte but the request id (no padding oracle); attempts are limited per IP and
// per location; the body is capped before it is read.
import CryptoJS from "crypto-js";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { abuseLimits } from "../../worker/abuse/client";
import { cryptoJsDecrypt } from "../../worker/auth/ghl-sso";
import { evpBytesToKey } from "../../worker/auth/md5-evp";
import { authKeyRing } from "../../worker/auth/keyring";
import { SSO_FAILED_MESSAGE, exchangeSsoPayload } from "../../worker/auth/sso-exchange";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import app from "../../worker/app";
import { SANDBOX, api, createLocation, fakeContact, json, seedContacts, uid } from "./helpers";
import { sandbox } from "./sandbox";

type SsoOk = { success: true; token: string; expires_in: number; location_id: string; locations: string[]; scopes: string[] };
type Err = { success: false; error: { code: string; message: string; request_id?: string } };

/** What GoHighLevel's parent frame hands the custom page. */
function encrypt(data: unknown, key = env.GHL_SSO_KEY): string {
  return CryptoJS.AES.encrypt(JSON.stringify(data), key).toString();
}

let ipCounter = 0;
/** Each test gets its own client address, so the per-IP failure limit of one does not touch another. */
function freshIp(): string {
  ipCounter++;
  return `198.51.${Math.floor(ipCounter / 250)}.${ipCounter % 250}-${crypto.randomUUID().slice(0, 4)}`;
}

function sso(body: unknown, ip = freshIp(), envOver: Record<string, string> = {}) {
  return app.request(
    "/api/auth/ghl-sso",
    { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip }, body: JSON.stringify(body) },
    { ...env, ...envOver },
  );
}

/** A GHL location in the sandbox (with its users) and registered with us; our id differs from GHL's. */
async function ghlLocation(opts: { company?: string } = {}) {
  const upstream = uid("ghlup");
  const created = await sandbox.createLocation(upstream, 20);
  const id = uid("sso");
  await createLocation(id, { account_id: upstream, credentials: { access_token: created.token } });
  if (opts.company) await api(`/api/admin/locations/${id}`, { admin: true, method: "PATCH", body: { company_id: opts.company } });
  await seedContacts(id, [fakeContact(1, { name: `Only In ${id}` })]);
  return { id, upstream };
}

function user(upstream: string | undefined, userId: string, over: Record<string, unknown> = {}) {
  return {
    userId,
    companyId: "sbx-company",
    role: "admin",
    type: "location",
    userName: "Ada Byron",
    email: "ada@example.com",
    ...(upstream ? { activeLocation: upstream } : {}),
    ...over,
  };
}

async function sandboxCall(method: string, path: string, body?: unknown) {
  const res = await fetch(`${SANDBOX}/__sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
}

function claimsOf(token: string): Record<string, unknown> {
  const [, part] = token.split(".");
  return JSON.parse(atob(part!.replace(/-/g, "+").replace(/_/g, "/")));
}

/** The answer with its request id blanked: what must be identical across failures. */
async function anonymised(res: Response): Promise<string> {
  const body = await json<Err>(res);
  expect(body.error.request_id).toBeTruthy();
  delete body.error.request_id;
  return `${res.status} ${JSON.stringify(body)}`;
}

function flipByte(payload: string, index: number): string {
  const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
  bytes[index] = bytes[index]! ^ 0x5a;
  return btoa(String.fromCharCode(...bytes));
}

describe("CryptoJS compatibility", () => {
  it("EVP_BytesToKey(MD5) derives the key and IV CryptoJS uses", () => {
    const salt = CryptoJS.lib.WordArray.random(8);
    const ours = evpBytesToKey(new TextEncoder().encode("secret"), Uint8Array.from(Buffer.from(salt.toString(CryptoJS.enc.Hex), "hex")));
    const theirs = CryptoJS.algo.EvpKDF.create({ keySize: 12, hasher: CryptoJS.algo.MD5, iterations: 1 }).compute("secret", salt);
    expect(Buffer.from([...ours.key, ...ours.iv]).toString("hex")).toBe(theirs.toString(CryptoJS.enc.Hex));
  });

  it("decrypts what CryptoJS.AES.encrypt makes, including multi-block UTF-8 text", async () => {
    const text = JSON.stringify({ note: "Привет, мир! ".repeat(20) });
    const plain = await cryptoJsDecrypt("k", CryptoJS.AES.encrypt(text, "k").toString());
    expect(new TextDecoder().decode(plain!)).toBe(text);
  });
});

describe("POST /api/auth/ghl-sso: a confirmed user gets a short token scoped by role", () => {
  it("an account admin: every scope, minutes of life, that location only", async () => {
    const mine = await ghlLocation();
    const other = await ghlLocation();
    const res = await sso({ payload: encrypt(user(mine.upstream, `${mine.upstream}-admin`)) });
    const body = await json<SsoOk>(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ success: true, location_id: mine.id, locations: [mine.id], expires_in: 600 });
    expect(body.scopes.sort()).toEqual(["admin", "import", "read", "sync"]);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const claims = claimsOf(body.token);
    expect(claims).toMatchObject({ sub: `ghl:${mine.upstream}-admin`, loc: [mine.id], aud: "crm-edge-api" });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(claims.jti).toBeTruthy();

    const list = await api(`/api/get-location-contacts-fast?location_id=${mine.id}`, { token: body.token });
    expect(await json(list)).toMatchObject({ location_id: mine.id, contacts: [{ name: `Only In ${mine.id}` }] });
    expect((await api(`/api/get-location-contacts-fast?location_id=${other.id}`, { token: body.token })).status).toBe(403);
  });

  it("a GHL user (role user) reads but may not sync, import or change lists", async () => {
    const loc = await ghlLocation();
    const body = await json<SsoOk>(await sso({ payload: encrypt(user(loc.upstream, `${loc.upstream}-user`, { role: "user" })) }));
    expect(body.scopes).toEqual(["read"]);
    expect((await api(`/api/location-contacts?location_id=${loc.id}`, { token: body.token })).status).toBe(200);
    const sync = await api(`/api/locations/${loc.id}/sync`, { token: body.token, body: { mode: "full" } });
    expect(sync.status).toBe(403);
    expect(await json(sync)).toMatchObject({ error: { code: "insufficient_scope" } });
    const list = await api(`/api/contactlists?location_id=${loc.id}`, { token: body.token, body: { name: "x" } });
    expect(list.status).toBe(403);
  });

  it("the role comes from GoHighLevel's answer, not from the payload", async () => {
    const loc = await ghlLocation();
    // The payload says admin; the Users API says this is a user.
    const body = await json<SsoOk>(await sso({ payload: encrypt(user(loc.upstream, `${loc.upstream}-user`, { role: "admin" })) }));
    expect(body.scopes).toEqual(["read"]);
  });

  it("pins the location's company on the first confirmed sign-in, then refuses payloads of another company", async () => {
    const loc = await ghlLocation();
    expect((await sso({ payload: encrypt(user(loc.upstream, `${loc.upstream}-admin`, { companyId: "sbx-company" })) })).status).toBe(200);
    const view = await json<{ location: { company_id: string | null } }>(await api(`/api/admin/locations/${loc.id}`, { admin: true }));
    expect(view.location.company_id).toBe("sbx-company");
    const res = await sso({ payload: encrypt(user(loc.upstream, `${loc.upstream}-admin`, { companyId: "another-agency" })) });
    expect(res.status).toBe(401);
  });

  it("an agency admin opens any sub-account of the location's own (pinned) company, never another's", async () => {
    const unpinned = await ghlLocation();
    const agency = encrypt(user(unpinned.upstream, "agency-admin", { type: "agency" }));
    // Not listed for the location and its company is unknown: nothing proves the agency owns it.
    expect((await sso({ payload: agency })).status).toBe(401);
    const pinned = await ghlLocation({ company: "sbx-company" });
    const ok = await sso({ payload: encrypt(user(pinned.upstream, "agency-admin", { type: "agency" })) });
    expect(ok.status).toBe(200);
    const restricted = uid("restricted");
    await sandboxCall("POST", "/users", { id: restricted, type: "agency", role: "admin", locationIds: [], restrictSubAccount: true });
    expect((await sso({ payload: encrypt(user(pinned.upstream, restricted, { type: "agency" })) })).status).toBe(401);
  });

  it("a positive confirmation is reused for a while: a renewal spends no upstream request", async () => {
    const loc = await ghlLocation();
    const payload = () => encrypt(user(loc.upstream, `${loc.upstream}-admin`));
    expect((await sso({ payload: payload() })).status).toBe(200);
    await sandbox.resetStats();
    expect((await sso({ payload: payload() })).status).toBe(200);
    expect((await sandbox.stats(loc.upstream)).requests).toBe(0);
  });

  it("a payload that says it is old is refused", async () => {
    const loc = await ghlLocation();
    const stale = encrypt(user(loc.upstream, `${loc.upstream}-admin`, { iat: Math.floor(Date.now() / 1000) - 3600 }));
    expect((await sso({ payload: stale })).status).toBe(401);
  });
});

describe("POST /api/auth/ghl-sso: every failure is one answer", () => {
  it("bad padding, non-JSON, missing fields, no or unknown location, another key, unconfirmed user: identical bytes", async () => {
    const loc = await ghlLocation();
    const other = await ghlLocation();
    const good = encrypt(user(loc.upstream, `${loc.upstream}-admin`));
    const lastBlock = Uint8Array.from(atob(good), (c) => c.charCodeAt(0)).length - 3;
    const deleted = uid("gone");
    await sandboxCall("POST", "/users", { id: deleted, type: "account", role: "admin", locationIds: [loc.upstream], deleted: true });
    const failures: [string, string][] = [
      ["bad padding (a flipped byte of the last block)", flipByte(good, lastBlock)],
      ["a flipped salt byte", flipByte(good, 10)],
      ["a broken Salted__ header", flipByte(good, 0)],
      ["a truncated ciphertext", good.slice(0, good.length - 8)],
      ["not base64 at all", "this is not base64!"],
      ["base64 of plain JSON", btoa(JSON.stringify(user(loc.upstream, "x")))],
      ["non-JSON plaintext", CryptoJS.AES.encrypt("hello", env.GHL_SSO_KEY).toString()],
      ["JSON without the user fields", encrypt({ activeLocation: loc.upstream })],
      ["no activeLocation (agency view)", encrypt(user(undefined, `${loc.upstream}-admin`, { type: "agency" }))],
      ["an unknown location", encrypt(user("never-registered", `${loc.upstream}-admin`))],
      ["another key", encrypt(user(loc.upstream, `${loc.upstream}-admin`), "not-the-shared-secret")],
      ["a user GoHighLevel does not know", encrypt(user(loc.upstream, "nobody-at-all"))],
      ["a user of another location", encrypt(user(loc.upstream, `${other.upstream}-admin`))],
      ["a deleted user", encrypt(user(loc.upstream, deleted))],
    ];
    const answers = new Map<string, string[]>();
    for (const [name, payload] of failures) {
      const res = await sso({ payload });
      const key = await anonymised(res);
      answers.set(key, [...(answers.get(key) ?? []), name]);
    }
    expect([...answers.values()]).toEqual([failures.map(([n]) => n)]);
    const [only] = [...answers.keys()];
    expect(only).toBe(`401 ${JSON.stringify({ success: false, error: { code: "sso_failed", message: SSO_FAILED_MESSAGE } })}`);
    expect(only).not.toContain(loc.upstream);
  });

  it("80 bad attempts in a row from one address meet a 429 with Retry-After", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 80; i++) {
      const res = await sso({ payload: `garbage-${i}` + "A".repeat(40) }, ip, { SSO_FAILURE_FLOOR_MS: "0" });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another address is not held back.
    expect((await sso({ payload: "garbage" }, freshIp(), { SSO_FAILURE_FLOOR_MS: "0" })).status).toBe(401);
  });

  it("attempts per claimed location are limited too (429)", async () => {
    const loc = await ghlLocation();
    const over = { SSO_ATTEMPTS_PER_LOCATION: "3/600" };
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await sso({ payload: encrypt(user(loc.upstream, `${loc.upstream}-admin`)) }, freshIp(), over)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("a failure answers no sooner than SSO_FAILURE_FLOOR_MS after it arrived", async () => {
    // An injected clock: `elapsed` is how long the exchange itself seems to take.
    const floorFor = async (elapsed: number) => {
      const slept: number[] = [];
      const t0 = Date.now();
      let calls = 0;
      const config = { ...readConfig(env), SSO_FAILURE_FLOOR_MS: 250 };
      const ctx = {
        // The first reading is the arrival; every later one is `elapsed` after it.
        deps: { db: getDb(env.DB), env, config, now: () => (calls++ === 0 ? t0 : t0 + elapsed) },
        keys: await authKeyRing(env),
        sharedSecret: env.GHL_SSO_KEY,
        limits: abuseLimits(env.ABUSE_LIMITER),
        clientIp: freshIp(),
        sleep: async (ms: number) => void slept.push(ms),
      };
      await expect(exchangeSsoPayload(ctx, "not a payload")).rejects.toMatchObject({ code: "sso_failed" });
      return slept;
    };
    expect(await floorFor(0)).toEqual([250]);
    expect(await floorFor(70)).toEqual([180]);
    expect(await floorFor(400)).toEqual([]);
  });
});

describe("POST /api/auth/ghl-sso: the request itself", () => {
  it.each([
    ["no payload field", {}],
    ["an empty payload", { payload: "" }],
    ["a non-string payload", { payload: 42 }],
    ["an extra field", { payload: "x", other: 1 }],
  ])("400 invalid_body for %s", async (_name, body) => {
    const res = await sso(body);
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: "invalid_body" } });
  });

  it("a 2 MB body is refused with 413 before anything reads it, with or without Content-Length", async () => {
    const big = `{"payload":"${"A".repeat(2 * 1024 * 1024)}` // not even valid JSON: a parser would say 400
    const declared = await app.request("/api/auth/ghl-sso", { method: "POST", headers: { "content-type": "application/json" }, body: big }, env);
    expect(declared.status).toBe(413);
    expect(await json(declared)).toMatchObject({ error: { code: "payload_too_large" } });
    const bytes = new TextEncoder().encode(big);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
        controller.close();
      },
    });
    const chunked = await app.request(
      "/api/auth/ghl-sso",
      { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, body: streamed, duplex: "half" } as RequestInit,
      env,
    );
    expect(chunked.status).toBe(413);
  });

  it("503 sso_not_configured when GHL_SSO_KEY is not set", async () => {
    const res = await sso({ payload: "x" }, freshIp(), { GHL_SSO_KEY: "" });
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ error: { code: "sso_not_configured" } });
  });
});
