// Queue delivery as production does it, through the real local queues: a message whose page keeps
// failing is redelivered and resumes; duplicates drive a run once; an unreadable message goes to
// the dead-letter queue, whose consumer fails its run; an upstream Retry-After of a day parks the
// location (the batch's other runs carry on); a daily quota at its reserve parks it until the
// reset, and the cron's watchdog resumes it after.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { SyncRunMessage } from "../../shared/schemas/messages";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { claimSync } from "../../worker/sync/trigger";
import { api, json, runCron } from "./helpers";
import { sandbox } from "./sandbox";
import { contactCounts, ghlLocation, liveIds, runsOf, settled } from "./sync-fixtures";

const deps = () => ({ db: getDb(env.DB), env, config: readConfig(env), now: Date.now });

/** A claimed contacts run, not yet on the queue: the test delivers its messages itself. */
async function claimed(contacts: number) {
  const loc = await ghlLocation(contacts, { prefix: "dlv" });
  const { run } = await claimSync(deps(), loc.id, "contacts", "test", "full");
  const message: SyncRunMessage = { type: "sync.run", run_id: run.id, location_id: loc.id, kind: "contacts" };
  return { ...loc, runId: run.id, message };
}

async function upstreamIds(id: string) {
  return (await sandbox.truth(id)).contacts.map((c) => c.id).sort();
}

async function location(id: string) {
  return env.DB.prepare("select parked_reason, parked_until, parked_detail, failure_count, next_attempt_at from locations where id = ?")
    .bind(id)
    .first<{ parked_reason: string | null; parked_until: number | null; parked_detail: string | null; failure_count: number; next_attempt_at: number | null }>();
}

describe("delivery through the local queues", () => {
  it("a page that keeps failing makes the message retry; the redelivery resumes and lands everything once", async () => {
    const c = await claimed(1200);
    await sandbox.faults(c.id, { error5xxNext: 4 }); // the first call and its 3 in-call retries
    await env.SYNC_QUEUE.send(c.message, { contentType: "json" });
    const [run] = await settled(c.id, 30_000);
    expect(run).toMatchObject({ status: "succeeded", pages_done: 3, entities_seen: 1200 });
    const stats = await sandbox.stats(c.id);
    expect(stats.requests).toBe(3 + 4);
    expect(run?.requests).toBe(3 + 4); // the failed attempt's requests are booked too
    expect(await liveIds("contacts", c.id)).toEqual(await upstreamIds(c.id));
    expect(await contactCounts(c.id)).toEqual({ kept: 1200, recount: 1200 });
  });

  it("duplicate messages drive a run once; a late duplicate changes nothing", async () => {
    const c = await claimed(1200);
    await env.SYNC_QUEUE.sendBatch([c.message, c.message, c.message].map((body) => ({ body, contentType: "json" as const })));
    const [run] = await settled(c.id);
    expect(run).toMatchObject({ status: "succeeded", pages_done: 3, entities_seen: 1200, requests: 3 });
    expect((await sandbox.stats(c.id)).requests).toBe(3);
    await env.SYNC_QUEUE.send(c.message, { contentType: "json" });
    // Drain past the late duplicate: a message sent after it must have been handled.
    const marker = await claimed(10);
    await env.SYNC_QUEUE.send(marker.message, { contentType: "json" });
    await settled(marker.id);
    expect((await runsOf(c.id))[0]).toMatchObject({ status: "succeeded", pages_done: 3, requests: 3 });
    expect((await sandbox.stats(c.id)).requests).toBe(3);
  });

  it("an unreadable message goes to the dead-letter queue, whose consumer fails the run it names", async () => {
    const c = await claimed(50);
    await env.SYNC_QUEUE.send({ type: "sync.unknown", run_id: c.runId }, { contentType: "json" });
    const [run] = await settled(c.id, 15_000);
    expect(run).toMatchObject({ status: "failed", error_code: "dead_lettered" });
    // The failure earns the location a backoff before the cron tries it again.
    expect((await location(c.id))?.failure_count).toBe(1);
    expect((await location(c.id))?.next_attempt_at).toBeGreaterThan(Date.now());
  });

  it("a Retry-After of a day parks the location instead of breaking the batch; its neighbour in the batch finishes", async () => {
    const parked = await claimed(1200);
    const healthy = await claimed(600);
    await sandbox.faults(parked.id, { burst429: 1, retryAfterS: 86_400 });
    await env.SYNC_QUEUE.sendBatch([parked.message, healthy.message].map((body) => ({ body, contentType: "json" as const })));
    const [ok] = await settled(healthy.id);
    expect(ok).toMatchObject({ status: "succeeded", entities_seen: 600 });
    await vi.waitUntil(async () => (await location(parked.id))?.parked_reason === "daily_quota", { timeout: 15_000, interval: 50 });
    const loc = await location(parked.id);
    expect(loc?.parked_until).toBeGreaterThan(Date.now() + 86_000_000);
    // The run waits with its checkpoint, driven by nobody, for a continuation queued for the reset.
    const [run] = await runsOf(parked.id);
    expect(run).toMatchObject({ status: "running", lease_owner: null, error_code: null });
    const status = await json<{ parked: { reason: string; until: string; message: string } | null; syncing: boolean }>(
      await api(`/api/locations/${parked.id}/sync-status`, { token: parked.t }),
    );
    expect(status.parked).toMatchObject({ reason: "daily_quota", message: expect.stringMatching(/Retry-After 86400 s/) });
    expect(Date.parse(status.parked?.until ?? "")).toBe(loc?.parked_until);
  });

  it("the daily quota at its reserve parks the location mid-run; after the reset the cron's watchdog resumes it", async () => {
    const reserve = readConfig(env).UPSTREAM_DAILY_RESERVE;
    const c = await claimed(2500); // 5 pages
    await sandbox.rate(c.id, { max: 100, intervalMs: 10_000, daily: reserve + 3 });
    await env.SYNC_QUEUE.send(c.message, { contentType: "json" });
    await vi.waitUntil(async () => (await location(c.id))?.parked_reason === "daily_quota", { timeout: 15_000, interval: 50 });
    const loc = await location(c.id);
    expect(loc?.parked_detail).toMatch(new RegExp(`${reserve} requests left, ${reserve} kept in reserve`));
    await vi.waitUntil(async () => (await runsOf(c.id))[0]?.lease_owner === null, { timeout: 5000 });
    const [mid] = await runsOf(c.id);
    expect(mid).toMatchObject({ status: "running", pages_done: 3 });
    expect((await sandbox.stats(c.id)).requests).toBe(3); // not one request into the reserve

    // The quota resets (here: the park and the run's wait end now); the cron resumes the run.
    await sandbox.rate(c.id, { max: 100, intervalMs: 10_000, daily: 200_000 });
    const past = Date.now() - 120_000;
    await env.DB.batch([
      env.DB.prepare("update locations set parked_until = ? where id = ?").bind(past, c.id),
      env.DB.prepare("update sync_runs set heartbeat_at = ?, progress_at = ? where id = ?").bind(past, Date.now(), c.runId),
    ]);
    await runCron();
    const [done] = await settled(c.id);
    expect(done).toMatchObject({ status: "succeeded", pages_done: 6, entities_seen: 2500 }); // 5 full pages and the empty one after
    expect(await liveIds("contacts", c.id)).toEqual(await upstreamIds(c.id));
  });
});
