// Response headers: the widget's HTML gets a full Content-Security-Policy (its inline boot script
// by hash), everything gets nosniff, API answers are not stored; the embedding allowlist refuses
// plain http outside development; upstream and DNS answers that redirect are refused, not followed.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../worker/app";
import { isTokenRevoked } from "../../worker/auth/revocation";
import { getDb } from "../../worker/db/client";
import { revoke } from "../../worker/db/revocations";
import { widgetPolicy } from "../../worker/http/embed-headers";
import { RequestMeter } from "../../worker/providers/meter";
import { UpstreamError, sendJson } from "../../worker/providers/upstream";
import { noopRateLimiter } from "../../worker/ratelimit/interface";
import { DohResolver } from "../../worker/validation/doh";
import { SANDBOX, api, mint } from "./helpers";
import { z } from "zod";

describe("API headers", () => {
  it("frame-ancestors lists 'self' and the configured origins, on successes and errors alike, with nosniff and no-store", async () => {
    const embedEnv = { ...env, EMBED_ALLOWED_ORIGINS: " https://app.gohighlevel.com/, https://*.amocrm.ru " };
    for (const path of ["/api/health", "/api/get-location-contacts-fast", "/api/nope"]) {
      const res = await app.request(path, {}, embedEnv);
      expect(res.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'self' https://app.gohighlevel.com https://*.amocrm.ru");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("a malformed allowlist, or a plain-http origin outside development, is a configuration error", async () => {
    for (const value of ["app.gohighlevel.com", "http://crm.example.com"]) {
      const res = await app.request("/api/health", {}, { ...env, EMBED_ALLOWED_ORIGINS: value });
      expect(res.status, value).toBe(500);
    }
    const dev = await app.request("/api/health", {}, { ...env, EMBED_ALLOWED_ORIGINS: "http://127.0.0.1:8831", DEV_MODE: "1" });
    expect(dev.status).toBe(200);
    const plainUpstream = await app.request("/api/health", {}, { ...env, GHL_BASE_URL: "http://services.leadconnectorhq.com" });
    expect(plainUpstream.status).toBe(500);
  });

  it("the widget's policy allows only its own files, its inline boot script by hash and its own API", () => {
    const policy = widgetPolicy(["https://app.gohighlevel.com"], ["sha256-abc="]);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self' 'sha256-abc='");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'none'");
    expect(policy).toContain("form-action 'none'");
    expect(policy).toContain("frame-ancestors 'self' https://app.gohighlevel.com");
    expect(policy).not.toContain("unsafe-inline");
  });
});

describe("redirects are refused, never followed", () => {
  it("an upstream answering 302 fails the call without following it", async () => {
    const ctx = { limiter: noopRateLimiter, meter: new RequestMeter(), timeoutMs: 5000 };
    const err: unknown = await sendJson({ url: `${SANDBOX}/__sandbox/redirect`, headers: { authorization: "Bearer secret" } }, z.unknown(), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: "client", status: 302 });
    expect(String((err as Error).message)).not.toContain("attacker.example");
  });

  it("a DNS-over-HTTPS answer that redirects is a failed lookup", async () => {
    const resolver = new DohResolver({ url: `${SANDBOX}/__sandbox/redirect` });
    expect(await resolver.resolve("example.org")).toEqual({ kind: "dns_error", detail: "bad_response" });
  });
});

describe("revocation memo", () => {
  it("an isolate trusts its last answer for REVOCATION_CACHE_MS at most", async () => {
    const db = getDb(env.DB);
    const minted = await mint(["x"]);
    const claims = JSON.parse(atob(minted.token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    const t0 = Date.now();
    expect(await isTokenRevoked(db, claims, 1000, t0)).toBe(false);
    await revoke(db, { kind: "jti", value: minted.jti, now: t0, expiresAt: t0 + 3_600_000 });
    expect(await isTokenRevoked(db, claims, 1000, t0 + 500)).toBe(false);
    expect(await isTokenRevoked(db, claims, 1000, t0 + 1001)).toBe(true);
    expect((await api("/api/location-contacts?location_id=x", { token: minted.token })).status).toBe(401);
  });
});
