// Deletes only from complete, plausible passes (GHL): a pass that stops early on an empty page, a
// 204 or a blank 200 deletes nothing and says why; a first page that comes back empty for a
// location that had 25,000 deletes nothing; a reconcile above the cap is skipped with its reason;
// a complete one tombstones exactly what upstream deleted, with the time.
import { describe, expect, it } from "vitest";
import { api, json, seedContacts, fakeContact } from "./helpers";
import { sandbox } from "./sandbox";
import { contactCounts, deletedRows, ghlLocation, liveIds, syncAndSettle } from "./sync-fixtures";
import type { SyncRunView } from "../../shared/schemas/sync";

async function upstreamIds(id: string): Promise<string[]> {
  return (await sandbox.truth(id)).contacts.map((c) => c.id).sort();
}

describe("a full GHL pass whose page comes back empty mid-pass", () => {
  for (const as of ["empty", "204", "blank"] as const) {
    it(`6,000 contacts, 4th page ${as}: every live contact stays live, the run succeeds with the reconcile skipped and why`, async () => {
      const { id, t } = await ghlLocation(6000);
      const first = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
      expect(first).toMatchObject({ status: "succeeded", reconcile: "done", entities_seen: 6000 });
      const deleted = await sandbox.mutate(id, { delete: 10 }); // real deletions the early stop must not act on either way
      // The 4th search, and the one re-ask after it, come back empty.
      await sandbox.faults(id, { emptyPageAt: 4, emptyPageTimes: 2, emptyPageAs: as });

      const run = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
      expect(run.status).toBe("succeeded");
      expect(run.reconcile).toBe("skipped");
      expect(run.reconcile_reason).toMatch(/after 1500 of the 5990 contacts it reported/);
      expect(JSON.parse(run.metrics ?? "{}")).toMatchObject({ deleted: 0 });
      // Nothing deleted: the 5,990 live upstream and the 10 deleted ones are all still there.
      const live = await liveIds("contacts", id);
      expect(live).toHaveLength(6000);
      expect(live).toEqual(expect.arrayContaining(await upstreamIds(id)));
      expect(live).toEqual(expect.arrayContaining(deleted.deleted));

      // The API and the widget's source show it.
      const history = await json<{ runs: SyncRunView[] }>(await api(`/api/locations/${id}/sync-runs`, { token: t }));
      expect(history.runs[0]).toMatchObject({ reconcile: "skipped", reconcile_reason: run.reconcile_reason });

      // Once the upstream answers whole again, the next full pass deletes exactly the 10.
      await sandbox.clearFaults(id);
      const again = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
      expect(again).toMatchObject({ status: "succeeded", reconcile: "done" });
      expect(await liveIds("contacts", id)).toEqual(await upstreamIds(id));
      expect((await deletedRows("contacts", id)).map((r) => r.external_id)).toEqual([...deleted.deleted].sort());
      expect(await contactCounts(id)).toEqual({ kept: 5990, recount: 5990 });
    });
  }

  it("an empty page asked again once and then answered whole: the pass completes and reconciles", async () => {
    const { id, t } = await ghlLocation(1600);
    await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    const deleted = await sandbox.mutate(id, { delete: 3 });
    await sandbox.faults(id, { emptyPageAt: 2, emptyPageTimes: 1, emptyPageAs: "blank" });
    const run = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    expect(run).toMatchObject({ status: "succeeded", reconcile: "done", reconcile_reason: null });
    expect(await liveIds("contacts", id)).toEqual(await upstreamIds(id));
    const tombstones = await deletedRows("contacts", id);
    expect(tombstones.map((r) => r.external_id)).toEqual([...deleted.deleted].sort());
    for (const row of tombstones) expect(row.deleted_at).toBeGreaterThan(Date.now() - 120_000);
  });
});

describe("plausibility", () => {
  it("a first page that comes back empty for a location that had 25,000 deletes nothing and says why", async () => {
    const { id, t } = await ghlLocation(25_000);
    const old = Date.now() - 3_600_000;
    await seedContacts(id, Array.from({ length: 25_000 }, (_, i) => fakeContact(i)), old);

    // Read one way: the first page is empty but reports the total.
    await sandbox.faults(id, { emptyPageAt: 1, emptyPageTimes: 2, emptyPageAs: "empty" });
    const withTotal = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    expect(withTotal).toMatchObject({ status: "succeeded", reconcile: "skipped" });
    expect(withTotal.reconcile_reason).toMatch(/after 0 of the 25000 contacts/);
    expect(await liveIds("contacts", id)).toHaveLength(25_000);

    // The other: a 204 (no total at all). The cap says why.
    await sandbox.faults(id, { emptyPageAt: 1, emptyPageTimes: 2, emptyPageAs: "204" });
    const noTotal = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    expect(noTotal).toMatchObject({ status: "succeeded", reconcile: "skipped" });
    expect(noTotal.reconcile_reason).toMatch(/would have deleted 25000 of 25000 contacts \(100%\), above the 5% cap/);
    expect(await liveIds("contacts", id)).toHaveLength(25_000);
    expect(await contactCounts(id)).toEqual({ kept: 25_000, recount: 25_000 });
  });

  it("a reconcile above the cap is skipped with its reason; one within it deletes", async () => {
    const { id, t } = await ghlLocation(1000);
    await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    const many = await sandbox.mutate(id, { delete: 100 }); // 10 % of the live rows
    const over = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    expect(over).toMatchObject({ status: "succeeded", reconcile: "skipped" });
    // The pass saw the 900 upstream reports, so the reason is the cap.
    expect(over.reconcile_reason).toBe("It would have deleted 100 of 1000 contacts (10%), above the 5% cap, so it deleted nothing.");
    expect(await liveIds("contacts", id)).toHaveLength(1000);
    const status = await json<{ runs: SyncRunView[] }>(await api(`/api/locations/${id}/sync-status`, { token: t }));
    expect(status.runs.find((r) => r.kind === "contacts")).toMatchObject({ reconcile: "skipped", reconcile_reason: over.reconcile_reason });

    // 100 deleted upstream stay until an operator raises the cap; a pass with fewer deletes goes through.
    const { id: id2, t: t2 } = await ghlLocation(1000);
    await syncAndSettle(id2, t2, { kinds: ["contacts"], mode: "full" });
    const few = await sandbox.mutate(id2, { delete: 40 }); // 4 %
    const within = await syncAndSettle(id2, t2, { kinds: ["contacts"], mode: "full" });
    expect(within).toMatchObject({ status: "succeeded", reconcile: "done" });
    expect(JSON.parse(within.metrics ?? "{}")).toMatchObject({ deleted: 40 });
    expect((await deletedRows("contacts", id2)).map((r) => r.external_id)).toEqual([...few.deleted].sort());
    expect(many.deleted).toHaveLength(100);
  });
});
