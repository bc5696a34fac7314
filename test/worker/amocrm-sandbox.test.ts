// The AmoCRM simulator (sandbox/amocrm) keeps the contract the Worker's AmoCRM client is written
// against: HAL pages and 204s, filters, OAuth rotation, the 7 rps limit with 403 blocks, the control API.
import { beforeAll, describe, expect, it } from "vitest";
import {
  amoAll, amoGet, amoSandbox, amoToken, type AmoCompany, type AmoContact, type AmoNote, type AmoPage, type AmoSummary,
  type AmoTask, type AmoTruth,
} from "./amocrm-sandbox-client";
import { uid } from "./helpers";
import { parseAmoSeeds } from "../../sandbox/amocrm/accounts";
import { createSandboxApp } from "../../sandbox/app";
import { DEFAULT_RATE } from "../../sandbox/sandbox";

const KEY = encodeURIComponent("Ключевой клиент");
const FILTER = `filter[responsible_user_id][]=6000007&filter[custom_fields_values][700001][]=${KEY}`;

async function page<T>(res: Response, entity: string): Promise<{ body: AmoPage<T>; items: T[] }> {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/hal+json");
  const body = (await res.json()) as AmoPage<T>;
  return { body, items: body._embedded[entity] ?? [] };
}

async function problem(res: Response, status: number): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: `https://httpstatus.es/${status}` });
  return body;
}

