// The cron, through the Worker's scheduled handler: refused credentials park a location until
// they are replaced; the watchdog fails runs that stopped progressing and resumes runs whose
// driver died. (Fairness under 500 failing locations: sync-cron-fairness.test.ts.)
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json, runCron, token as tokenFor, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { ghlLocation, runsOf, settled, syncAndSettle } from "./sync-fixtures";
import type { SyncRunView } from "../../shared/schemas/sync";

const tick = () => runCron();

describe("parked locations", () => {
  it("refused credentials park the location until they are replaced; the cron then syncs it", async () => {
    const id = uid("auth");
    const created = await sandbox.createLocation(id, 40);
    const res = await api("/api/admin/locations", { admin: true, body: { id, provider: "ghl", account_id: id, credentials: { access_token: "revoked" } } });
    expect(res.status).toBe(201);
    const token = await tokenFor([id]);
    const refused = await syncAndSettle(id, token, { kinds: ["contacts"] });
    expect(refused).toMatchObject({ status: "failed", error_code: "upstream_auth" });
    const status = await json<{ parked: { reason: string; until: string | null; message: string } | null; runs: SyncRunView[] }>(
      await api(`/api/locations/${id}/sync-status`, { token }),
    );
    expect(status.parked).toMatchObject({ reason: "auth", until: null, message: expect.stringMatching(/401/) });

    await tick();
    expect((await runsOf(id)).length).toBe(1); // parked: the cron leaves it alone

    const patched = await api(`/api/admin/locations/${id}`, { admin: true, method: "PATCH", body: { credentials: { access_token: created.token } } });
    expect(patched.status).toBe(200);
    await tick();
    const after = await settled(id);
    expect(after).toHaveLength(1 + 3);
    expect(after.slice(1).every((r) => r.status === "succeeded")).toBe(true);
    const fresh = await json<{ parked: unknown }>(await api(`/api/locations/${id}/sync-status`, { token }));
    expect(fresh.parked).toBeNull();
  });
});

describe("watchdog", () => {
  it("fails a run that stopped progressing and resumes one whose driver died with its lease", async () => {
    const stuck = await ghlLocation(30, { prefix: "stuck" });
    const orphan = await ghlLocation(1200, { prefix: "orphan" });
    const now = Date.now();
    const old = now - 10 * 60_000;
    await env.DB.batch([
      // No driver and no page for 10 minutes (SYNC_STALE_SECONDS is 5).
      env.DB.prepare("insert into sync_runs (id, location_id, kind, mode, status, queued_at, started_at, heartbeat_at, progress_at) values (?, ?, 'contacts', 'full', 'running', ?, ?, ?, ?)")
        .bind(`stuck-${stuck.id}`, stuck.id, old, old, old, old),
      // Its driver's lease ran out 2 minutes ago, a page landed 3 minutes ago: resume it.
      env.DB.prepare(
        "insert into sync_runs (id, location_id, kind, mode, status, queued_at, started_at, heartbeat_at, progress_at, lease_owner, lease_until) values (?, ?, 'contacts', 'full', 'running', ?, ?, ?, ?, 'queue:dead', ?)",
      ).bind(`orphan-${orphan.id}`, orphan.id, old, old, now - 180_000, now - 180_000, now - 120_000),
    ]);
    // Both locations are fresh enough that the cron would not start new runs for them.
    await env.DB.prepare("update locations set last_synced_at = ? where id in (?, ?)").bind(now, stuck.id, orphan.id).run();

    await tick();
    const [failed] = await runsOf(stuck.id);
    expect(failed).toMatchObject({ status: "failed", error_code: "stalled" });
    const [resumed] = await settled(orphan.id);
    expect(resumed).toMatchObject({ status: "succeeded", entities_seen: 1200 });
    const loc = await env.DB.prepare("select failure_count from locations where id = ?").bind(stuck.id).first<{ failure_count: number }>();
    expect(loc?.failure_count).toBe(1);
  });
});
