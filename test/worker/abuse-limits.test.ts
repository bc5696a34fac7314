// Abuse limits and quotas: calls that spend upstream requests are limited per token and per
// location; imports are limited per location (at once, rows a day, contacts stored); someone
// else's import task needs `admin` to change. Every refusal is a clear 429/413/403 that changes nothing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../worker/app";
import { storedUploads } from "./fixtures/imports-api";
import { abuseLimits } from "../../worker/abuse/client";
import { api, createLocation, fakeContact, json, mint, seedContacts, token, uid } from "./helpers";
import { sandbox } from "./sandbox";

function call(path: string, t: string, over: Record<string, string>, init: { method?: string; body?: string; type?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${t}` };
  if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
  return app.request(path, { method: init.method ?? (init.body === undefined ? "GET" : "POST"), headers, body: init.body }, { ...env, ...over });
}

async function ghlLocationWithUpstream(contacts = 20) {
  const id = uid("abuse");
  const up = await sandbox.createLocation(id, contacts);
  await createLocation(id, { credentials: { access_token: up.token } });
  return id;
}

describe("calls that spend upstream requests", () => {
  it("are limited per token, with 429 and Retry-After; another token still gets through", async () => {
    const loc = await ghlLocationWithUpstream();
    const over = { UPSTREAM_CALLS_PER_TOKEN: "2/60", UPSTREAM_CALLS_PER_LOCATION: "100/60" };
    const t = await token([loc]);
    const statuses = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await call(`/api/locations/${loc}/sync`, t, over, { body: "{}" });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect(await json(res)).toMatchObject({ error: { code: "rate_limited" } });
      }
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await call(`/api/locations/${loc}/sync`, await token([loc]), over, { body: "{}" })).status).toBe(202);
  });

  it("are limited per location across tokens", async () => {
    const loc = await ghlLocationWithUpstream();
    const over = { UPSTREAM_CALLS_PER_TOKEN: "100/60", UPSTREAM_CALLS_PER_LOCATION: "3/60" };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(`/api/get-location-contacts?location_id=${loc}`, await token([loc]), over)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("past the limit, a contact view is served from the cache without reaching upstream", async () => {
    const loc = await ghlLocationWithUpstream();
    await seedContacts(loc, [fakeContact(1, { name: "Cached Only" })]);
    const over = { UPSTREAM_CALLS_PER_TOKEN: "1/60" };
    const t = await mint([loc]);
    // The token's one call is spent; then it opens a contact whose tasks and notes are stale.
    await abuseLimits(env.ABUSE_LIMITER).record(`upstream-token:${t.jti}`, { limit: 1, windowMs: 60_000 });
    await sandbox.resetStats();
    const res = await call(`/api/contacts/c000001?location_id=${loc}`, t.token, over);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ contact: { name: "Cached Only" }, related_synced_at: null });
    expect((await sandbox.stats(loc)).requests).toBe(0);
  });
});

async function listOf(loc: string, t: string): Promise<string> {
  const res = await api(`/api/contactlists?location_id=${loc}`, { token: t, body: { name: "Quota" } });
  return (await json<{ list: { id: string } }>(res)).list.id;
}

function csv(rows: number): string {
  return ["email", ...Array.from({ length: rows }, (_, i) => `person${i}@example.org`)].join("\n");
}

describe("per-location import quotas", () => {
  it("imports at once: 429 too_many_imports while others run", async () => {
    const loc = uid("quota");
    await createLocation(loc);
    const t = await token([loc]);
    const list = await listOf(loc, t);
    await env.DB.prepare(
      "insert into import_tasks (id, list_id, location_id, mode, status, r2_key, byte_size, encoding, delimiter, has_header, columns, total_estimate, created_at, updated_at) values (?, ?, ?, 'fast', 'running', 'k', 1, 'utf-8', ',', 1, '{\"email\":0}', 1, ?, ?)",
    )
      .bind(uid("imp"), list, loc, Date.now(), Date.now())
      .run();
    const res = await call(`/api/contactlists/${list}/import-fast?location_id=${loc}`, t, { IMPORT_MAX_CONCURRENT: "1" }, { body: csv(3), type: "text/csv" });
    expect(res.status).toBe(429);
    expect(await json(res)).toMatchObject({ error: { code: "too_many_imports" } });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("rows a day: 429 with Retry-After until midnight UTC, nothing stored", async () => {
    const loc = uid("quota");
    await createLocation(loc);
    const t = await token([loc]);
    const list = await listOf(loc, t);
    const res = await call(`/api/contactlists/${list}/import-fast?location_id=${loc}`, t, { IMPORT_ROWS_PER_DAY: "5" }, { body: csv(10), type: "text/csv" });
    expect(res.status).toBe(429);
    expect(await json(res)).toMatchObject({ error: { code: "import_rows_quota_exceeded" } });
    const retry = Number(res.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(86_400);
    expect(await storedUploads(loc)).toEqual([]);
    const tasks = await json<{ tasks: unknown[] }>(await api(`/api/contactlists/import-tasks?location_id=${loc}`, { token: t }));
    expect(tasks.tasks).toEqual([]);
  });

  it("contacts stored: 413 when the file could pass the location's quota", async () => {
    const loc = uid("quota");
    await createLocation(loc);
    await seedContacts(loc, [fakeContact(1), fakeContact(2)]);
    const t = await token([loc]);
    const list = await listOf(loc, t);
    const res = await call(`/api/contactlists/${list}/import-fast?location_id=${loc}`, t, { LOCATION_MAX_CONTACTS: "3" }, { body: csv(5), type: "text/csv" });
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ error: { code: "contacts_quota_exceeded" } });
    expect(await storedUploads(loc)).toEqual([]);
  });
});

describe("import task ownership", () => {
  it("one's own task may be cancelled with `import`; someone else's needs `admin`", async () => {
    const loc = uid("own");
    await createLocation(loc);
    const alice = await token([loc], { subject: "alice", scopes: ["read", "import"] });
    const bob = await token([loc], { subject: "bob", scopes: ["read", "import"] });
    const boss = await token([loc], { subject: "boss", scopes: ["admin"] });
    const list = await listOf(loc, alice);
    const started = await call(`/api/contactlists/${list}/import-fast?location_id=${loc}`, alice, {}, { body: csv(3), type: "text/csv" });
    const { task_id } = await json<{ task_id: string }>(started);
    const byBob = await api(`/api/import-tasks/${task_id}/cancel`, { token: bob, method: "POST" });
    expect(byBob.status).toBe(403);
    expect(await json(byBob)).toMatchObject({ error: { code: "insufficient_scope" } });
    for (const t of [alice, boss]) {
      const res = await api(`/api/import-tasks/${task_id}/cancel`, { token: t, method: "POST" });
      expect([200, 409]).toContain(res.status);
    }
  });
});
