// GoHighLevel custom-page SSO (POST /api/auth/ghl-sso): payloads made exactly as GHL makes them, with
// crypto-js's passphrase mode, decrypt here into a location-scoped token; anything else is a clean 4xx.
// Also: the frame-ancestors policy on API responses.
import CryptoJS from "crypto-js";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cryptoJsDecrypt } from "../../worker/auth/ghl-sso";
import { evpBytesToKey } from "../../worker/auth/md5-evp";
import app from "../../worker/app";
import { api, createLocation, fakeContact, json, seedContacts, uid } from "./helpers";

type SsoOk = { success: true; token: string; expires_in: number; location_id: string; locations: string[] };
type Err = { success: false; error: { code: string; message: string } };

function user(activeLocation: string | undefined, over: Record<string, unknown> = {}) {
  return {
    userId: "u-123",
    companyId: "agency-1",
    role: "admin",
    type: "location",
    userName: "Ada Byron",
    email: "ada@example.com",
    ...(activeLocation ? { activeLocation } : {}),
    ...over,
  };
}

/** What GoHighLevel's parent frame hands the custom page. */
function encrypt(data: unknown, key = env.GHL_SSO_KEY): string {
  return CryptoJS.AES.encrypt(JSON.stringify(data), key).toString();
}

function sso(body: unknown) {
  return api("/api/auth/ghl-sso", { body });
}

async function expectError(res: Response, status: number, code: string): Promise<Err> {
  const body = await json<Err>(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body).toMatchObject({ success: false, error: { code } });
  expect(body.error.message.length).toBeGreaterThan(10);
  return body;
}

