// The background sync that fills the cache: fast-endpoint trigger, single-flight, the fresh
// endpoint and its deadline, all against the GHL sandbox over HTTP.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { ContactListResponse } from "../../shared/schemas/contacts";
import app from "../../worker/app";
import { api, createLocation, json, token, uid } from "./helpers";
import { sandbox } from "./sandbox";

async function ghlLocation(contacts: number) {
  const id = uid("ghl");
  const created = await sandbox.createLocation(id, contacts);
  await createLocation(id, { credentials: { access_token: created.token } });
  return { id, t: await token([id]) };
}

async function runsOf(locationId: string) {
  const { results } = await env.DB.prepare("select id, status, pages_done, entities_seen, error_message from sync_runs where location_id = ?")
    .bind(locationId)
    .all<{ id: string; status: string; pages_done: number; entities_seen: number; error_message: string | null }>();
  return results;
}

/** Bounded wait for the queue to finish the location's run (a drain, not a sleep). */
async function drained(locationId: string) {
  await vi.waitUntil(async () => (await runsOf(locationId)).every((r) => r.status !== "queued" && r.status !== "running"), {
    timeout: 20_000,
    interval: 50,
  });
  return runsOf(locationId);
}

async function cachedIds(locationId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("select external_id from contacts where location_id = ? and deleted = 0")
    .bind(locationId)
    .all<{ external_id: string }>();
  return results.map((r) => r.external_id).sort();
}

describe("background sync", () => {
  it("a never-synced location answers at once with sync_status background, then the queue fills the cache exactly", async () => {
    const { id, t } = await ghlLocation(1234);
    const first = await json<ContactListResponse>(await api(`/api/get-location-contacts-fast?location_id=${id}`, { token: t }));
    expect(first).toMatchObject({ success: true, total: 0, sync_status: "background" });
    expect(first.message).toBe("Data returned from cache. Background sync in progress.");

    const runs = await drained(id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", pages_done: 3, entities_seen: 1234 });
    const truth = await sandbox.truth(id);
    expect(await cachedIds(id)).toEqual(truth.contacts.map((c) => c.id).sort());

    const after = await json<ContactListResponse>(await api(`/api/get-location-contacts-fast?location_id=${id}`, { token: t }));
    expect(after).toMatchObject({ total: 1234, sync_status: "fresh" });
    expect(after.last_synced_at).not.toBeNull();
  });

  it("N concurrent fast calls start exactly one sync", async () => {
    const { id, t } = await ghlLocation(50);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => api(`/api/get-location-contacts-fast?location_id=${id}`, { token: t })),
    );
    for (const res of responses) expect((await json<ContactListResponse>(res)).sync_status).toBe("background");
    const runs = await drained(id);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe("succeeded");
  });

  it("a run whose driver died (no heartbeat for SYNC_STALE_SECONDS) does not hold the fast endpoint: a new sync replaces it", async () => {
    const { id, t } = await ghlLocation(120);
    const longAgo = Date.now() - 10 * 60_000;
    await env.DB.prepare("insert into sync_runs (id, location_id, kind, mode, status, queued_at, started_at, heartbeat_at) values (?, ?, 'contacts', 'full', 'running', ?, ?, ?)")
      .bind(`dead-${id}`, id, longAgo, longAgo, longAgo)
      .run();
    const first = await json<ContactListResponse>(await api(`/api/get-location-contacts-fast?location_id=${id}`, { token: t }));
    expect(first.sync_status).toBe("background");
    const runs = await drained(id);
    expect(runs.map((r) => r.status).sort()).toEqual(["failed", "succeeded"]);
    expect(runs.find((r) => r.id === `dead-${id}`)?.status).toBe("failed");
    expect(await cachedIds(id)).toHaveLength(120);
  });

  it("the cache-only endpoint never starts a sync", async () => {
    const { id, t } = await ghlLocation(10);
    const body = await json<ContactListResponse>(await api(`/api/location-contacts?location_id=${id}`, { token: t }));
    expect(body.sync_status).toBe("stale");
    expect(await runsOf(id)).toHaveLength(0);
    expect((await sandbox.stats(id)).requests).toBe(0);
  });

  it("the fresh endpoint pulls from upstream before answering", async () => {
    const { id, t } = await ghlLocation(1100);
    const res = await api(`/api/get-location-contacts?location_id=${id}&limit=5`, { token: t });
    const body = await json<ContactListResponse>(res);
    expect(body).toMatchObject({ sync_status: "fresh", total: 1100 });
    expect(body.contacts).toHaveLength(5);
    expect(await runsOf(id)).toMatchObject([{ status: "succeeded", pages_done: 3 }]);
  });

  it("past FRESH_DEADLINE_MS the fresh endpoint answers from cache and the queue finishes the sync", async () => {
    const { id, t } = await ghlLocation(1100);
    await sandbox.faults(id, { latencyMs: 700 });
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`https://crm-edge.test/api/get-location-contacts?location_id=${id}`, { headers: { authorization: `Bearer ${t}` } }),
      { ...env, FRESH_DEADLINE_MS: "300" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const body = await json<ContactListResponse>(res);
    expect(body.sync_status).toBe("background");
    expect(body.message).toBe("Data returned from cache. Background sync in progress.");
    const runs = await drained(id);
    expect(runs).toMatchObject([{ status: "succeeded", entities_seen: 1100 }]);
    expect(await cachedIds(id)).toHaveLength(1100);
  });

  it("bad upstream credentials fail the run with the upstream's reason, and the fast endpoint reports it", async () => {
    const id = uid("ghl");
    await sandbox.createLocation(id, 5);
    await createLocation(id, { credentials: { access_token: "wrong-token" } });
    const t = await token([id]);
    await api(`/api/get-location-contacts-fast?location_id=${id}`, { token: t });
    const runs = await drained(id);
    expect(runs).toMatchObject([{ status: "failed" }]);
    expect(runs[0]?.error_message).toMatch(/401/);
    const body = await json<ContactListResponse>(await api(`/api/get-location-contacts-fast?location_id=${id}`, { token: t }));
    expect(body.sync_status).toBe("error");
    expect(body.message).toMatch(/The last sync failed: .*401/);
  });
});
