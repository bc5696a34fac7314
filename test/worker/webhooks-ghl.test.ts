// GoHighLevel webhooks end to end in workerd: signed deliveries to /api/webhooks/ghl, the queue,
// and the cache, with no sync run. Signatures use the test key pairs (test/worker/webhook-keys.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { runRetention } from "../../worker/maintenance/retention";
import { verifyGhlWebhook } from "../../worker/webhooks/ghl-signature";
import { api, createLocation, fakeContact, json, runCron, seedContacts, token, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { TEST_WEBHOOK_KEYS } from "./webhook-keys";
import { deliverGhl, ghlEvent, signEd25519, signRsa } from "./webhook-signer";

type Row = { external_id: string; name: string; email: string | null; deleted: number; deleted_at: number | null; date_updated: number };

async function rowOf(locationId: string, externalId: string): Promise<Row | null> {
  return env.DB.prepare("select external_id, name, email, deleted, deleted_at, date_updated from contacts where location_id = ? and external_id = ?")
    .bind(locationId, externalId)
    .first<Row>();
}

async function locationRow(id: string) {
  return env.DB.prepare("select data_version, contact_count, webhooks_at from locations where id = ?")
    .bind(id)
    .first<{ data_version: number; contact_count: number; webhooks_at: number | null }>();
}

async function runCount(id: string): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from sync_runs where location_id = ?").bind(id).first<{ n: number }>();
  return row?.n ?? 0;
}

/** A registered GHL location (no upstream needed: whole payloads are applied without a fetch). */
async function ghlLoc(): Promise<string> {
  const id = uid("wh");
  await createLocation(id, { credentials: { access_token: "unused" } });
  return id;
}

function contact(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [firstName, lastName] = name.split(" ");
  return { id, firstName, lastName, name, email: `${id}@example.org`, phone: "+15550001111", tags: ["a"], dateAdded: "2026-01-01T00:00:00.000Z", ...extra };
}

const waitFor = (check: () => Promise<boolean>) => vi.waitUntil(check, { timeout: 15_000, interval: 25 });

