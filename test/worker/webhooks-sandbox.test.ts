// The simulator's own GoHighLevel webhooks: mutations in sandbox/ become signed deliveries (its own
// key pair), forwarded here to the Worker (the simulator cannot reach the Worker under test), with
// the simulator's faults: duplicates and reordering converge, bad signatures and stale timestamps
// are refused, dropped deliveries leave the rest intact.
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SANDBOX, createLocation, uid } from "./helpers";
import { sandbox } from "./sandbox";

type Delivery = { body: string; headers: Record<string, string> };

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${SANDBOX}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The location's deliveries in the simulator's outbox, in the order it would have sent them. */
async function drain(locationId: string): Promise<Delivery[]> {
  const { deliveries } = await control<{ deliveries: Delivery[] }>("POST", "/webhooks/drain");
  return deliveries.filter((d) => (JSON.parse(d.body) as { locationId: string }).locationId === locationId);
}

async function forward(d: Delivery): Promise<Response> {
  return exports.default.fetch(new Request("https://crm-edge.test/api/webhooks/ghl", { method: "POST", headers: d.headers, body: d.body }));
}

async function cached(locationId: string) {
  const { results } = await env.DB.prepare("select external_id, email, first_name, last_name, deleted from contacts where location_id = ?")
    .bind(locationId)
    .all<{ external_id: string; email: string | null; first_name: string | null; last_name: string | null; deleted: number }>();
  return new Map(results.map((r) => [r.external_id, r]));
}

async function setup() {
  const id = uid("whs");
  const created = await sandbox.createLocation(id, 20);
  await createLocation(id, { credentials: { access_token: created.token } });
  await drain(id);
  return id;
}

afterEach(async () => {
  await control("PUT", "/webhooks", { faults: { dropRate: 0, duplicateRate: 0, reorder: false, delayMs: 0, badSignatureRate: 0, staleRate: 0 } });
});

describe("webhooks from the simulator", () => {
  it("creates, updates and deletes reach the cache through signed deliveries, duplicated and reordered", async () => {
    const id = await setup();
    await control("PUT", "/webhooks", { faults: { duplicateRate: 1, reorder: true } });
    const first = await sandbox.mutate(id, { update: 3, create: 2 });
    const second = await sandbox.mutate(id, { update: first.updated.slice(0, 2), delete: [first.updated[2]!] });
    const deliveries = await drain(id);
    // 5 + 3 deliveries, each twice.
    expect(deliveries).toHaveLength(16);
    // Everything of the second mutation first: the older events arrive late.
    for (const d of [...deliveries.slice(10), ...deliveries.slice(0, 10)]) expect((await forward(d)).status).toBe(200);
    const truth = await sandbox.truth(id);
    const live = new Map(truth.contacts.map((c) => [c.id, c]));
    const touched = [...first.created, ...first.updated];
    await vi.waitUntil(
      async () => {
        const rows = await cached(id);
        return touched.every((cid) => {
          const row = rows.get(cid);
          const want = live.get(cid);
          return want ? row?.deleted === 0 && row.email === (want.email ?? null) && row.last_name === (want.lastName ?? null) : row?.deleted === 1;
        });
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(second.deleted).toHaveLength(1);
    expect((await cached(id)).get(second.deleted[0]!)?.deleted).toBe(1);
  });

  it("bad signatures and stale timestamps are refused; dropped deliveries are never built into the outbox", async () => {
    const id = await setup();
    await control("PUT", "/webhooks", { faults: { badSignatureRate: 1 } });
    await sandbox.mutate(id, { update: 1 });
    const [forged] = await drain(id);
    expect((await forward(forged!)).status).toBe(401);

    await control("PUT", "/webhooks", { faults: { badSignatureRate: 0, staleRate: 1 } });
    await sandbox.mutate(id, { update: 1 });
    const [stale] = await drain(id);
    const res = await forward(stale!);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("stale_webhook");

    await control("PUT", "/webhooks", { faults: { staleRate: 0, dropRate: 1 } });
    await sandbox.mutate(id, { update: 2 });
    expect(await drain(id)).toHaveLength(0);
    expect((await cached(id)).size).toBe(0);
  });
});
