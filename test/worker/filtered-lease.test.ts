// A filtered AmoCRM import keeps its lease alive between requests and with every chunk it writes:
// an import that lasts several leases runs once, however often another driver or the cron's
// watchdog tries to take the run over; and a run failed meanwhile is never flipped to succeeded.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { refreshStale } from "../../worker/sync/cron";
import { driveRun } from "../../worker/sync/drive";
import { failRun } from "../../worker/sync/runs";
import { startSync } from "../../worker/sync/trigger";
import { claimSync } from "../../worker/sync/trigger";
import { amoLocation } from "./amocrm-fixtures";
import { amoSandbox } from "./amocrm-sandbox-client";
import { runsOf, settled } from "./sync-fixtures";

/** Deps whose lease lasts one second (the import below takes several). */
function shortLease() {
  const config = { ...readConfig(env), SYNC_LEASE_SECONDS: 1 };
  return { db: getDb(env.DB), env, config, now: Date.now };
}

async function filteredRun(f: { id: string; account: { filter: unknown } }, deps: ReturnType<typeof shortLease>) {
  const options = { filter: f.account.filter, dry_run: false, incremental: false };
  return (await claimSync(deps, f.id, "companies", "test", "filtered", { options, since: null })).run;
}

describe("a filtered import longer than its lease", () => {
  it("runs once: other drivers and the watchdog find the lease held the whole time", async () => {
    const f = await amoLocation({ contacts: 1500, companies: 200, matching_companies: 40 });
    const deps = shortLease();
    const run = await filteredRun(f, deps);
    await amoSandbox.faults(f.sub, { latencyMs: 300 });
    await amoSandbox.resetStats(f.sub);

    const started = Date.now();
    const first = driveRun(deps, run.id, "driver-1", Date.now() + 60_000);
    const attempts: number[] = [];
    let finished = false;
    void first.finally(() => (finished = true));
    // While it runs: another driver keeps trying to take the run, and the cron's watchdog (with
    // the same one-second lease) keeps looking for runs whose driver died.
    while (!finished) {
      attempts.push(Date.now() - started);
      expect(await driveRun(deps, run.id, `intruder-${attempts.length}`, Date.now() + 60_000)).toBe("not_ours");
      await refreshStale(deps);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(await first).toBe("done");
    // The scenario holds (by the upstream's 300 ms per request, not by speed): the import outlasted
    // its lease, and takeovers were tried after the lease would have run out unrenewed.
    const [row] = await runsOf(f.id);
    const took = await env.DB.prepare("select finished_at - started_at as ms from sync_runs where id = ?").bind(run.id).first<{ ms: number }>();
    expect(took?.ms).toBeGreaterThan(1000);
    expect(attempts.some((ms) => ms > 1000)).toBe(true);
    expect(row?.status).toBe("succeeded");

    await settled(f.id); // anything the watchdog queued has run by now
    const [done, ...others] = await runsOf(f.id);
    expect(done).toMatchObject({ status: "succeeded", lease_owner: null });
    expect(others.filter((r) => r.kind === "companies")).toEqual([]);
    const stats = await amoSandbox.stats(f.sub);
    expect(stats.byEndpoint["GET /api/v4/companies"]).toBe(1); // a second copy would have asked again
    expect(done?.requests).toBe(stats.requests);
  });

  it("a run failed while its import runs stays failed: the import stops and finishes nothing", async () => {
    const f = await amoLocation({ contacts: 1500, companies: 200, matching_companies: 40 });
    const deps = shortLease();
    const run = await filteredRun(f, deps);
    await amoSandbox.faults(f.sub, { latencyMs: 300 });
    const driving = driveRun(deps, run.id, "driver-1", Date.now() + 60_000);
    await vi.waitUntil(async () => (await amoSandbox.stats(f.sub)).byEndpoint["GET /api/v4/contacts"] !== undefined, { timeout: 10_000, interval: 20 });
    await failRun(deps.db, run.id, "dead_lettered", "Failed while the import ran.", Date.now());
    expect(await driving).toBe("not_ours");
    const [after] = await runsOf(f.id);
    expect(after).toMatchObject({ status: "failed", error_code: "dead_lettered" });
  });
});

describe("through the queue", () => {
  it("a filtered import started by the API with a slow upstream succeeds once", async () => {
    const f = await amoLocation({ contacts: 900, companies: 100, matching_companies: 30 });
    await amoSandbox.faults(f.sub, { latencyMs: 100 });
    await amoSandbox.resetStats(f.sub);
    const deps = { db: getDb(env.DB), env, config: readConfig(env), now: Date.now };
    const options = { filter: f.account.filter, dry_run: false, incremental: false };
    await startSync(deps, f.id, "companies", "api", "filtered", { options, since: null });
    const runs = await settled(f.id);
    expect(runs.map((r) => r.status)).toEqual(["succeeded"]);
    expect((await amoSandbox.stats(f.sub)).byEndpoint["GET /api/v4/companies"]).toBe(1);
  });
});