/** A GHL location registered with us; its upstream id differs from our id on purpose. */
async function ghlLocation() {
  const id = uid("sso");
  const upstream = `ghl-${crypto.randomUUID().slice(0, 12)}`;
  await createLocation(id, { account_id: upstream });
  await seedContacts(id, [fakeContact(1, { name: `Only In ${id}` })]);
  return { id, upstream };
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

describe("POST /api/auth/ghl-sso", () => {
  it("exchanges a valid payload for a token that reads that location only", async () => {
    const mine = await ghlLocation();
    const other = await ghlLocation();
    const res = await sso({ payload: encrypt(user(mine.upstream)) });
    const body = await json<SsoOk>(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ success: true, location_id: mine.id, locations: [mine.id], expires_in: 3600 });
    expect(res.headers.get("content-security-policy")).toMatch(/^frame-ancestors 'self'/);

    const [, claims] = body.token.split(".");
    expect(JSON.parse(atob(claims!.replace(/-/g, "+").replace(/_/g, "/")))).toMatchObject({ sub: "ghl:u-123", loc: [mine.id] });

    const list = await api(`/api/get-location-contacts-fast?location_id=${mine.id}`, { token: body.token });
    expect(list.status).toBe(200);
    expect(await json(list)).toMatchObject({ location_id: mine.id, contacts: [{ name: `Only In ${mine.id}` }] });
    // Without location_id the token's only location is used.
    expect((await api("/api/get-location-contacts-fast", { token: body.token })).status).toBe(200);
    await expectError(await api(`/api/get-location-contacts-fast?location_id=${other.id}`, { token: body.token }), 403, "forbidden_location");
  });

  it("accepts an agency-type payload that carries activeLocation (GHL's own example does this)", async () => {
    const loc = await ghlLocation();
    const res = await sso({ payload: encrypt(user(loc.upstream, { type: "agency", role: "user" })) });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ location_id: loc.id });
  });

  it("only matches GHL locations: an AmoCRM account with the same id does not count", async () => {
    const id = uid("amo");
    await createLocation(id, { provider: "amocrm", account_id: `shared-${id}` });
    await expectError(await sso({ payload: encrypt(user(`shared-${id}`)) }), 403, "unknown_location");
  });

  it("403 unknown_location when no registered location has that GHL id", async () => {
    await expectError(await sso({ payload: encrypt(user("never-registered")) }), 403, "unknown_location");
  });

  it("400 bad_payload without activeLocation (agency context)", async () => {
    const body = await expectError(await sso({ payload: encrypt(user(undefined, { type: "agency" })) }), 400, "bad_payload");
    expect(body.error.message).toContain("activeLocation");
  });

  it("400 bad_payload for a payload made with another key", async () => {
    const loc = await ghlLocation();
    await expectError(await sso({ payload: encrypt(user(loc.upstream), "not-the-shared-secret") }), 400, "bad_payload");
  });

  it.each([
    ["a flipped ciphertext byte in the last block", (p: string) => flipByte(p, Uint8Array.from(atob(p), (c) => c.charCodeAt(0)).length - 3)],
    ["a flipped salt byte", (p: string) => flipByte(p, 10)],
    ["a broken Salted__ header", (p: string) => flipByte(p, 0)],
    ["a truncated ciphertext", (p: string) => p.slice(0, p.length - 8)],
    ["a ciphertext cut to whole blocks", (p: string) => btoa(atob(p).slice(0, 32 + 16))],
    ["not base64 at all", () => "this is not base64!"],
    ["base64 of plain JSON", () => btoa(JSON.stringify(user("x")))],
    ["a CryptoJS string of non-JSON text", () => CryptoJS.AES.encrypt("hello", env.GHL_SSO_KEY).toString()],
    ["JSON without userId", () => encrypt({ activeLocation: "x" })],
  ])("400 bad_payload for %s", async (_name, tamper) => {
    const loc = await ghlLocation();
    await expectError(await sso({ payload: tamper(encrypt(user(loc.upstream))) }), 400, "bad_payload");
  });

  it.each([
    ["no payload field", {}],
    ["an empty payload", { payload: "" }],
    ["a non-string payload", { payload: 42 }],
    ["an extra field", { payload: "x", other: 1 }],
    ["a payload far too long", { payload: "A".repeat(20_000) }],
  ])("400 invalid_body for %s", async (_name, body) => {
    await expectError(await sso(body), 400, "invalid_body");
  });

  it("400 invalid_body for a body that is not JSON", async () => {
    for (const raw of ["not json", "", "{\"payload\":"]) {
      const res = await app.request("/api/auth/ghl-sso", { method: "POST", headers: { "content-type": "application/json" }, body: raw }, env);
      await expectError(res, 400, "invalid_body");
    }
    const text = await app.request("/api/auth/ghl-sso", { method: "POST", headers: { "content-type": "text/plain" }, body: "payload=x" }, env);
    await expectError(text, 400, "invalid_body");
  });

  it("503 sso_not_configured when GHL_SSO_KEY is not set", async () => {
    const res = await app.request("/api/auth/ghl-sso", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payload: encrypt(user("x")) }),
    }, { ...env, GHL_SSO_KEY: "" });
    await expectError(res, 503, "sso_not_configured");
  });
});

describe("frame-ancestors on API responses", () => {
  it("lists 'self' and the configured origins, on successes and errors alike", async () => {
    const embedEnv = { ...env, EMBED_ALLOWED_ORIGINS: " https://app.gohighlevel.com/, https://*.amocrm.ru " };
    for (const path of ["/api/health", "/api/get-location-contacts-fast", "/api/nope"]) {
      const res = await app.request(path, {}, embedEnv);
      expect(res.headers.get("content-security-policy"), path).toBe("frame-ancestors 'self' https://app.gohighlevel.com https://*.amocrm.ru");
    }
    expect((await api("/api/health")).headers.get("content-security-policy")).toBe("frame-ancestors 'self'");
  });

  it("a malformed allowlist is a configuration error, not a silent 'allow all'", async () => {
    const res = await app.request("/api/health", {}, { ...env, EMBED_ALLOWED_ORIGINS: "app.gohighlevel.com" });
    expect(res.status).toBe(500);
  });
});
