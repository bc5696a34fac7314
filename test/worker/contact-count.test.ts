// locations.contact_count is kept by increments in the batches that change contacts (no recount
// per page): after every write path (sync pages, reconciles, filtered imports, CSV imports) it
// equals a recount of the location's live contacts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../worker/config";
import { getDb } from "../../worker/db/client";
import { driveRun } from "../../worker/sync/drive";
import { claimSync } from "../../worker/sync/trigger";
import { amoLocation, startSync as amoSync } from "./amocrm-fixtures";
import { amoSandbox } from "./amocrm-sandbox-client";
import { sandbox } from "./sandbox";
import { setupImport, startTask, waitForTask } from "./fixtures/imports-api";
import { fakeContact, seedContacts } from "./helpers";
import { contactCounts, crashingDb, ghlLocation, settled, syncAndSettle } from "./sync-fixtures";

async function expectExact(id: string, expected?: number) {
  const { kept, recount } = await contactCounts(id);
  expect(kept).toBe(recount);
  if (expected !== undefined) expect(kept).toBe(expected);
}

describe("contact_count without recounting", () => {
  it("GHL: full pass, incremental with creates and updates, a crash and resume, a reconcile with deletes", async () => {
    const { id, t } = await ghlLocation(1300);
    await syncAndSettle(id, t, { kinds: ["contacts"] });
    await expectExact(id, 1300);

    await sandbox.mutate(id, { create: 30, update: 20 });
    const inc = await syncAndSettle(id, t, { kinds: ["contacts"] });
    expect(inc.mode).toBe("incremental");
    await expectExact(id, 1330);

    // A driver dies inside a page write; the next one repeats pages and fetches ahead.
    const config = readConfig(env);
    // The second page's batch lands, then the driver dies before its next step.
    const crashing = crashingDb(2, "after", "simulated crash after a write");
    await sandbox.mutate(id, { create: 7 });
    const deps = { db: getDb(crashing), env, config, now: Date.now };
    const { run } = await claimSync(deps, id, "contacts", "test", "full");
    await expect(driveRun(deps, run.id, "worker-1", Date.now() + 60_000)).rejects.toThrow("simulated crash");
    await env.DB.prepare("update sync_runs set lease_until = 0 where id = ?").bind(run.id).run(); // its lease lapses
    expect(await driveRun({ ...deps, db: getDb(env.DB) }, run.id, "worker-2", Date.now() + 60_000)).toBe("done");
    await expectExact(id, 1337);

    await sandbox.mutate(id, { delete: 12 });
    const full = await syncAndSettle(id, t, { kinds: ["contacts"], mode: "full" });
    expect(full).toMatchObject({ reconcile: "done" });
    await expectExact(id, 1325);
  });

  it("AmoCRM: account-wide kinds, a reconcile after deletes, filtered imports (full and incremental)", async () => {
    const f = await amoLocation({ contacts: 1200, companies: 150, matching_companies: 20 });
    await amoSync(f, { mode: "full" });
    await settled(f.id);
    await expectExact(f.id, 1200);

    const ids = (await amoSandbox.truth(f.sub)).contact_ids;
    await amoSandbox.deleteContacts(f.sub, ids.slice(0, 9));
    await amoSync(f, { kinds: ["contacts"], mode: "full" });
    await settled(f.id);
    await expectExact(f.id, 1191);

    // A second location on the account takes the filtered slice, then an incremental one after changes.
    const g = await amoLocation({ sub: f.sub });
    await amoSync(g, { mode: "filtered" });
    const [imported] = await settled(g.id);
    expect(imported?.status, imported?.error_message ?? "").toBe("succeeded");
    const matching = (await amoSandbox.truth(f.sub)).matching.contacts.length;
    await expectExact(g.id, matching);
    await amoSandbox.mutate(f.sub, 5);
    await amoSync(g, { mode: "filtered", incremental: true });
    expect((await settled(g.id)).at(-1)?.status).toBe("succeeded");
    await expectExact(g.id, matching);
  });

  it("CSV imports (validated and fast): new rows, rows already live, deleted rows revived, a repeated file", async () => {
    const ctx = await setupImport();
    await seedContacts(ctx.locationId, [fakeContact(1), fakeContact(2)]);
    await expectExact(ctx.locationId, 2);
    const csv = (n: number, from = 0) =>
      "email,first_name\n" + Array.from({ length: n }, (_, i) => `count${from + i}@acme-mail.com,Row${from + i}`).join("\n") + "\n";
    await waitForTask(ctx, await startTask(ctx, csv(6)));
    await expectExact(ctx.locationId, 8);

    // Two imported contacts go (as a reconcile would leave them: tombstoned and uncounted) …
    await env.DB.batch([
      env.DB.prepare("update contacts set deleted = 1 where location_id = ? and external_id in ('import:count0@acme-mail.com', 'import:count1@acme-mail.com')").bind(ctx.locationId),
      env.DB.prepare("update locations set contact_count = contact_count - 2 where id = ?").bind(ctx.locationId),
    ]);
    await expectExact(ctx.locationId, 6);
    // … and a fast import of an overlapping file revives them, keeps the live ones, adds two.
    await waitForTask(ctx, await startTask(ctx, csv(8), { fast: true }));
    await expectExact(ctx.locationId, 10);
    await waitForTask(ctx, await startTask(ctx, csv(8)));
    await expectExact(ctx.locationId, 10);
  });
});
