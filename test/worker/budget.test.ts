// The per-invocation budget: the metered bindings count what an invocation asks of the platform,
// and runs sharing one budget stop requesting pages before it is used up, write what they hold,
// and hand over; the next invocations finish the runs with everything landed once.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { syncRuns } from "../../shared/db/schema";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { InvocationBudget } from "../../worker/platform/budget";
import { meteredEnv, meteredFetch } from "../../worker/platform/metered";
import { rateLimiterFor } from "../../worker/ratelimit/client";
import { driveRun } from "../../worker/sync/drive";
import { claimSync } from "../../worker/sync/trigger";
import { SANDBOX, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { contactCounts, ghlLocation, liveIds, runsOf } from "./sync-fixtures";

function budgetedDeps(limits: { subrequests: number; d1: number }) {
  const budget = new InvocationBudget(limits);
  const metered = meteredEnv(env, budget);
  return { db: getDb(metered.DB), env: metered, config: readConfig(env), now: Date.now, budget };
}

describe("InvocationBudget", () => {
  it("holds work only while used + held + its cost fit, and stays spent once it refused", () => {
    const b = new InvocationBudget({ subrequests: 10, d1: 20 });
    const a = b.hold({ subrequests: 4, d1: 8 });
    const c = b.hold({ subrequests: 4, d1: 8 });
    expect(a && c).toBeTruthy();
    expect(b.hold({ subrequests: 4, d1: 8 })).toBeNull(); // 12 > 10
    expect(b.spent()).toBe(true);
    b.release(a);
    expect(b.hold({ subrequests: 1, d1: 1 })).toBeNull(); // refused once: hand over, do not trickle on
  });

  it("the metered bindings count D1 statements and round trips, Durable Object calls, queue sends and fetches", async () => {
    const budget = new InvocationBudget({ subrequests: 1000, d1: 1000 });
    const m = meteredEnv(env, budget);
    await m.DB.prepare("select 1").first();
    await m.DB.batch([m.DB.prepare("select 1"), m.DB.prepare("select 2"), m.DB.prepare("select ?").bind(3)]);
    await getDb(m.DB).select().from(syncRuns).limit(1);
    const limiter = rateLimiterFor(m.RATE_LIMITER, `ghl:${uid("budget")}`, { rps: 7, burst: 1 });
    await limiter.reserve();
    await limiter.reportSuccess();
    await m.SYNC_DLQ.send({ probe: true });
    await meteredFetch(budget)(`${SANDBOX}/__sandbox/health`);
    expect(budget.usage()).toEqual({ fetches: 1, do_calls: 2, queue_sends: 1, d1_statements: 5, d1_calls: 3, subrequests: 4 });
  });
});

describe("runs under a small budget", () => {
  it("three runs sharing one invocation's budget hand over before it is used up; later invocations finish them exactly", async () => {
    const locs = await Promise.all([0, 1, 2].map(() => ghlLocation(2600, { prefix: "bud" }))); // 6 pages each
    const config = readConfig(env);
    const claims = await Promise.all(
      locs.map(({ id }) => claimSync({ db: getDb(env.DB), env, config, now: Date.now }, id, "contacts", "test", "full")),
    );
    const limits = { subrequests: 200, d1: 60 };
    const invocations: { d1: number; subrequests: number }[] = [];
    let pending = claims.map((c) => c.run.id);
    for (let i = 0; pending.length > 0 && i < 20; i++) {
      const deps = budgetedDeps(limits);
      const outcomes = await Promise.all(pending.map((runId) => driveRun(deps, runId, `inv-${i}-${runId}`, Date.now() + 60_000)));
      const usage = deps.budget.usage();
      invocations.push({ d1: usage.d1_statements, subrequests: usage.subrequests });
      pending = pending.filter((_, k) => outcomes[k] === "yielded");
    }
    expect(pending).toEqual([]);
    expect(invocations.length).toBeGreaterThan(2);
    for (const used of invocations) {
      expect(used.d1).toBeLessThanOrEqual(limits.d1);
      expect(used.subrequests).toBeLessThanOrEqual(limits.subrequests);
    }
    for (const { id } of locs) {
      const [run] = await runsOf(id);
      expect(run).toMatchObject({ status: "succeeded", reconcile: "done", entities_seen: 2600 });
      expect(run?.requests).toBeLessThanOrEqual(6 + 3); // a handover may repeat a page fetched ahead, rarely
      expect(await liveIds("contacts", id)).toEqual((await sandbox.truth(id)).contacts.map((c) => c.id).sort());
      expect(await contactCounts(id)).toEqual({ kept: 2600, recount: 2600 });
    }
  });
});
