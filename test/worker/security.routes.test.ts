// One security suite over every route. The routes come from the app itself (declaredRoutes), and
// every one must have a row below: a new route without one fails here. Each route is checked
// against its declared access: no token, a malformed, forged, expired, wrong-audience or revoked
// token (and, for admin routes, a wrong key or a location token) all get the same 401, byte for
// byte but the request id; a token without the route's scope gets 403; another location's data is
// never reached (403 or 404, and it is still there afterwards). Bodies over the cap get 413 before
// they are read.
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../shared/schemas/scopes";
import app from "../../worker/app";
import { authKeyRing } from "../../worker/auth/keyring";
import { AUTH_FAILED, type AccessPolicy, declaredRoutes } from "../../worker/http/access";
import { JSON_BODY_MAX, maxBodyFor } from "../../worker/http/body-limit";
import { checkResponse } from "./contract";
import { api, createLocation, fakeContact, json, mint, seedContacts, token, uid } from "./helpers";

type Fixture = { loc: string; list: string; task: string };
let mine: Fixture;
let theirs: Fixture;

async function fixture(): Promise<Fixture> {
  const loc = uid("sec");
  await createLocation(loc);
  await seedContacts(loc, [fakeContact(1, { name: `Secret of ${loc}` })]);
  const t = await token([loc]);
  const list = (await json<{ list: { id: string } }>(await api(`/api/contactlists?location_id=${loc}`, { token: t, body: { name: `List of ${loc}` } }))).list.id;
  const upload = await app.request(
    `/api/contactlists/${list}/import-fast?location_id=${loc}`,
    { method: "POST", headers: { authorization: `Bearer ${t}`, "content-type": "text/csv" }, body: "email\nsecret@example.org\n" },
    env,
  );
  if (upload.status !== 202) throw new Error(`fixture upload: ${upload.status} ${await upload.text()}`);
  const task = (await json<{ task_id: string }>(upload)).task_id;
  return { loc, list, task };
}

type Call = { path: string; body?: unknown; csv?: string };
/** How to call each route for a fixture: `target` is whose data it names, `scope` whose location the query names. */
type Row = (target: Fixture, scope: Fixture) => Call;

