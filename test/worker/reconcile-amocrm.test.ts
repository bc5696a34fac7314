// AmoCRM full passes page by number, so contacts deleted upstream during a pass shift later rows
// onto pages already read. The reconcile asks AmoCRM for its candidates by id and deletes only the
// ones it no longer returns: every live contact stays live.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { amoLocation, startSync } from "./amocrm-fixtures";
import { amoSandbox } from "./amocrm-sandbox-client";
import { contactCounts, deletedRows, liveIds, settled } from "./sync-fixtures";

async function fullContactsPass(f: { id: string; t: string }) {
  await startSync(f, { kinds: ["contacts"], mode: "full" });
  const run = (await settled(f.id)).at(-1);
  if (!run) throw new Error("no run");
  return run;
}

const asStrings = (ids: number[]) => ids.map(String).sort();

describe("AmoCRM full pass with deletions during the pass", () => {
  it("3,000 contacts, 6 deleted after page 2: every live contact stays live, only confirmed deletions are marked", async () => {
    const f = await amoLocation({ contacts: 3000, companies: 300, matching_companies: 20 });
    const first = await fullContactsPass(f);
    expect(first).toMatchObject({ status: "succeeded", reconcile: "done", entities_seen: 3000 });
    const ids = (await amoSandbox.truth(f.sub)).contact_ids;

    // After page 2 is served: 6 contacts of pages 1–2 go (6 later rows shift onto page 2, already
    // read), and 2 of the last page go (their page is still to come).
    const early = [ids[10], ids[100], ids[200], ids[300], ids[400], ids[499]] as number[];
    const late = [ids[2995], ids[2998]] as number[];
    await amoSandbox.faults(f.sub, { deleteAfterPage: { page: 2, ids: [...early, ...late] } });
    await amoSandbox.resetStats(f.sub);

    const run = await fullContactsPass(f);
    expect(run).toMatchObject({ status: "succeeded", reconcile: "done" });
    const upstream = asStrings((await amoSandbox.truth(f.sub)).contact_ids);
    expect(upstream).toHaveLength(2992);
    const live = await liveIds("contacts", f.id);
    // Every contact AmoCRM still has is live here.
    expect(live).toEqual(expect.arrayContaining(upstream));
    // The 2 deleted ahead of the pass are tombstoned; the 6 it had already read stay until the next pass.
    const tombstones = await deletedRows("contacts", f.id);
    expect(tombstones.map((r) => r.external_id)).toEqual(asStrings(late));
    for (const t of tombstones) expect(t.deleted_at).toBeGreaterThan(Date.now() - 120_000);
    expect(live).toEqual([...upstream, ...asStrings(early)].sort());
    // The 6 shifted rows were candidates; AmoCRM returned them by id (one request), so they stayed.
    const metrics = JSON.parse(run.metrics ?? "{}");
    expect(metrics.reconcile).toMatchObject({ outcome: "done", checked_by_id: 8 });
    expect(metrics.deleted).toBe(2);
    const stats = await amoSandbox.stats(f.sub);
    // 12 pages (and at most one guess past the end, a 204), then one by-id batch.
    expect(stats.byEndpoint["GET /api/v4/contacts"]).toBeGreaterThanOrEqual(12 + 1);
    expect(stats.byEndpoint["GET /api/v4/contacts"]).toBeLessThanOrEqual(12 + 1 + 1);

    // The next full pass sees the 6 gone and marks them.
    const next = await fullContactsPass(f);
    expect(next).toMatchObject({ status: "succeeded", reconcile: "done" });
    expect(await liveIds("contacts", f.id)).toEqual(upstream);
    expect((await deletedRows("contacts", f.id)).map((r) => r.external_id)).toEqual(asStrings([...early, ...late]));
    expect(await contactCounts(f.id)).toEqual({ kept: 2992, recount: 2992 });
  });

  it("a tombstoned contact that upstream returns again is live again, its tombstone lifted and counted", async () => {
    const f = await amoLocation({ contacts: 600, companies: 100, matching_companies: 10 });
    await fullContactsPass(f);
    const [victim] = (await amoSandbox.truth(f.sub)).contact_ids;
    // As if an earlier reconcile (or a future delete webhook) had tombstoned it, counts included.
    await env.DB.batch([
      env.DB.prepare("update contacts set deleted = 1, deleted_at = 123 where location_id = ? and external_id = ?").bind(f.id, String(victim)),
      env.DB.prepare("update locations set contact_count = contact_count - 1 where id = ?").bind(f.id),
    ]);
    expect(await contactCounts(f.id)).toEqual({ kept: 599, recount: 599 });
    const run = await fullContactsPass(f);
    expect(run).toMatchObject({ status: "succeeded", reconcile: "done" });
    expect(await deletedRows("contacts", f.id)).toEqual([]);
    const row = await env.DB.prepare("select deleted, deleted_at from contacts where location_id = ? and external_id = ?")
      .bind(f.id, String(victim))
      .first();
    expect(row).toEqual({ deleted: 0, deleted_at: null });
    expect(await contactCounts(f.id)).toEqual({ kept: 600, recount: 600 });
  });
});
