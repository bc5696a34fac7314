// The AmoCRM provider against the AmoCRM simulator over HTTP: the filtered import of the 50
// matching companies with the fewest requests, dry runs, incremental runs, the shared bucket
// (never a 429 or a 403 block), OAuth refresh, and the account-wide kinds.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { amoLocation, drained, metricsOf, startSync, storedCredentials, storedIds } from "./amocrm-fixtures";
import { type AmoTruth, amoSandbox } from "./amocrm-sandbox-client";
import { api, json } from "./helpers";

type Stored = { external_id: string; payload: string; phone: string | null; email: string | null; company_name: string | null };

async function storedContact(locationId: string, externalId: number): Promise<Stored & { customFields: { id: string; value: unknown }[] }> {
  const row = await env.DB.prepare("select external_id, payload, phone, email, company_name from contacts where location_id = ? and external_id = ?")
    .bind(locationId, String(externalId))
    .first<Stored>();
  if (!row) throw new Error(`contact ${externalId} not stored`);
  return { ...row, customFields: (JSON.parse(row.payload) as { customFields: { id: string; value: unknown }[] }).customFields };
}

/** A list page holds at most 250 records (AmoCRM's documented `limit` maximum; the simulator enforces it). */
const PAGE = 250;

/**
 * The requests of a filtered import under its documented plan (docs/architecture.md), from the
 * simulator's truth alone: the matching companies in pages of 250; their contacts by id, 250 ids
 * per request; their notes and their tasks by contact id, 200 ids per request in ascending order,
 * each batch as many pages as its records fill (at least one). Nothing here comes from the
 * client's code or from what it stored: a client that cut batches differently, paged past the
 * end or fetched anything twice makes a different number of requests.
 */
function minimumRequests(truth: AmoTruth): Record<string, number> {
  const pages = (records: number) => Math.max(1, Math.ceil(records / PAGE));
  const contacts = truth.matching.contacts; // ascending
  const batches = (size: number) => Array.from({ length: Math.ceil(contacts.length / size) }, (_, i) => contacts.slice(i * size, (i + 1) * size));
  const byContact = (perContact: Record<string, number>) =>
    batches(200).reduce((sum, batch) => sum + pages(batch.reduce((n, id) => n + (perContact[id] ?? 0), 0)), 0);
  return {
    "GET /api/v4/companies": pages(truth.matching.companies.length),
    "GET /api/v4/contacts": batches(PAGE).length,
    "GET /api/v4/contacts/notes": byContact(truth.matching.notes_per_contact),
    "GET /api/v4/tasks": byContact(truth.matching.tasks_per_contact),
  };
}