const ROUTES: Record<string, Row> = {
  "GET /api/health": () => ({ path: "/api/health" }),
  "GET /api/openapi.json": () => ({ path: "/api/openapi.json" }),
  "GET /api/docs": () => ({ path: "/api/docs" }),
  "POST /api/auth/ghl-sso": () => ({ path: "/api/auth/ghl-sso", body: { payload: "x" } }),
  "GET /api/oauth/ghl/install": () => ({ path: "/api/oauth/ghl/install" }),
  "GET /api/admin/connections": () => ({ path: "/api/admin/connections" }),
  "GET /api/connections": (t) => ({ path: `/api/connections?location_id=${t.loc}` }),
  "GET /api/oauth/ghl/callback": () => ({ path: "/api/oauth/ghl/callback" }),
  "GET /api/oauth/amocrm/callback": () => ({ path: "/api/oauth/amocrm/callback" }),
  "POST /api/oauth/ghl/app-events": () => ({ path: "/api/oauth/ghl/app-events", body: { type: "UNINSTALL" } }),
  "POST /api/admin/locations": (t) => ({ path: "/api/admin/locations", body: { id: `${t.loc}-x`, provider: "ghl", account_id: "x" } }),
  "GET /api/admin/locations": () => ({ path: "/api/admin/locations" }),
  "GET /api/admin/locations/:id": (t) => ({ path: `/api/admin/locations/${t.loc}` }),
  "PATCH /api/admin/locations/:id": (t) => ({ path: `/api/admin/locations/${t.loc}`, body: { name: "changed" } }),
  "POST /api/admin/locations/:id/webhook": (t) => ({ path: `/api/admin/locations/${t.loc}/webhook`, body: {} }),
  "DELETE /api/admin/locations/:id/webhook": (t) => ({ path: `/api/admin/locations/${t.loc}/webhook` }),
  "POST /api/admin/tokens": (t) => ({ path: "/api/admin/tokens", body: { locations: [t.loc] } }),
  "POST /api/admin/tokens/revoke": () => ({ path: "/api/admin/tokens/revoke", body: { kind: "jti", value: "x" } }),
  "POST /api/admin/credentials/reseal": () => ({ path: "/api/admin/credentials/reseal", body: {} }),
  "GET /api/get-location-contacts-fast": (t) => ({ path: `/api/get-location-contacts-fast?location_id=${t.loc}` }),
  "GET /api/get-location-contacts": (t) => ({ path: `/api/get-location-contacts?location_id=${t.loc}` }),
  "GET /api/location-contacts": (t) => ({ path: `/api/location-contacts?location_id=${t.loc}` }),
  "GET /api/contacts/:id": (t) => ({ path: `/api/contacts/c000001?location_id=${t.loc}` }),
  "POST /api/locations/:id/sync": (t) => ({ path: `/api/locations/${t.loc}/sync`, body: {} }),
  "GET /api/locations/:id/sync-status": (t) => ({ path: `/api/locations/${t.loc}/sync-status` }),
  "GET /api/locations/:id/sync-runs": (t) => ({ path: `/api/locations/${t.loc}/sync-runs` }),
  "GET /api/contactlists": (t) => ({ path: `/api/contactlists?location_id=${t.loc}` }),
  "POST /api/contactlists": (t) => ({ path: `/api/contactlists?location_id=${t.loc}`, body: { name: "n" } }),
  "GET /api/contactlists/import-tasks": (t) => ({ path: `/api/contactlists/import-tasks?location_id=${t.loc}` }),
  "GET /api/contactlists/:id": (t, s) => ({ path: `/api/contactlists/${t.list}?location_id=${s.loc}` }),
  "PATCH /api/contactlists/:id": (t, s) => ({ path: `/api/contactlists/${t.list}?location_id=${s.loc}`, body: { name: "n" } }),
  "DELETE /api/contactlists/:id": (t, s) => ({ path: `/api/contactlists/${t.list}?location_id=${s.loc}` }),
  "POST /api/contactlists/:id/import": (t, s) => ({ path: `/api/contactlists/${t.list}/import?location_id=${s.loc}`, csv: "email\na@example.org\n" }),
  "POST /api/contactlists/:id/import-fast": (t, s) => ({ path: `/api/contactlists/${t.list}/import-fast?location_id=${s.loc}`, csv: "email\na@example.org\n" }),
  "GET /api/contactlists/:id/import-status": (t, s) => ({ path: `/api/contactlists/${t.list}/import-status?location_id=${s.loc}` }),
  "GET /api/import-tasks/:id": (t, s) => ({ path: `/api/import-tasks/${t.task}?location_id=${s.loc}` }),
  "POST /api/import-tasks/:id/cancel": (t, s) => ({ path: `/api/import-tasks/${t.task}/cancel?location_id=${s.loc}`, body: {} }),
  "POST /api/import-tasks/:id/resume": (t, s) => ({ path: `/api/import-tasks/${t.task}/resume?location_id=${s.loc}`, body: {} }),
  "GET /api/import-tasks/:id/rejects.csv": (t, s) => ({ path: `/api/import-tasks/${t.task}/rejects.csv?location_id=${s.loc}` }),
  "POST /api/webhooks/ghl": () => ({ path: "/api/webhooks/ghl", body: { type: "ContactCreate" } }),
  "POST /api/webhooks/amocrm/:location/:secret": (t) => ({ path: `/api/webhooks/amocrm/${t.loc}/not-the-secret`, body: {} }),
};

const routes = declaredRoutes(app);
const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

async function send(method: string, call: Call, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  let body: string | undefined;
  if (call.csv !== undefined) {
    headers["content-type"] = "text/csv";
    body = call.csv;
  } else if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(call.body);
  }
  const res = await app.request(call.path, { method, headers, body }, env);
  await checkResponse(method, call.path, res);
  return res;
}

/** The answer with its request id blanked, for byte-for-byte comparison. */
async function shape(res: Response): Promise<string> {
  const text = await res.text();
  return `${res.status} ${text.replace(/"request_id":"[^"]*"/, '"request_id":"…"')}`;
}

const UNIFORM_401 = `401 ${JSON.stringify({ success: false, error: { code: "unauthorized", message: AUTH_FAILED, request_id: "…" } })}`;

async function badCredentials(loc: string): Promise<[string, string][]> {
  const valid = await mint([loc]);
  await api("/api/admin/tokens/revoke", { admin: true, body: { kind: "jti", value: valid.jti } });
  const forged = await token([loc], { secret: "an-attacker-secret-that-is-long-enough-0123" });
  const expired = await token([loc], { ttlSeconds: 60, now: Date.now() - 3_600_000 });
  const otherAudience = await new SignJWT({ loc: [loc], scope: ["admin"] })
    .setProtectedHeader({ alg: "HS256", kid: (await authKeyRing(env)).current.id })
    .setIssuer("crm-edge")
    .setAudience("some-other-service")
    .setSubject("x")
    .setJti("y")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(env.AUTH_SECRET));
  const noneAlg = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" }))}.${btoa(JSON.stringify({ loc: [loc], scope: ["admin"], sub: "x", jti: "z", iat: 1, exp: 9e9, iss: "crm-edge", aud: "crm-edge-api" }))}.`;
  return [
    ["no Authorization header", ""],
    ["a malformed header", "Basic Zm9vOmJhcg=="],
    ["a token that is not a JWT", "Bearer not-a-jwt"],
    ["a forged signature (unknown key)", `Bearer ${forged}`],
    ["an expired token", `Bearer ${expired}`],
    ["a token for another audience", `Bearer ${otherAudience}`],
    ["an unsigned (alg none) token", `Bearer ${noneAlg}`],
    ["a revoked token", `Bearer ${valid.token}`],
  ];
}

