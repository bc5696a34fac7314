// A fair cron, through the Worker's scheduled handler: 500 locations that keep failing do not
// starve a healthy one, and each tick takes failing locations not tried yet (those tried wait out
// their backoff). In a file of its own: the 500 would otherwise be due in every other test's tick.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sealCredentials } from "../../worker/auth/credentials";
import { credentialsKeyRing } from "../../worker/auth/keyring";
import { runCron, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { ghlLocation, runsOf, settled } from "./sync-fixtures";

const tick = () => runCron();

async function runLocations(ids: string[]): Promise<Set<string>> {
  const { results } = await env.DB.prepare(
    "select distinct location_id from sync_runs where location_id in (select value from json_each(?)) and trigger = 'cron'",
  )
    .bind(JSON.stringify(ids))
    .all<{ location_id: string }>();
  return new Set(results.map((r) => r.location_id));
}

async function allSettled(ids: string[]) {
  for (const id of ids) await settled(id);
}

describe("fair cron", () => {
  it("500 failing locations do not starve a healthy one; each tick takes failing ones not tried yet", async () => {
    // Every failing location answers 404 at once (a wrong base URL on a real token): a run fails
    // on its first request. They have failed before and their backoff has run out: all are due.
    const target = uid("fail");
    const created = await sandbox.createLocation(target, 0, { rate: { max: 100_000, intervalMs: 1000 } });
    const now = Date.now();
    const failing = Array.from({ length: 500 }, (_, i) => `${target}-${String(i).padStart(3, "0")}`);
    const ring = await credentialsKeyRing(env);
    const rows = await Promise.all(
      failing.map(async (id) => [id, await sealCredentials(ring, id, { access_token: created.token })] as const),
    );
    const insert = env.DB.prepare(
      "insert into locations (id, provider, account_id, base_url, credentials_enc, failure_count, next_attempt_at) values (?1, 'ghl', ?1, ?2, ?3, 1, ?4)",
    );
    for (let i = 0; i < rows.length; i += 100) {
      await env.DB.batch(rows.slice(i, i + 100).map(([id, sealed]) => insert.bind(id, "https://services.leadconnectorhq.com/broken", sealed, now - 1000)));
    }
    // The healthy location was synced an hour ago (stale now) and comes last in insertion order.
    const healthy = await ghlLocation(120, { prefix: "healthy" });
    await env.DB.prepare("update locations set last_synced_at = ? where id = ?").bind(now - 3_600_000, healthy.id).run();

    await tick();
    const first = await runLocations(failing);
    expect(await runLocations([healthy.id])).toEqual(new Set([healthy.id]));
    expect(first.size).toBeGreaterThan(0);
    expect(first.size).toBeLessThan(500); // the tick's budget bounds it
    await allSettled([...first, healthy.id]);
    const runs = await runsOf(healthy.id);
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
    const failed = await runsOf([...first][0] as string);
    expect(failed[0]).toMatchObject({ status: "failed", error_code: "upstream_client" });

    // Those tried wait out a longer backoff; the next tick takes others.
    await tick();
    const both = await runLocations(failing);
    const second = [...both].filter((id) => !first.has(id));
    expect(second.length).toBeGreaterThan(0);
    const { results } = await env.DB.prepare("select location_id, count(*) as n from sync_runs where location_id in (select value from json_each(?)) group by location_id having n > 3")
      .bind(JSON.stringify(failing))
      .all();
    expect(results).toEqual([]); // nobody was started twice
    await allSettled(second);
  }, 180_000);

});