describe("filtered import of the companies matching a filter", () => {
  it("imports exactly the matching companies, their contacts, notes and tasks, in the computed minimum of requests", async () => {
    const f = await amoLocation({ contacts: 3000, companies: 400, matching_companies: 50 });
    const truth = await amoSandbox.truth(f.sub);
    expect(truth.matching.companies).toHaveLength(50);
    await amoSandbox.resetStats(f.sub);

    const [started] = await startSync(f, { mode: "filtered" });
    expect(started?.kind).toBe("companies");
    const [run] = await drained(f.id);
    expect(run?.status, run?.error_message ?? "").toBe("succeeded");

    expect(await storedIds("companies", f.id)).toEqual(truth.matching.companies);
    expect(await storedIds("contacts", f.id)).toEqual(truth.matching.contacts);
    expect(await storedIds("notes", f.id)).toEqual(truth.matching.contact_notes);
    expect(await storedIds("tasks", f.id)).toEqual(truth.matching.contact_tasks);

    const stats = await amoSandbox.stats(f.sub);
    // Per endpoint, so that more requests on one list cannot hide behind fewer on another.
    const perEndpoint = minimumRequests(truth);
    expect(stats.byEndpoint).toEqual(perEndpoint);
    const minimum = Object.values(perEndpoint).reduce((a, b) => a + b, 0);
    expect(stats.requests).toBe(minimum);
    expect(run?.requests).toBe(minimum);
    expect(stats.requests429 + stats.requests403).toBe(0);

    const m = metricsOf(run!);
    expect(m.entities.contacts).toMatchObject({ seen: truth.matching.contacts.length, created: truth.matching.contacts.length, updated: 0 });
    expect(m.per_entity_requests).toBe(1 + 50 + 2 * truth.matching.contacts.length);
    expect(m.requests).toBe(minimum);

    // Contacts are served by the fast endpoint like any other location's.
    const list = await api(`/api/get-location-contacts-fast?location_id=${f.id}&limit=5`, { token: f.t });
    expect((await json<{ total: number }>(list)).total).toBe(truth.matching.contacts.length);
  });

  it("maps phones to E.164, lower-cases e-mails, drops duplicates, keeps malformed phones apart, survives null custom fields", async () => {
    const f = await amoLocation({ contacts: 2000, companies: 200, matching_companies: 50 });
    const truth = await amoSandbox.truth(f.sub);
    await startSync(f, { mode: "filtered" });
    const [run] = await drained(f.id);
    expect(run?.status, run?.error_message ?? "").toBe("succeeded");

    const raw = Object.values(truth.contacts);
    const withNull = raw.find((c) => c.custom_fields_values === null);
    const malformed = raw.find((c) => c.custom_fields_values?.some((f) => f.field_code === "PHONE" && f.values.some((v) => /^(12-34|n\/a|\+7 000|нет|000|\+7 \(9)$/.test(v.value))));
    const multi = raw.find((c) => (c.custom_fields_values?.find((f) => f.field_code === "PHONE")?.values.length ?? 0) >= 2);
    expect(withNull && malformed && multi).toBeTruthy();

    const nullStored = await storedContact(f.id, withNull!.id);
    expect(nullStored.phone).toBeNull();
    expect(nullStored.email).toBeNull();

    const bad = await storedContact(f.id, malformed!.id);
    const invalid = bad.customFields.find((c) => c.id === "invalid_phones")?.value as string[];
    expect(invalid.length).toBeGreaterThan(0);

    for (const c of raw) {
      const stored = await storedContact(f.id, c.id);
      const phones = (stored.customFields.find((x) => x.id === "phones")?.value ?? []) as string[];
      const emails = (stored.customFields.find((x) => x.id === "emails")?.value ?? []) as string[];
      for (const p of phones) expect(p).toMatch(/^\+[1-9]\d{6,14}$/);
      expect(new Set(phones).size).toBe(phones.length);
      for (const e of emails) expect(e).toBe(e.toLowerCase());
      expect(new Set(emails).size).toBe(emails.length);
      expect(stored.phone).toBe(phones[0] ?? null);
      // The contact's company (a matching one) names it.
      expect(stored.company_name).not.toBeNull();
    }
  });

  it("a dry run computes everything and writes no records", async () => {
    const f = await amoLocation({ contacts: 1500, companies: 200, matching_companies: 50 });
    const truth = await amoSandbox.truth(f.sub);
    await startSync(f, { mode: "filtered", dry_run: true });
    const [run] = await drained(f.id);
    expect(run?.status, run?.error_message ?? "").toBe("succeeded");
    const m = metricsOf(run!);
    expect(m.dry_run).toBe(true);
    expect(m.entities.companies?.seen).toBe(50);
    expect(m.entities.contacts).toMatchObject({ seen: truth.matching.contacts.length, created: truth.matching.contacts.length });
    for (const table of ["contacts", "companies", "notes", "tasks"] as const) expect(await storedIds(table, f.id)).toEqual([]);
    const loc = await env.DB.prepare("select contact_count, last_synced_at from locations where id = ?").bind(f.id).first();
    expect(loc).toEqual({ contact_count: 0, last_synced_at: null });
  });

  it("an incremental run after 10 contacts changed fetches only those 10", async () => {
    const f = await amoLocation({ contacts: 1500, companies: 200, matching_companies: 50 });
    await startSync(f, { mode: "filtered" });
    expect((await drained(f.id))[0]?.status).toBe("succeeded");

    const changed = await amoSandbox.mutate(f.sub, 10);
    await startSync(f, { mode: "filtered", incremental: true });
    const runs = await drained(f.id);
    const second = runs[1];
    expect(second?.status, second?.error_message ?? "").toBe("succeeded");
    const m = metricsOf(second!);
    expect(m.incremental).toBe(true);
    expect(m.entities.contacts).toMatchObject({ seen: 10, updated: 10, created: 0 });
    expect(m.entities.notes?.seen).toBe(0);
    for (const id of changed.updated) {
      const stored = await storedContact(f.id, id);
      const upstream = await amoSandbox.contact(f.sub, id);
      expect(JSON.parse(stored.payload).name).toBe(upstream.name);
    }
  });

  it("two imports of one account at once share its bucket: no 429, no 403 block, ≤ 7 requests in any second", async () => {
    const a = await amoLocation({ contacts: 2500, companies: 300, matching_companies: 50 });
    const b = await amoLocation({ sub: a.sub });
    await amoSandbox.resetStats(a.sub);
    await Promise.all([startSync(a, { mode: "filtered" }), startSync(b, { mode: "filtered" })]);
    const [ra] = await drained(a.id);
    const [rb] = await drained(b.id);
    expect([ra?.status, rb?.status]).toEqual(["succeeded", "succeeded"]);
    const stats = await amoSandbox.stats(a.sub);
    expect(stats).toMatchObject({ requests429: 0, requests403: 0, blocked: false });
    expect(stats.maxPerSecond).toBeLessThanOrEqual(7);
    expect(await storedIds("contacts", b.id)).toEqual(await storedIds("contacts", a.id));
  });
});

describe("OAuth", () => {
  it("an expired access token is refreshed once, stored encrypted, and the call repeated", async () => {
    const f = await amoLocation({ oauth: true, contacts: 1000, companies: 150, matching_companies: 20 });
    await amoSandbox.expireAccess(f.sub);
    await amoSandbox.resetStats(f.sub);
    await startSync(f, { mode: "filtered" });
    const [run] = await drained(f.id);
    expect(run?.status, run?.error_message ?? "").toBe("succeeded");
    const stats = await amoSandbox.stats(f.sub);
    expect(stats.byEndpoint["POST /oauth2/access_token"]).toBe(1);
    const current = (await amoSandbox.account(f.sub)).oauth;
    const stored = await storedCredentials(f.id);
    expect(stored.access_token).toBe(current.access_token);
    expect(stored.refresh_token).toBe(current.refresh_token);
    expect(stored.refresh_token).not.toBe(f.account.oauth.refresh_token);
    expect(stored.expires_at).toBeGreaterThan(Date.now() / 1000);
  });

  it("four runs that meet the expired token together share one refresh (refresh tokens are single-use)", async () => {
    const f = await amoLocation({ oauth: true, contacts: 600, companies: 100, matching_companies: 10 });
    await amoSandbox.expireAccess(f.sub);
    await amoSandbox.resetStats(f.sub);
    await startSync(f, { mode: "full" });
    const runs = await drained(f.id);
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect((await amoSandbox.stats(f.sub)).byEndpoint["POST /oauth2/access_token"]).toBe(1);
    expect((await storedCredentials(f.id)).access_token).toBe((await amoSandbox.account(f.sub)).oauth.access_token);
  });

  it("a revoked refresh token fails the run with a clear error and writes nothing", async () => {
    const f = await amoLocation({ oauth: true, contacts: 600, companies: 100, matching_companies: 10 });
    await amoSandbox.expireAccess(f.sub);
    await amoSandbox.revokeRefresh(f.sub);
    await startSync(f, { mode: "filtered" });
    const [run] = await drained(f.id);
    expect(run?.status).toBe("failed");
    expect(run?.error_code).toBe("upstream_auth");
    expect(run?.error_message).toMatch(/refresh.*Reconnect/i);
    expect(await storedIds("contacts", f.id)).toEqual([]);
  });
});

describe("account-wide kinds", () => {
  it("a full run stores every contact, company, contact note and contact task; an unchanged incremental makes one request per kind", async () => {
    const f = await amoLocation({ contacts: 800, companies: 120, matching_companies: 10 });
    const truth = await amoSandbox.truth(f.sub);
    await startSync(f, { mode: "full" });
    const runs = await drained(f.id);
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ["contacts", "succeeded"],
      ["companies", "succeeded"],
      ["notes", "succeeded"],
      ["tasks", "succeeded"],
    ]);
    expect(await storedIds("contacts", f.id)).toHaveLength(truth.all.contacts);
    expect(await storedIds("companies", f.id)).toHaveLength(f.account.counts.companies);
    expect(await storedIds("notes", f.id)).toHaveLength(truth.all.contact_notes);
    expect(await storedIds("tasks", f.id)).toHaveLength(truth.all.contact_tasks);
    const links = await env.DB.prepare("select count(*) as n from contact_companies where location_id = ?").bind(f.id).first<{ n: number }>();
    expect(links?.n).toBeGreaterThan(0);

    await amoSandbox.resetStats(f.sub);
    await startSync(f, { mode: "incremental" });
    const again = (await drained(f.id)).slice(4);
    expect(again.every((r) => r.status === "succeeded" && r.mode === "incremental")).toBe(true);
    expect((await amoSandbox.stats(f.sub)).requests).toBe(4); // one page (or 204) per kind
    expect(await storedIds("contacts", f.id)).toHaveLength(truth.all.contacts);
  });

  it("refuses kinds and modes the provider does not have, changing nothing", async () => {
    const f = await amoLocation({ contacts: 50, companies: 10, matching_companies: 2 });
    const bad = await api(`/api/locations/${f.id}/sync`, { token: f.t, body: { kinds: ["conversations"] } });
    expect(bad.status).toBe(400);
    expect((await json<{ error: { code: string } }>(bad)).error.code).toBe("unsupported_kind");
    const stray = await api(`/api/locations/${f.id}/sync`, { token: f.t, body: { mode: "full", dry_run: true } });
    expect(stray.status).toBe(400);
    expect(await env.DB.prepare("select count(*) as n from sync_runs where location_id = ?").bind(f.id).first()).toEqual({ n: 0 });
  });
});