beforeAll(async () => {
  [mine, theirs] = await Promise.all([fixture(), fixture()]);
});

describe("every route declares who may call it", () => {
  it("the app's routes and this table list the same routes", () => {
    expect(routes.map(keyOf).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it("only the health check, the API's description, the SSO exchange, the OAuth install redirects and the signed upstream webhooks are public, each with its reason", () => {
    const open = routes.filter((r) => r.policy.kind === "public");
    expect(open.map(keyOf).sort()).toEqual([
      "GET /api/docs",
      "GET /api/health",
      "GET /api/oauth/amocrm/callback",
      "GET /api/oauth/ghl/callback",
      "GET /api/oauth/ghl/install",
      "GET /api/openapi.json",
      "POST /api/auth/ghl-sso",
      "POST /api/oauth/ghl/app-events",
      "POST /api/webhooks/amocrm/:location/:secret",
      "POST /api/webhooks/ghl",
    ]);
    for (const r of open) expect((r.policy as { why: string }).why.length).toBeGreaterThan(10);
  });
});

describe.each(routes.filter((r) => r.policy.kind !== "public").map((r) => [keyOf(r), r] as const))("%s", (_name, route) => {
  const policy = route.policy as Exclude<AccessPolicy, { kind: "public" }>;

  it("every failed authentication is the same 401, and changes nothing", async () => {
    const call = ROUTES[keyOf(route)]!(mine, mine);
    const cases = await badCredentials(mine.loc);
    if (policy.kind === "admin") {
      cases.push(["a wrong admin key", "Bearer not-the-admin-key-not-the-admin-key-0000"], ["a location token", `Bearer ${await token([mine.loc])}`]);
    }
    for (const [name, authorization] of cases) {
      expect(await shape(await send(route.method, call, authorization || undefined)), name).toBe(UNIFORM_401);
    }
  });

  if (policy.kind !== "token") return;

  it(`a token without '${policy.scope}' gets 403 insufficient_scope`, async () => {
    const granted: Scope[] = policy.scope === "read" ? [] : ["read"];
    const t = await token([mine.loc], { scopes: granted });
    const res = await send(route.method, ROUTES[keyOf(route)]!(mine, mine), `Bearer ${t}`);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: { code: "insufficient_scope" } });
  });

  it("another location's data is never reached", async () => {
    const t = await token([mine.loc]);
    // Their resource, named with their location or (for by-id routes) with ours.
    for (const scope of [theirs, mine]) {
      const res = await send(route.method, ROUTES[keyOf(route)]!(theirs, scope), `Bearer ${t}`);
      expect([403, 404], `${route.method} ${res.url} → ${res.status}`).toContain(res.status);
      expect(await res.text()).not.toContain(`Secret of ${theirs.loc}`);
    }
    // Still there, untouched.
    const theirToken = await token([theirs.loc]);
    expect((await api(`/api/contactlists/${theirs.list}?location_id=${theirs.loc}`, { token: theirToken })).status).toBe(200);
    const task = await json<{ task: { status: string } }>(await api(`/api/import-tasks/${theirs.task}?location_id=${theirs.loc}`, { token: theirToken }));
    expect(task.task.status).not.toBe("cancelled");
  });
});

describe("bodies are capped before they are read", () => {
  const withBody = routes.filter((r) => r.method !== "GET" && maxBodyFor(r.path.replace(/:id/g, "x")) !== null);
  it.each(withBody.map((r) => [keyOf(r), r] as const))("%s: a body over the cap is 413, whoever sends it", async (_n, route) => {
    const call = ROUTES[keyOf(route)]!(mine, mine);
    const big = `{"x":"${"A".repeat((maxBodyFor(call.path) ?? JSON_BODY_MAX) + 10)}"}`;
    const res = await app.request(call.path, { method: route.method, headers: { "content-type": "application/json" }, body: big }, env);
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ error: { code: "payload_too_large" } });
  });
});
