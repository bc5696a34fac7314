// AmoCRM account webhooks in workerd: the per-location secret URL, form-encoded deliveries, and
// hints applied by re-fetching by id (`filter[id][]`, batched) from the AmoCRM simulator.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { amoLocation } from "./amocrm-fixtures";
import { amoSandbox } from "./amocrm-sandbox-client";
import { api, fakeContact, json, seedContacts } from "./helpers";

type Row = { name: string; deleted: number; deleted_at: number | null; date_updated: number };

async function rowOf(locationId: string, externalId: string): Promise<Row | null> {
  return env.DB.prepare("select name, deleted, deleted_at, date_updated from contacts where location_id = ? and external_id = ?")
    .bind(locationId, externalId)
    .first<Row>();
}

async function webhookUrl(locationId: string): Promise<string> {
  const res = await api(`/api/admin/locations/${locationId}/webhook`, { admin: true, body: {} });
  expect(res.status).toBe(201);
  return (await json<{ webhook_url: string }>(res)).webhook_url;
}

function deliver(url: string, form: Record<string, string | number>): Promise<Response> {
  const body = new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString();
  return exports.default.fetch(new Request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }));
}

const waitFor = (check: () => Promise<boolean>) => vi.waitUntil(check, { timeout: 15_000, interval: 25 });

describe("AmoCRM webhooks", () => {
  it("a contacts[update] hook re-fetches the contact by id and updates the cache, with no sync run", async () => {
    const f = await amoLocation({ contacts: 30, companies: 5, matching_companies: 2 });
    const url = await webhookUrl(f.id);
    const truth = await amoSandbox.truth(f.sub);
    const [a, b] = truth.contact_ids.map(String);
    // Our cache holds an old copy of one of them.
    await seedContacts(f.id, [fakeContact(1, { externalId: a!, name: "Stale Copy", dateUpdated: 1_000_000_000_000 })]);
    const mutated = await amoSandbox.mutate(f.sub, [Number(a), Number(b)]);
    await amoSandbox.resetStats(f.sub);
    const res = await deliver(url, {
      "account[subdomain]": f.sub,
      "account[id]": f.account.account_id,
      "contacts[update][0][id]": a!,
      "contacts[update][0][updated_at]": mutated.at,
      "contacts[add][0][id]": b!,
      "companies[update][0][id]": 1,
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: "queued", hints: 2, ignored: 1 });
    const expected = await amoSandbox.contact(f.sub, Number(a));
    await waitFor(async () => (await rowOf(f.id, a!))?.name === expected.name);
    await waitFor(async () => (await rowOf(f.id, b!)) !== null);
    expect((await rowOf(f.id, a!))!.date_updated).toBe(expected.updated_at * 1000);
    // Both contacts in one filter[id][] request.
    expect((await amoSandbox.stats(f.sub)).requests).toBe(1);
    const runs = await env.DB.prepare("select count(*) as n from sync_runs where location_id = ?").bind(f.id).first<{ n: number }>();
    expect(runs?.n).toBe(0);
  });

  it("a contacts[delete] hook leaves a tombstone; a late update hook cannot bring the contact back", async () => {
    const f = await amoLocation({ contacts: 30, companies: 5, matching_companies: 2 });
    const url = await webhookUrl(f.id);
    const [id] = (await amoSandbox.truth(f.sub)).contact_ids.map(String);
    await seedContacts(f.id, [fakeContact(1, { externalId: id!, name: "To Be Deleted", dateUpdated: 1_000_000_000_000 })]);
    await amoSandbox.deleteContacts(f.sub, [Number(id)]);
    expect((await deliver(url, { "account[subdomain]": f.sub, "contacts[delete][0][id]": id! })).status).toBe(200);
    await waitFor(async () => (await rowOf(f.id, id!))?.deleted === 1);
    // An update hook sent before the delete but delivered after it: the re-fetch finds nothing.
    expect((await deliver(url, { "account[subdomain]": f.sub, "contacts[update][0][id]": id!, "contacts[update][0][updated_at]": 1_700_000_000 })).status).toBe(200);
    const [other] = (await amoSandbox.truth(f.sub)).contact_ids.map(String);
    await deliver(url, { "account[subdomain]": f.sub, "contacts[add][0][id]": other! });
    await waitFor(async () => (await rowOf(f.id, other!)) !== null);
    expect((await rowOf(f.id, id!))!.deleted).toBe(1);
  });

  it("a wrong secret, an unknown location and a replaced URL all get the same 401; another account's delivery is refused; nothing changes", async () => {
    const f = await amoLocation({ contacts: 10, companies: 2, matching_companies: 1 });
    const old = await webhookUrl(f.id);
    const url = await webhookUrl(f.id);
    const form = { "account[subdomain]": f.sub, "contacts[add][0][id]": "42" };
    const shapes = await Promise.all(
      [old, url.replace(/\/[^/]+$/, "/wrong-secret"), url.replace(`/${f.id}/`, "/no-such-location/")].map(async (u) => {
        const res = await deliver(u, form);
        const body = await json<{ error: { code: string; message: string } }>(res);
        return `${res.status} ${body.error.code} ${body.error.message}`;
      }),
    );
    expect(new Set(shapes).size).toBe(1);
    expect(shapes[0]).toMatch(/^401 unauthorized/);
    const mismatch = await deliver(url, { ...form, "account[subdomain]": "someone-else" });
    expect(mismatch.status).toBe(400);
    expect((await json<{ error: { code: string } }>(mismatch)).error.code).toBe("account_mismatch");
    const empty = await deliver(url, { "account[subdomain]": f.sub });
    expect((await json<{ error: { code: string } }>(empty)).error.code).toBe("invalid_body");
    const receipts = await env.DB.prepare("select count(*) as n from webhook_receipts where location_id = ?").bind(f.id).first<{ n: number }>();
    expect(receipts?.n).toBe(0);
    expect(await rowOf(f.id, "42")).toBeNull();
  });

  it("only AmoCRM locations get a webhook URL", async () => {
    await api("/api/admin/locations", { admin: true, body: { id: "ghl-nohook", provider: "ghl", account_id: "ghl-nohook" } });
    const res = await api("/api/admin/locations/ghl-nohook/webhook", { admin: true, body: {} });
    expect(res.status).toBe(400);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("not_amocrm");
  });
});