describe("AmoCRM lists (2,000 contacts, 300 companies)", () => {
  const sub = uid("amo");
  let acct: AmoSummary;
  let truth: AmoTruth;
  let all: AmoContact[];
  const get = (path: string) => amoGet(sub, path, acct.long_lived_token);

  beforeAll(async () => {
    acct = await amoSandbox.createAccount(sub, { contacts: 2000, companies: 300, rate: { max: 100_000, intervalMs: 1000 } });
    truth = await amoSandbox.truth(sub);
    all = await amoAll<AmoContact>(sub, "/api/v4/contacts?limit=250", "contacts", acct.long_lived_token);
  });

  it("pages with _page, self/next/prev links, then 204 past the end", async () => {
    expect(acct.counts.contacts).toBe(2000);
    expect(all).toHaveLength(2000);
    const ids = all.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(2000);

    const first = await page<AmoContact>(await get("/api/v4/contacts?limit=250"), "contacts");
    expect(first.body._page).toBe(1);
    expect(first.items).toHaveLength(250);
    expect(new URL(first.body._links.self.href).searchParams.get("page")).toBe("1");
    expect(new URL(first.body._links.next?.href ?? "").searchParams.get("page")).toBe("2");
    expect(first.body._links.prev).toBeUndefined();

    const last = await page<AmoContact>(await get("/api/v4/contacts?limit=250&page=8"), "contacts");
    expect(last.body._links.next).toBeUndefined();
    expect(new URL(last.body._links.prev?.href ?? "").searchParams.get("page")).toBe("7");

    const past = await get("/api/v4/contacts?limit=250&page=9");
    expect(past.status).toBe(204);
    expect(await past.text()).toBe("");
    const none = await get("/api/v4/contacts?filter[id][]=1");
    expect(none.status).toBe(204);
    expect(await none.text()).toBe("");

    // Default limit is 50; the contact carries the documented fields.
    const dflt = await page<AmoContact>(await get("/api/v4/contacts"), "contacts");
    expect(dflt.items).toHaveLength(50);
    const c = dflt.items[0];
    expect(c).toMatchObject({ account_id: acct.account_id, is_deleted: false, group_id: 0 });
    expect(Object.keys(c ?? {})).toEqual(expect.arrayContaining(["first_name", "last_name", "closest_task_at", "custom_fields_values", "_links", "_embedded"]));
  });

  it("rejects limit over 250 (or below 1, or not an integer) with validation errors", async () => {
    for (const bad of ["251", "0", "abc", "2.5"]) {
      const body = await problem(await get(`/api/v4/contacts?limit=${bad}`), 400);
      expect(body["validation-errors"]).toBeInstanceOf(Array);
    }
    expect((await get("/api/v4/contacts?limit=250")).status).toBe(200);
  });

  it("filters by id in both bracket styles and ignores unknown filters", async () => {
    const want = [all[5]?.id, all[77]?.id, all[1999]?.id] as number[];
    const empty = want.map((id) => `filter[id][]=${id}`).join("&");
    const indexed = want.map((id, i) => `filter[id][${i}]=${id}`).join("&");
    for (const q of [empty, indexed]) {
      const { items } = await page<AmoContact>(await get(`/api/v4/contacts?${q}`), "contacts");
      expect(items.map((c) => c.id)).toEqual(want);
    }
    const ignored = await page<AmoContact>(await get("/api/v4/contacts?filter[company_id]=123&limit=250"), "contacts");
    expect(ignored.items.map((c) => c.id)).toEqual(all.slice(0, 250).map((c) => c.id));
  });

  it("filters updated_at by an inclusive range and orders by updated_at", async () => {
    const stamps = all.map((c) => c.updated_at).sort((a, b) => a - b);
    const from = stamps[500] ?? 0, to = stamps[900] ?? 0;
    const want = all.filter((c) => c.updated_at >= from && c.updated_at <= to).map((c) => c.id);
    const got = await amoAll<AmoContact>(sub, `/api/v4/contacts?limit=250&filter[updated_at][from]=${from}&filter[updated_at][to]=${to}`, "contacts", acct.long_lived_token);
    expect(got.map((c) => c.id)).toEqual(want);
    expect(got.length).toBeGreaterThanOrEqual(401);

    const desc = await page<AmoContact>(await get(`/api/v4/contacts?limit=20&order[updated_at]=desc`), "contacts");
    const top = desc.items.map((c) => c.updated_at);
    expect(top).toEqual([...top].sort((a, b) => b - a));
    expect(top[0]).toBe(stamps[stamps.length - 1]);
  });

  it("filters created_at by range and orders by id descending", async () => {
    const created = all.map((c) => c.created_at).sort((a, b) => a - b);
    const from = created[1000] ?? 0, to = created[1099] ?? 0;
    const want = all.filter((c) => c.created_at >= from && c.created_at <= to).map((c) => c.id).reverse();
    const got = await amoAll<AmoContact>(sub, `/api/v4/contacts?limit=250&order[id]=desc&filter[created_at][from]=${from}&filter[created_at][to]=${to}`, "contacts", acct.long_lived_token);
    expect(got.map((c) => c.id)).toEqual(want);
    expect(got.length).toBeGreaterThanOrEqual(100);
  });

  it("finds contacts by query over phones and e-mails, case-insensitively", async () => {
    const withEmail = all.find((c) => c.custom_fields_values?.some((f) => f.field_code === "EMAIL"));
    const email = withEmail?.custom_fields_values?.find((f) => f.field_code === "EMAIL")?.values[0]?.value ?? "";
    const { items } = await page<AmoContact>(await get(`/api/v4/contacts?limit=250&query=${encodeURIComponent(email.toUpperCase())}`), "contacts");
    expect(items.map((c) => c.id)).toContain(withEmail?.id);
  });

  it("seeds messy contact data: null fields, several phones, junk phones", () => {
    const nulls = all.filter((c) => c.custom_fields_values === null).length;
    expect(nulls / all.length).toBeGreaterThan(0.02);
    expect(nulls / all.length).toBeLessThan(0.09);
    const phones = all.flatMap((c) => c.custom_fields_values?.filter((f) => f.field_code === "PHONE") ?? []);
    expect(phones.some((f) => f.values.length >= 2)).toBe(true);
    const values = phones.flatMap((f) => f.values.map((v) => v.value));
    expect(values.some((v) => /^\+7 \(\d{3}\) \d{3}-\d{2}-\d{2}$/.test(v))).toBe(true);
    expect(values.some((v) => /^8\d{10}$/.test(v))).toBe(true);
    expect(values.some((v) => ["12-34", "n/a", "+7 000"].includes(v))).toBe(true);
    expect(phones[0]).toMatchObject({ field_name: "Телефон", field_type: "multitext" });
    // The same number twice in one contact, typed differently; the same e-mail twice in another case.
    const last10 = (v: string) => v.replace(/\D/g, "").slice(-10);
    expect(phones.some((f) => f.values.some((v, i) => f.values.some((w, j) => j > i && w.value !== v.value
      && last10(w.value).length === 10 && last10(w.value) === last10(v.value))))).toBe(true);
    const emails = all.flatMap((c) => c.custom_fields_values?.filter((f) => f.field_code === "EMAIL") ?? []);
    expect(emails.some((f) => f.values.some((v, i) => f.values.some((w, j) => j > i && w.value !== v.value
      && w.value.toLowerCase() === v.value.toLowerCase())))).toBe(true);
    expect(emails.some((f) => f.values.some((v) => /[A-Z]/.test(v.value)))).toBe(true);
    expect(all.some((c) => /[а-я]/i.test(c.name)) && all.some((c) => /^[A-Za-z' ]+$/.test(c.name))).toBe(true);
  });

  it("companies: responsible + custom-field filter yields exactly the matching 50, with=contacts ids match truth", async () => {
    const got = await amoAll<AmoCompany>(sub, `/api/v4/companies?limit=250&with=contacts&${FILTER}`, "companies", acct.long_lived_token);
    expect(got.map((c) => c.id)).toEqual(truth.matching.companies);
    expect(truth.matching.companies).toHaveLength(50);
    const contactIds = got.flatMap((co) => (co._embedded.contacts ?? []).map((r) => r.id)).sort((a, b) => a - b);
    expect(contactIds).toEqual(truth.matching.contacts);
    for (const co of got) {
      expect(co._embedded.contacts?.length).toBeGreaterThanOrEqual(9);
      expect(co._embedded.contacts?.length).toBeLessThanOrEqual(20);
      for (const ref of co._embedded.contacts ?? []) expect(truth.contacts[ref.id]?._embedded.companies.map((c) => c.id)).toEqual([co.id]);
    }
    // Each half of the filter alone matches more companies: there are decoys.
    const byUser = await amoAll<AmoCompany>(sub, "/api/v4/companies?limit=250&filter[responsible_user_id][]=6000007", "companies", acct.long_lived_token);
    expect(byUser.length).toBeGreaterThan(50);
    // Without with=contacts there is no _embedded.contacts.
    const plain = await page<AmoCompany>(await get("/api/v4/companies?limit=1"), "companies");
    expect(plain.items[0]?._embedded.contacts).toBeUndefined();
  });

  it("notes filter by entity and type; /api/v4/notes does not exist", async () => {
    const ids = truth.matching.contacts.slice(0, 40);
    const q = ids.map((id) => `filter[entity_id][]=${id}`).join("&");
    const notes = await amoAll<AmoNote>(sub, `/api/v4/contacts/notes?limit=250&${q}`, "notes", acct.long_lived_token);
    expect(notes.every((n) => ids.includes(n.entity_id))).toBe(true);
    const matchingNotes = new Set(truth.matching.contact_notes);
    expect(notes.every((n) => matchingNotes.has(n.id))).toBe(true);
    const calls = await amoAll<AmoNote>(sub, `/api/v4/contacts/notes?limit=250&filter[note_type][]=call_in&filter[note_type][]=call_out`, "notes", acct.long_lived_token);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((n) => n.note_type === "call_in" || n.note_type === "call_out")).toBe(true);
    expect(calls[0]?.params).toHaveProperty("duration");
    const companyNotes = await amoAll<AmoNote>(sub, `/api/v4/companies/notes?limit=250&${truth.matching.companies.map((id) => `filter[entity_id][]=${id}`).join("&")}`, "notes", acct.long_lived_token);
    expect(companyNotes.map((n) => n.id)).toEqual(truth.matching.company_notes);
    await problem(await get("/api/v4/notes"), 404);
    await problem(await get("/api/v4/leads/pipelines"), 404);
  });

  it("tasks filter by entity (which needs entity_type) and completion", async () => {
    const ids = truth.matching.contacts;
    const chunk = ids.slice(0, 100).map((id) => `filter[entity_id][]=${id}`).join("&");
    const body = await problem(await get(`/api/v4/tasks?${chunk}`), 400);
    expect(body["validation-errors"]).toBeInstanceOf(Array);
    const tasks = await amoAll<AmoTask>(sub, `/api/v4/tasks?limit=250&filter[entity_type]=contacts&${chunk}`, "tasks", acct.long_lived_token);
    const want = new Set(ids.slice(0, 100));
    expect(tasks.every((t) => t.entity_type === "contacts" && want.has(t.entity_id))).toBe(true);
    const truthSubset = truth.matching.contact_tasks.filter((id) => tasks.some((t) => t.id === id));
    expect(tasks.map((t) => t.id)).toEqual(truthSubset);
    const open = await amoAll<AmoTask>(sub, "/api/v4/tasks?limit=250&filter[is_completed]=0&filter[entity_type]=leads", "tasks", acct.long_lived_token);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((t) => !t.is_completed && t.entity_type === "leads")).toBe(true);
  });

  it("answers 414 to a URL over 8192 characters", async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `filter[id][]=${20_000_000 + i}`).join("&");
    const res = await get(`/api/v4/contacts?${ids}`);
    expect(res.status).toBe(414);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("mutate changes name and updated_at of matching contacts first", async () => {
    const { updated, at } = await amoSandbox.mutate(sub, 3);
    expect(updated).toEqual(truth.matching.contacts.slice(0, 3));
    const before = truth.contacts[String(updated[0])];
    const after = await amoSandbox.contact(sub, updated[0] ?? 0);
    expect(after.updated_at).toBe(at);
    expect(after.name).not.toBe(before?.name);
    expect({ ...after, name: before?.name, updated_at: before?.updated_at }).toEqual(before);
    const changed = await page<AmoContact>(await get(`/api/v4/contacts?filter[updated_at][from]=${at}`), "contacts");
    expect(changed.items.map((c) => c.id)).toEqual(updated);
  });
});

describe("AmoCRM auth and OAuth", () => {
  const a = uid("amo"), b = uid("amo");
  let acctA: AmoSummary, acctB: AmoSummary;

  beforeAll(async () => {
    const small = { contacts: 300, companies: 40, matching_companies: 5, rate: { max: 100_000, intervalMs: 1000 } };
    [acctA, acctB] = await Promise.all([amoSandbox.createAccount(a, small), amoSandbox.createAccount(b, small)]);
  });

  const refresh = (acct: AmoSummary, refresh_token: string, over: Record<string, unknown> = {}) => amoToken(acct.subdomain, {
    client_id: acct.oauth.client_id, client_secret: acct.oauth.client_secret, grant_type: "refresh_token", refresh_token,
    redirect_uri: acct.oauth.redirect_uri, ...over,
  });

  it("isolates accounts: another account's token or host is a 401", async () => {
    await problem(await amoGet(b, "/api/v4/contacts", acctA.long_lived_token), 401);
    await problem(await amoGet(a, "/api/v4/contacts"), 401);
    await problem(await amoGet(a, "/api/v4/contacts", "nope"), 401);
    // The same token on its own host (or on a neutral host) reads its own account only.
    for (const host of [`${a}.amocrm.ru`, `${a}.kommo.com`, "amo-sandbox.test"]) {
      const { items } = await page<AmoContact>(await amoGet(a, "/api/v4/contacts?limit=5", acctA.long_lived_token, host), "contacts");
      expect(items.every((c) => c.account_id === acctA.account_id)).toBe(true);
    }
    const viaB = await page<AmoContact>(await amoGet(b, "/api/v4/contacts?limit=5", acctB.oauth.access_token), "contacts");
    expect(viaB.items.every((c) => c.account_id === acctB.account_id)).toBe(true);
    expect(acctA.account_id).not.toBe(acctB.account_id);
  });

  it("refresh rotates both tokens and rejects reuse; revoke gives the revoked hint", async () => {
    const start = await amoSandbox.account(a);
    expect((await amoGet(a, "/api/v4/contacts?limit=1", start.oauth.access_token)).status).toBe(200);
    const res = await refresh(start, start.oauth.refresh_token);
    expect(res.status).toBe(200);
    const tok = (await res.json()) as Record<string, unknown>;
    expect(tok).toMatchObject({ token_type: "Bearer", expires_in: 86_400 });
    expect(typeof tok.server_time).toBe("number");
    expect(tok.access_token).not.toBe(start.oauth.access_token);
    expect(tok.refresh_token).not.toBe(start.oauth.refresh_token);
    await problem(await amoGet(a, "/api/v4/contacts?limit=1", start.oauth.access_token), 401);
    expect((await amoGet(a, "/api/v4/contacts?limit=1", String(tok.access_token))).status).toBe(200);
    expect(await amoSandbox.account(a)).toMatchObject({ oauth: { access_token: tok.access_token, refresh_token: tok.refresh_token } });

    const reused = await problem(await refresh(start, start.oauth.refresh_token), 400);
    expect(reused).toMatchObject({ hint: "Token has been revoked", title: "Bad Request" });

    await amoSandbox.revokeRefresh(a);
    expect(await problem(await refresh(start, String(tok.refresh_token)), 400)).toMatchObject({ hint: "Token has been revoked" });
    // The long-lived token does not care.
    expect((await amoGet(a, "/api/v4/contacts?limit=1", acctA.long_lived_token)).status).toBe(200);
  });

  it("rejects a wrong client, a wrong secret and a non-JSON body", async () => {
    const cur = await amoSandbox.account(b);
    await problem(await refresh(cur, cur.oauth.refresh_token, { client_secret: "wrong" }), 400);
    await problem(await refresh(cur, cur.oauth.refresh_token, { client_id: acctA.oauth.client_id }), 400);
    await problem(await amoToken(b, "client_id=x&grant_type=refresh_token"), 400);
    // Nothing was consumed: the right request still works.
    expect((await refresh(cur, cur.oauth.refresh_token)).status).toBe(200);
  });

  it("expire-access makes the access token a 401 until refreshed", async () => {
    const cur = await amoSandbox.account(b);
    expect((await amoGet(b, "/api/v4/tasks?limit=1", cur.oauth.access_token)).status).toBe(200);
    await amoSandbox.expireAccess(b);
    expect(await problem(await amoGet(b, "/api/v4/tasks?limit=1", cur.oauth.access_token), 401)).toMatchObject({ title: "Unauthorized" });
    const res = await refresh(cur, cur.oauth.refresh_token);
    expect(res.status).toBe(200);
    const tok = (await res.json()) as { access_token: string };
    expect((await amoGet(b, "/api/v4/tasks?limit=1", tok.access_token)).status).toBe(200);
  });

  it("injected faults answer 502 for the next N calls", async () => {
    await amoSandbox.faults(a, { error5xx: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await amoGet(a, "/api/v4/contacts?limit=1", acctA.long_lived_token)).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect((await amoSandbox.stats(a)).requests5xx).toBe(2);
  });
});

describe("AmoCRM rate limit and block", () => {
  it("8 requests inside one second get exactly one 429 (not JSON), and stats show it", async () => {
    const sub = uid("amo");
    const acct = await amoSandbox.createAccount(sub, { contacts: 200, companies: 20, matching_companies: 2 });
    expect((await amoGet(sub, "/api/v4/contacts?limit=1", acct.long_lived_token)).status).toBe(200); // generates the data
    await amoSandbox.resetStats(sub);
    const res = await Promise.all(Array.from({ length: 8 }, () => amoGet(sub, "/api/v4/contacts?limit=1", acct.long_lived_token)));
    const statuses = res.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    const limited = res.find((r) => r.status === 429);
    const text = await limited?.text();
    expect(() => JSON.parse(text ?? "")).toThrow();
    const stats = await amoSandbox.stats(sub);
    expect(stats).toMatchObject({ requests: 8, requests429: 1, requests403: 0, blocked: false, blockedCount: 0 });
    expect(stats.maxPerSecond).toBe(8);
    expect(stats.byEndpoint["GET /api/v4/contacts"]).toBe(8);
  });

  it("enough 429s block the account: 403 for every call, token endpoint too, until stats/reset", async () => {
    const sub = uid("amo");
    const acct = await amoSandbox.createAccount(sub, {
      contacts: 200, companies: 20, matching_companies: 2, block: { after429: 3, windowMs: 60_000, durationMs: 600_000 },
    });
    expect((await amoGet(sub, "/api/v4/contacts?limit=1", acct.long_lived_token)).status).toBe(200);
    await amoSandbox.resetStats(sub);
    // Sequential calls: however slow the machine, more than 7 land in some one-second window.
    const statuses: number[] = [];
    while (!statuses.includes(403) && statuses.length < 200) {
      statuses.push((await amoGet(sub, "/api/v4/contacts?limit=1", acct.long_lived_token)).status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(statuses.at(-1)).toBe(403);
    for (const res of [
      await amoGet(sub, "/api/v4/companies", acct.long_lived_token),
      await amoGet(sub, "/api/v4/tasks", acct.oauth.access_token),
      await amoToken(sub, { client_id: acct.oauth.client_id, client_secret: acct.oauth.client_secret, grant_type: "refresh_token",
        refresh_token: acct.oauth.refresh_token, redirect_uri: acct.oauth.redirect_uri }),
    ]) {
      expect(await problem(res, 403)).toMatchObject({ title: "Forbidden", detail: "Access blocked: too many requests" });
    }
    const stats = await amoSandbox.stats(sub);
    expect(stats).toMatchObject({ requests429: 3, requests403: 4, blocked: true, blockedCount: 1 });
    expect(stats.requests).toBe(statuses.length + 3);
    expect(stats.byEndpoint["POST /oauth2/access_token"]).toBe(1);

    await amoSandbox.resetStats(sub);
    expect((await amoGet(sub, "/api/v4/contacts?limit=1", acct.long_lived_token)).status).toBe(200);
    expect(await amoSandbox.stats(sub)).toMatchObject({ requests: 1, blocked: false, blockedCount: 0 });
  });
});

describe("AmoCRM control API", () => {
  it("validates input and 404s unknown accounts", async () => {
    const bad = await fetch("https://services.leadconnectorhq.com/__sandbox/amocrm/accounts", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ subdomain: "Bad Sub!" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty("error");
    const tooFew = await fetch("https://services.leadconnectorhq.com/__sandbox/amocrm/accounts", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ subdomain: uid("amo"), contacts: 100 }),
    });
    expect(tooFew.status).toBe(400);
    expect((await fetch(`https://services.leadconnectorhq.com/__sandbox/amocrm/accounts/${uid("nope")}`)).status).toBe(404);
  });

  it("generates the same account from the same seed, and summary counts agree with truth", async () => {
    const s1 = uid("amo");
    const first = await amoSandbox.createAccount(s1, { contacts: 500, companies: 60, matching_companies: 10, seed: 7 });
    const t1 = await amoSandbox.truth(s1);
    const again = await amoSandbox.createAccount(s1, { contacts: 500, companies: 60, matching_companies: 10, seed: 7 });
    expect(again.counts).toEqual(first.counts);
    expect(await amoSandbox.truth(s1)).toEqual(t1);
    expect(t1.matching.companies).toHaveLength(10);
    expect(t1.all.contacts).toBe(500);
    expect(first.counts.contact_notes).toBe(t1.all.contact_notes);
    const allIds = [...t1.matching.contacts, ...t1.matching.companies, ...t1.matching.contact_notes, ...t1.matching.contact_tasks];
    expect(new Set(allIds).size).toBe(allIds.length);
    expect(allIds.every((id) => id >= 1_000_000 && id < 100_000_000)).toBe(true);
  });
});

describe("AmoCRM simulator in-process, with a fake clock", () => {
  let clock = Date.UTC(2026, 6, 1);
  const app = createSandboxApp({
    seedLocations: [], rate: DEFAULT_RATE, amoAccounts: parseAmoSeeds("clock:300:40:3"), now: () => clock,
  });
  const send = (path: string, init: { token?: string; method?: string; body?: unknown } = {}) => app.fetch(new Request(`https://clock.amocrm.ru${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  }));
  const control = async <T>(path: string, method = "GET", body?: unknown): Promise<T> =>
    (await (await app.fetch(new Request(`https://sandbox.test/__sandbox${path}`, {
      method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    }))).json()) as T;

  it("parses the seed var, defaulting to amodemo with 25,000 contacts and 2,000 companies", () => {
    expect(parseAmoSeeds(undefined)).toEqual([expect.objectContaining({ subdomain: "amodemo", contacts: 25_000, companies: 2_000, matchingCompanies: 50, seed: 1 })]);
    expect(parseAmoSeeds("a:10:2,bad,b:900:100:9").map((s) => [s.subdomain, s.matchingCompanies, s.seed])).toEqual([["a", 1, 1], ["b", 50, 9]]);
  });

  it("slides the 7-per-second window and lifts a block after its duration", async () => {
    const ll = "amo-clock-ll";
    await control("/amocrm/accounts/clock/stats/reset", "POST");
    const at = async (ms: number) => { clock += ms; return (await send("/api/v4/contacts?limit=1", { token: ll })).status; };
    const t0 = clock;
    const first = [];
    for (let i = 0; i < 7; i++) first.push(await at(i === 0 ? 0 : 100)); // t0 .. t0+600
    expect(first).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(await at(300)).toBe(429); // t0+900: seven in the last second
    expect(await at(101)).toBe(200); // t0+1001: the first call left the window
    expect(clock - t0).toBe(1001);
    expect(await at(0)).toBe(429);
    expect(await at(0)).toBe(429); // the third 429 inside 10 s starts the block
    expect(await at(0)).toBe(403);
    expect(await at(59_000)).toBe(403);
    expect(await at(1_100)).toBe(200); // 60 s after the block began
    const stats = await control<{ blockedCount: number; requests429: number; blocked: boolean }>("/amocrm/accounts/clock/stats");
    expect(stats).toMatchObject({ blockedCount: 1, requests429: 3, blocked: false });
  });

  it("expires access tokens after access_ttl_s", async () => {
    const acct = await control<AmoSummary>("/amocrm/accounts", "POST", { subdomain: "clock", contacts: 300, companies: 40, matching_companies: 5, access_ttl_s: 60 });
    expect((await send("/api/v4/tasks?limit=1", { token: acct.oauth.access_token })).status).toBe(200);
    clock += 59_999;
    expect((await send("/api/v4/tasks?limit=1", { token: acct.oauth.access_token })).status).toBe(200);
    clock += 1;
    expect((await send("/api/v4/tasks?limit=1", { token: acct.oauth.access_token })).status).toBe(401);
    const res = await send("/oauth2/access_token", { body: { client_id: acct.oauth.client_id, client_secret: acct.oauth.client_secret,
      grant_type: "refresh_token", refresh_token: acct.oauth.refresh_token, redirect_uri: acct.oauth.redirect_uri } });
    const tok = (await res.json()) as { access_token: string; expires_in: number; server_time: number };
    expect(tok).toMatchObject({ expires_in: 60, server_time: Math.floor(clock / 1000) });
    expect((await send("/api/v4/tasks?limit=1", { token: tok.access_token })).status).toBe(200);
  });

  it("POST /__sandbox/reset puts AmoCRM accounts back to the seed", async () => {
    await control("/reset", "POST");
    const seeded = await control<AmoTruth>("/amocrm/accounts/clock/truth");
    await control("/amocrm/accounts", "POST", { subdomain: "extra", contacts: 100, companies: 10, matching_companies: 1 });
    const { updated } = await control<{ updated: number[] }>("/amocrm/accounts/clock/mutate", "POST", { contacts: 2 });
    const id = updated[0] ?? 0;
    expect((await control<AmoContact>(`/amocrm/accounts/clock/contacts/${id}`)).name).toMatch(/\(upd 1\)$/);
    await control("/amocrm/accounts/clock/expire-access", "POST");
    await control("/reset", "POST");
    const after = await control<AmoSummary>("/amocrm/accounts/clock");
    expect(after.oauth).toMatchObject({ access_token: "amo-clock-access-1", refresh_token: "amo-clock-refresh-1" });
    expect(await control<AmoContact>(`/amocrm/accounts/clock/contacts/${id}`)).toEqual(seeded.contacts[String(id)]);
    expect((await app.fetch(new Request("https://sandbox.test/__sandbox/amocrm/accounts/extra"))).status).toBe(404);
    expect((await send("/api/v4/contacts?limit=1", { token: "amo-clock-access-1" })).status).toBe(200);
  });
});
