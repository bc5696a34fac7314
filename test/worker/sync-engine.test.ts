// The sync engine against the GHL sandbox: exact landing, incremental + reconcile, crash resume,
// faults, failed runs, and one shared bucket for locations of one account.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { FETCH_AHEAD, driveRun } from "../../worker/sync/drive";
import { claimSync } from "../../worker/sync/trigger";
import { api, json, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { crashingDb, ghlLocation } from "./sync-fixtures";

type RunRow = { id: string; kind: string; mode: string; status: string; pages_done: number; entities_seen: number; requests: number; throttled: number; metrics: string | null; error_message: string | null };

async function runs(locationId: string): Promise<RunRow[]> {
  const { results } = await env.DB.prepare("select * from sync_runs where location_id = ? order by queued_at").bind(locationId).all<RunRow>();
  return results;
}

async function settled(locationId: string, timeout = 30_000): Promise<RunRow[]> {
  await vi.waitUntil(async () => (await runs(locationId)).every((r) => r.status !== "queued" && r.status !== "running"), { timeout, interval: 50 });
  return runs(locationId);
}

async function live(table: string, locationId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(`select external_id from ${table} where location_id = ? and deleted = 0`).bind(locationId).all<{ external_id: string }>();
  return results.map((r) => r.external_id).sort();
}

const location = (contacts: number, extra: { settings?: Record<string, unknown>; sandbox?: Record<string, unknown> } = {}) =>
  ghlLocation(contacts, { ...extra, prefix: "eng" });

async function sync(id: string, t: string, body: Record<string, unknown>) {
  const res = await api(`/api/locations/${id}/sync`, { token: t, body });
  expect(res.status, await res.clone().text()).toBe(202);
  return json<{ runs: { kind: string; run_id: string; joined: boolean; mode: string }[] }>(res);
}

describe("sync engine", () => {
  it("a full sync of all kinds lands every record exactly once, with metrics", async () => {
    const { id, t } = await location(1300);
    await sync(id, t, {});
    const done = await settled(id);
    expect(done.map((r) => [r.kind, r.status]).sort()).toEqual([["contacts", "succeeded"], ["conversations", "succeeded"], ["opportunities", "succeeded"]]);
    const truth = await sandbox.truth(id);
    expect(await live("contacts", id)).toEqual(truth.contacts.map((c) => c.id).sort());
    expect((await live("conversations", id)).length).toBe(truth.conversations);
    expect((await live("opportunities", id)).length).toBe(truth.opportunities);
    const contactsRun = done.find((r) => r.kind === "contacts");
    expect(contactsRun).toMatchObject({ mode: "full", entities_seen: 1300, pages_done: 3, requests: 3 });
    const metrics = JSON.parse(contactsRun?.metrics ?? "{}");
    expect(metrics).toMatchObject({ created: 1300, updated: 0, deleted: 0, requests: 3, throttled: 0 });
    expect(metrics.peak_rps).toBeGreaterThan(0);
    expect(metrics.avg_rps).toBeGreaterThan(0);
  });

  it("incremental reads only what changed; a full reconcile then marks upstream deletes", async () => {
    const { id, t } = await location(1200);
    await sync(id, t, { kinds: ["contacts"] });
    await settled(id);
    const changed = await fetch("https://services.leadconnectorhq.com/__sandbox/locations/" + id + "/mutate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update: 20, delete: 5 }),
    }).then((r) => r.json() as Promise<{ updated: string[]; deleted: string[] }>);
    await sandbox.resetStats();

    const inc = await sync(id, t, { kinds: ["contacts"] });
    expect(inc.runs[0]?.mode).toBe("incremental");
    const afterInc = (await settled(id)).at(-1);
    expect(afterInc).toMatchObject({ status: "succeeded", mode: "incremental", requests: 1 });
    expect(JSON.parse(afterInc?.metrics ?? "{}")).toMatchObject({ updated: 20, created: 0, deleted: 0 });
    expect((await sandbox.stats(id)).requests).toBeLessThanOrEqual(1 + 2 * 20); // one page + tasks/notes of the 20
    // Incremental passes cannot see deletes: the 5 are still live.
    expect(await live("contacts", id)).toEqual(expect.arrayContaining(changed.deleted));

    await sync(id, t, { kinds: ["contacts"], mode: "full" });
    const afterFull = (await settled(id)).at(-1);
    expect(JSON.parse(afterFull?.metrics ?? "{}")).toMatchObject({ deleted: 5 });
    const truth = await sandbox.truth(id);
    expect(await live("contacts", id)).toEqual(truth.contacts.map((c) => c.id).sort());
  });

  it("a crash after N pages resumes from its checkpoint: nothing lost, nothing counted twice", async () => {
    const { id } = await location(2600); // 6 pages of 500
    const config = readConfig(env);
    // A page write is checkpoint + 2 upserts (250 rows each) + counters; the third one dies.
    const crashing = crashingDb(3, "before");
    const deps = { db: getDb(crashing), env, config, now: Date.now };
    const { run } = await claimSync(deps, id, "contacts", "test");
    await expect(driveRun(deps, run.id, "worker-1", Date.now() + 60_000)).rejects.toThrow("simulated crash");
    const mid = (await runs(id))[0];
    expect(mid).toMatchObject({ status: "running", pages_done: 2, entities_seen: 1000 });

    // The redelivered message (another owner once the lease is free) carries on.
    const outcome = await driveRun({ ...deps, db: getDb(env.DB) }, run.id, "worker-2", Date.now() + 60_000);
    expect(outcome).toBe("done");
    const end = (await runs(id))[0];
    expect(end).toMatchObject({ status: "succeeded", pages_done: 6, entities_seen: 2600 });
    const truth = await sandbox.truth(id);
    expect(await live("contacts", id)).toEqual(truth.contacts.map((c) => c.id).sort());
    const { results } = await env.DB.prepare("select count(*) as n from contacts where location_id = ?").bind(id).all<{ n: number }>();
    expect(results[0]?.n).toBe(2600);
    // At most the page being written and the pages fetched ahead of it were fetched again.
    expect((await sandbox.stats(id)).requests).toBeLessThanOrEqual(6 + 1 + FETCH_AHEAD);
  });

  it("429 bursts, 20% 5xx and malformed bodies slow a sync down; the end state equals upstream", async () => {
    const { id, t } = await location(1600);
    // Two 429s without Retry-After hold every caller back 2 s, then 4 s (the bucket's backoff).
    await sandbox.faults(id, { burst429: 2, error5xxRate: 0.2, malformedRate: 0.1 });
    await sync(id, t, { kinds: ["contacts"] });
    const [run] = await settled(id, 50_000);
    expect(run?.status).toBe("succeeded");
    expect(run?.throttled).toBeGreaterThanOrEqual(2);
    const truth = await sandbox.truth(id);
    expect(await live("contacts", id)).toEqual(truth.contacts.map((c) => c.id).sort());
  });

  it("a failed run deletes nothing", async () => {
    const { id, t } = await location(700);
    await sync(id, t, { kinds: ["contacts"] });
    await settled(id);
    const before = await live("contacts", id);
    await fetch(`https://services.leadconnectorhq.com/__sandbox/locations/${id}/mutate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ delete: 5 }),
    });
    await api(`/api/admin/locations/${id}`, { admin: true, method: "PATCH", body: { credentials: { access_token: "revoked" } } });
    await sync(id, t, { kinds: ["contacts"], mode: "full" });
    const last = (await settled(id)).at(-1);
    expect(last?.status).toBe("failed");
    expect(last?.error_message).toMatch(/401/);
    expect(await live("contacts", id)).toEqual(before);
  });

  it("four locations on one account share one bucket: upstream never sees more than 7 requests in a second", async () => {
    const account = uid("acct");
    const settings = { rate_limit_key: `ghl:${account}`, rate_limit_rps: 7 };
    const sbx = { accountId: account, rate: { max: 7, intervalMs: 1000 } };
    const locs = await Promise.all([0, 1, 2, 3].map(() => location(1500, { settings, sandbox: sbx })));
    await Promise.all(locs.map(({ id, t }) => sync(id, t, { kinds: ["contacts", "opportunities"] })));
    for (const { id } of locs) expect((await settled(id)).every((r) => r.status === "succeeded")).toBe(true);
    const stats = await sandbox.stats(account);
    expect(stats.requests429).toBe(0);
    expect(stats.maxPerSecond).toBeLessThanOrEqual(7);
    expect(stats.requests).toBeGreaterThanOrEqual(4 * (4 + 4));
  });
});
