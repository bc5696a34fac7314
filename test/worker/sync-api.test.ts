// The sync API (start, status, history) and on-demand tasks/notes of one contact.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { syncStatusSchema } from "../../shared/schemas/sync";
import { api, client, createLocation, json, token, uid } from "./helpers";
import { sandbox } from "./sandbox";

async function ghl(contacts: number) {
  const id = uid("api");
  const created = await sandbox.createLocation(id, contacts);
  await client({ admin: true }).api.admin.locations.$post({ json: { id, provider: "ghl", account_id: id, credentials: { access_token: created.token } } });
  return { id, t: await token([id]) };
}

async function idle(id: string, t: string) {
  await vi.waitUntil(
    async () => !(await (await client({ token: t }).api.locations[":id"]["sync-status"].$get({ param: { id } })).json()).syncing,
    { timeout: 30_000, interval: 50 },
  );
}

describe("sync API", () => {
  it("POST starts one run per kind, a second POST joins them; status and history report progress and metrics", async () => {
    const { id, t } = await ghl(600);
    // Until the faults are cleared below, every upstream answer takes 2 s: the runs cannot finish
    // while the POSTs below arrive, so each of them must join, never start another run.
    await sandbox.faults(id, { latencyMs: 2000 });
    const sync = client({ token: t }).api.locations[":id"];
    const first = await (await sync.sync.$post({ param: { id }, json: { kinds: ["contacts", "opportunities"] } })).json();
    expect(first.runs.map((r) => [r.kind, r.joined])).toEqual([["contacts", false], ["opportunities", false]]);
    const contactsRun = first.runs[0]?.run_id;
    // A second POST and three more at once: all join the running contacts run, none starts another.
    const again = await Promise.all(
      Array.from({ length: 4 }, () => sync.sync.$post({ param: { id }, json: { kinds: ["contacts"] } })),
    );
    for (const res of again) {
      expect(res.status).toBe(202);
      expect((await res.json()).runs).toEqual([
        expect.objectContaining({ kind: "contacts", run_id: contactsRun, joined: true }),
      ]);
    }
    const active = await env.DB.prepare("select count(*) as n from sync_runs where location_id = ? and kind = 'contacts'").bind(id).first<{ n: number }>();
    expect(active?.n).toBe(1);
    await sandbox.faults(id, { latencyMs: 0 });

    await idle(id, t);
    const status = await (await sync["sync-status"].$get({ param: { id } })).json();
    expect(status.runs.find((r) => r.kind === "contacts")).toMatchObject({ id: contactsRun, status: "succeeded", phase: "done", entities_seen: 600, eta_seconds: null });
    expect(status.last_synced_at).not.toBeNull();
    const history = await (await sync["sync-runs"].$get({ param: { id }, query: {} })).json();
    expect(history.runs.length).toBeGreaterThanOrEqual(2);
    expect(history.runs[0]?.metrics).toMatchObject({ requests: expect.any(Number), peak_rps: expect.any(Number) });
  });

  it("bad bodies are 400s; another location's sync is a 403; an unknown one a 404", async () => {
    const { id, t } = await ghl(5);
    for (const body of [{ kinds: ["emails"] }, { mode: "sometimes" }, { kinds: [] }, { extra: 1 }]) {
      const res = await api(`/api/locations/${id}/sync`, { token: t, body });
      expect(res.status).toBe(400);
      expect(await json(res)).toMatchObject({ error: { code: "invalid_body" } });
    }
    expect((await api("/api/locations/other/sync", { token: t, body: {} })).status).toBe(403);
    expect((await api("/api/locations/other/sync-status", { token: t })).status).toBe(403);
    const ghost = await token(["ghost-loc"]);
    expect((await api("/api/locations/ghost-loc/sync", { token: ghost, body: {} })).status).toBe(404);
  });

  it("a contact's tasks and notes are fetched on demand when stale, then served from cache", async () => {
    const { id, t } = await ghl(40);
    await api(`/api/locations/${id}/sync`, { token: t, body: { kinds: ["contacts"] } });
    await idle(id, t);
    const { results } = await env.DB.prepare("select external_id from contacts where location_id = ? limit 1").bind(id).all<{ external_id: string }>();
    const contactId = results[0]?.external_id ?? "";
    await sandbox.resetStats();
    const contact = () => client({ token: t }).api.contacts[":id"].$get({ param: { id: contactId }, query: { location_id: id } });
    const first = await (await contact()).json();
    expect(first.related_synced_at).not.toBeNull();
    expect((await sandbox.stats(id)).requests).toBe(2);
    const again = await (await contact()).json();
    expect(again.tasks).toEqual(first.tasks);
    expect(again.notes).toEqual(first.notes);
    expect((await sandbox.stats(id)).requests).toBe(2);
  });

  it("sync-status reports the location's own rate limit (settings.rate_limit_rps), else the deployment's", async () => {
    const status = async (id: string) => syncStatusSchema.parse(await (await api(`/api/locations/${id}/sync-status`, { token: await token([id]) })).json());
    const [own, plain, broken] = [uid("rps"), uid("rps"), uid("rps")];
    await createLocation(own, { settings: { rate_limit_rps: 2.5 } });
    await createLocation(plain);
    await createLocation(broken, { settings: { rate_limit_rps: -1 } });
    expect((await status(own)).rate_limit_rps).toBe(2.5);
    expect((await status(plain)).rate_limit_rps).toBe(Number(env.RATE_LIMIT_RPS));
    // An override the limiter refuses fails the location's syncs (they say why); the status still answers.
    expect((await status(broken)).rate_limit_rps).toBeNull();
  });
});