describe("signature checks (x-ghl-signature Ed25519, x-wh-signature RSA)", () => {
  it("the verifier accepts each scheme's good signature and refuses a bad, missing or mismatched one", async () => {
    const raw = JSON.stringify({ type: "ContactUpdate", n: 1 });
    const keys = { rsaPem: TEST_WEBHOOK_KEYS.rsaPublicPem, ed25519Pem: TEST_WEBHOOK_KEYS.ed25519PublicPem };
    const h = (o: Record<string, string>) => new Headers(o);
    expect(await verifyGhlWebhook(raw, h({ "x-ghl-signature": await signEd25519(raw) }), keys)).toBe(true);
    expect(await verifyGhlWebhook(raw, h({ "x-wh-signature": await signRsa(raw) }), keys)).toBe(true);
    expect(await verifyGhlWebhook(new TextEncoder().encode(raw).buffer as ArrayBuffer, h({ "x-wh-signature": await signRsa(raw) }), keys)).toBe(true);
    // The body changed by one byte; signatures swapped between headers; garbage; nothing.
    expect(await verifyGhlWebhook(`${raw} `, h({ "x-ghl-signature": await signEd25519(raw) }), keys)).toBe(false);
    expect(await verifyGhlWebhook(raw, h({ "x-ghl-signature": await signRsa(raw) }), keys)).toBe(false);
    expect(await verifyGhlWebhook(raw, h({ "x-wh-signature": "!!not base64!!" }), keys)).toBe(false);
    expect(await verifyGhlWebhook(raw, h({}), keys)).toBe(false);
    // A failed Ed25519 header does not fall back to a valid RSA one.
    expect(await verifyGhlWebhook(raw, h({ "x-ghl-signature": "AAAA", "x-wh-signature": await signRsa(raw) }), keys)).toBe(false);
    // No key for the scheme used.
    expect(await verifyGhlWebhook(raw, h({ "x-wh-signature": await signRsa(raw) }), { ed25519Pem: keys.ed25519Pem })).toBe(false);
  });

  it("the route: good signatures of both schemes are taken; bad, unsigned and stale are refused; a replay has no second effect", async () => {
    const loc = await ghlLoc();
    const ed = JSON.stringify(ghlEvent("ContactCreate", loc, contact("sig1", "Ada Ed")));
    const rsa = JSON.stringify(ghlEvent("ContactCreate", loc, contact("sig2", "Rob Rsa")));
    expect(await json(await deliverGhl(ed, "ed25519"))).toMatchObject({ status: "queued" });
    expect(await json(await deliverGhl(rsa, "rsa"))).toMatchObject({ status: "queued" });
    await waitFor(async () => (await rowOf(loc, "sig1")) !== null && (await rowOf(loc, "sig2")) !== null);

    const tampered = JSON.stringify(ghlEvent("ContactCreate", loc, contact("sig3", "Eve Forged")));
    const forged = await deliverGhl(tampered, "none", { "x-ghl-signature": await signEd25519(`${tampered} `) });
    expect(forged.status).toBe(401);
    expect((await json<{ error: { code: string } }>(forged)).error.code).toBe("unauthorized");
    expect((await deliverGhl(tampered, "none")).status).toBe(401);

    const stale = await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", loc, contact("sig4", "Old Timer"), Date.now() - 6 * 60_000)), "ed25519");
    expect(stale.status).toBe(400);
    expect((await json<{ error: { code: string } }>(stale)).error.code).toBe("stale_webhook");

    // The replayed delivery answers `duplicate` and is not queued: after a later delivery has
    // been applied, the data version moved once (for that one), not twice.
    const before = (await locationRow(loc))!.data_version;
    expect(await json(await deliverGhl(ed, "ed25519"))).toMatchObject({ status: "duplicate" });
    expect(await json(await deliverGhl(ed, "rsa"))).toMatchObject({ status: "duplicate" });
    expect(await json(await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", loc, contact("sig5", "Late Comer"))), "ed25519"))).toMatchObject({ status: "queued" });
    await waitFor(async () => (await rowOf(loc, "sig5")) !== null);
    expect((await locationRow(loc))!.data_version).toBe(before + 1);
    expect(await rowOf(loc, "sig3")).toBeNull();
    expect(await rowOf(loc, "sig4")).toBeNull();
  });
});

describe("hints applied to the cache", () => {
  it("create, update and delete land without a sync run, counted and versioned", async () => {
    const loc = await ghlLoc();
    const t0 = Date.now() - 60_000;
    await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", loc, contact("c1", "Ann One"), t0)));
    await waitFor(async () => (await rowOf(loc, "c1"))?.name === "Ann One");
    expect((await locationRow(loc))!.contact_count).toBe(1);
    expect((await locationRow(loc))!.webhooks_at).not.toBeNull();

    await deliverGhl(JSON.stringify(ghlEvent("ContactUpdate", loc, contact("c1", "Ann Renamed"), t0 + 1000)), "rsa");
    await waitFor(async () => (await rowOf(loc, "c1"))?.name === "Ann Renamed");

    await deliverGhl(JSON.stringify(ghlEvent("ContactDelete", loc, contact("c1", "Ann Renamed"), t0 + 2000)));
    await waitFor(async () => (await rowOf(loc, "c1"))?.deleted === 1);
    const row = (await rowOf(loc, "c1"))!;
    expect(row.deleted_at).toBe(t0 + 2000);
    expect((await locationRow(loc))!.contact_count).toBe(0);
    expect(await runCount(loc)).toBe(0);
  });

  it("duplicated and reordered deliveries converge on the newest state", async () => {
    const loc = await ghlLoc();
    const t0 = Date.now() - 60_000;
    const newest = JSON.stringify(ghlEvent("ContactUpdate", loc, contact("r1", "Newest Name"), t0 + 3000));
    const older = JSON.stringify(ghlEvent("ContactUpdate", loc, contact("r1", "Older Name"), t0 + 1000));
    const create = JSON.stringify(ghlEvent("ContactCreate", loc, contact("r1", "First Name"), t0));
    // Newest first, then the older ones (each also duplicated under a new webhookId).
    await deliverGhl(newest);
    await waitFor(async () => (await rowOf(loc, "r1"))?.name === "Newest Name");
    for (const raw of [older, create]) {
      await deliverGhl(raw);
      const again = { ...JSON.parse(raw), webhookId: `dup-${crypto.randomUUID()}` };
      await deliverGhl(JSON.stringify(again), "rsa");
    }
    // A sentinel delivered last has been applied: everything before it has been too.
    await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", loc, contact("r2", "Sentinel Row"), t0)));
    await waitFor(async () => (await rowOf(loc, "r2")) !== null);
    await waitFor(async () => (await rowOf(loc, "r1"))?.name === "Newest Name");
    expect((await rowOf(loc, "r1"))!.date_updated).toBe(t0 + 3000);
    expect((await locationRow(loc))!.contact_count).toBe(2);
  });

  it("a delete followed by a late update (or create) stays deleted", async () => {
    const loc = await ghlLoc();
    const t0 = Date.now() - 60_000;
    await seedContacts(loc, [fakeContact(1, { externalId: "d1", name: "Doomed", dateUpdated: t0 - 10_000 })]);
    expect((await locationRow(loc))!.contact_count).toBe(1);
    await deliverGhl(JSON.stringify(ghlEvent("ContactDelete", loc, { id: "d1" }, t0 + 2000)));
    await waitFor(async () => (await rowOf(loc, "d1"))?.deleted === 1);
    // A delete for a contact we never cached leaves a tombstone, so its late create cannot land either.
    await deliverGhl(JSON.stringify(ghlEvent("ContactDelete", loc, { id: "d2" }, t0 + 2000)));
    await deliverGhl(JSON.stringify(ghlEvent("ContactUpdate", loc, contact("d1", "Back From Dead"), t0 + 1000)));
    await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", loc, contact("d2", "Never Was"), t0 + 500)));
    await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", loc, contact("d3", "Sentinel Row"), t0)));
    await waitFor(async () => (await rowOf(loc, "d3")) !== null);
    expect(await rowOf(loc, "d1")).toMatchObject({ deleted: 1, deleted_at: t0 + 2000, name: "Doomed" });
    expect(await rowOf(loc, "d2")).toMatchObject({ deleted: 1, deleted_at: t0 + 2000 });
    expect((await locationRow(loc))!.contact_count).toBe(1);
  });

  it("a payload missing the contact's fields is re-fetched by id from upstream, in one request", async () => {
    const loc = uid("whf");
    const created = await sandbox.createLocation(loc, 5);
    await createLocation(loc, { credentials: { access_token: created.token } });
    const [truth] = (await sandbox.truth(loc)).contacts;
    await sandbox.resetStats();
    await deliverGhl(JSON.stringify(ghlEvent("ContactTagUpdate", loc, { id: truth!.id, tags: ["vip"] })));
    await waitFor(async () => (await rowOf(loc, truth!.id)) !== null);
    expect((await rowOf(loc, truth!.id))!.email).toBe(truth!.email ?? null);
    expect((await sandbox.stats(loc)).requests).toBe(1);
    expect(await runCount(loc)).toBe(0);
  });
});

describe("signed deliveries that change nothing", () => {
  it("a malformed body is refused with invalid_body; an unknown event is acknowledged as ignored; an unregistered location is acknowledged and counted", async () => {
    const loc = await ghlLoc();
    const before = await locationRow(loc);

    const malformed = await deliverGhl("{not json");
    expect(malformed.status).toBe(400);
    expect((await json<{ error: { code: string } }>(malformed)).error.code).toBe("invalid_body");
    const noId = await deliverGhl(JSON.stringify(ghlEvent("ContactUpdate", loc, { name: "No Id" })));
    expect((await json<{ error: { code: string } }>(noId)).error.code).toBe("invalid_body");

    const unknown = await deliverGhl(JSON.stringify(ghlEvent("SomethingNew", loc, { id: "x1" })));
    expect(unknown.status).toBe(200);
    expect(await json(unknown)).toMatchObject({ status: "ignored" });

    const stranger = uid("nobody");
    const res = await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", stranger, contact("x2", "Stray Cat"))));
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: "unknown_location" });
    await deliverGhl(JSON.stringify(ghlEvent("ContactCreate", stranger, contact("x3", "Stray Dog"))));
    const counted = await env.DB.prepare("select count from webhook_unmatched where provider = 'ghl' and account_id = ?").bind(stranger).first<{ count: number }>();
    expect(counted?.count).toBe(2);

    expect(await locationRow(loc)).toEqual(before);
    const rows = await env.DB.prepare("select count(*) as n from contacts where external_id in ('x1','x2','x3')").first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

describe("a location whose webhooks flow syncs on the longer TTL", () => {
  it("the fast endpoint and the cron leave it alone past SYNC_TTL_SECONDS, and refresh a location without webhooks", async () => {
    const quiet = await ghlLoc();
    const flowing = await ghlLoc();
    const tenMinutesAgo = Date.now() - 10 * 60_000;
    await seedContacts(quiet, [fakeContact(1)], tenMinutesAgo);
    await seedContacts(flowing, [fakeContact(1)], tenMinutesAgo);
    await env.DB.prepare("update locations set webhooks_at = ? where id = ?").bind(Date.now() - 60_000, flowing).run();
    for (const id of [quiet, flowing]) await api(`/api/get-location-contacts-fast?location_id=${id}`, { token: await token([id]) });
    expect(await runCount(flowing)).toBe(0);
    expect(await runCount(quiet)).toBeGreaterThan(0);
    await runCron();
    expect(await runCount(flowing)).toBe(0);
  });
});

describe("the dedupe store", () => {
  it("retention purges receipts past WEBHOOK_DEDUPE_TTL_SECONDS and keeps recent ones", async () => {
    const now = Date.now();
    const old = `old-${crypto.randomUUID()}`;
    const recent = `recent-${crypto.randomUUID()}`;
    await env.DB.prepare("insert into webhook_receipts (provider, webhook_id, received_at) values ('ghl', ?, ?), ('ghl', ?, ?)")
      .bind(old, now - 2 * 86_400_000, recent, now - 60_000)
      .run();
    await runRetention(env, now);
    const left = await env.DB.prepare("select webhook_id from webhook_receipts where webhook_id in (?, ?)").bind(old, recent).all<{ webhook_id: string }>();
    expect(left.results.map((r) => r.webhook_id)).toEqual([recent]);
  });
});
