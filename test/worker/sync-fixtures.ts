// Sync test fixtures: a GHL location in the sandbox and ours on it, starting syncs through the
// API, bounded waits on the queue (drains, not sleeps), and reads of what the sync stored.
import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { api, json, token, uid } from "./helpers";
import { sandbox } from "./sandbox";

export type RunRow = {
  id: string;
  kind: string;
  mode: string;
  status: string;
  pages_done: number;
  entities_seen: number;
  requests: number;
  throttled: number;
  metrics: string | null;
  error_code: string | null;
  error_message: string | null;
  reconcile: string | null;
  reconcile_reason: string | null;
  lease_owner: string | null;
};

export async function runsOf(locationId: string): Promise<RunRow[]> {
  const { results } = await env.DB.prepare("select * from sync_runs where location_id = ? order by queued_at, rowid").bind(locationId).all<RunRow>();
  return results;
}

/** Bounded wait until no run of the location is queued or running (a drain, not a sleep). */
export async function settled(locationId: string, timeout = 45_000): Promise<RunRow[]> {
  await vi.waitUntil(async () => (await runsOf(locationId)).every((r) => r.status !== "queued" && r.status !== "running"), { timeout, interval: 50 });
  return runsOf(locationId);
}

export async function liveIds(table: string, locationId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(`select external_id from ${table} where location_id = ? and deleted = 0`).bind(locationId).all<{ external_id: string }>();
  return results.map((r) => r.external_id).sort();
}

export async function deletedRows(table: string, locationId: string): Promise<{ external_id: string; deleted_at: number | null }[]> {
  const { results } = await env.DB.prepare(`select external_id, deleted_at from ${table} where location_id = ? and deleted = 1 order by external_id`)
    .bind(locationId)
    .all<{ external_id: string; deleted_at: number | null }>();
  return results;
}

/** The location's incremental contact_count and a recount of its live contacts. */
export async function contactCounts(locationId: string): Promise<{ kept: number; recount: number }> {
  const row = await env.DB.prepare(
    "select contact_count as kept, (select count(*) from contacts where location_id = ?1 and deleted = 0) as recount from locations where id = ?1",
  )
    .bind(locationId)
    .first<{ kept: number; recount: number }>();
  if (!row) throw new Error(`no location ${locationId}`);
  return row;
}

/** A sandbox GHL location and ours on it (its own bucket unless settings say otherwise). */
export async function ghlLocation(contacts: number, extra: { settings?: Record<string, unknown>; sandbox?: Record<string, unknown>; prefix?: string } = {}) {
  const id = uid(extra.prefix ?? "rec");
  const created = await sandbox.createLocation(id, contacts, extra.sandbox ?? {});
  const res = await api("/api/admin/locations", {
    admin: true,
    body: { id, provider: "ghl", account_id: id, credentials: { access_token: created.token }, settings: extra.settings ?? {} },
  });
  expect(res.status).toBe(201);
  return { id, t: await token([id]) };
}

export async function startSync(id: string, t: string, body: Record<string, unknown>) {
  const res = await api(`/api/locations/${id}/sync`, { token: t, body });
  expect(res.status, await res.clone().text()).toBe(202);
  return json<{ runs: { kind: string; run_id: string; joined: boolean; mode: string }[] }>(res);
}

/** Starts a sync and waits for the location to settle; the last run of `kind`. */
export async function syncAndSettle(id: string, t: string, body: Record<string, unknown>, kind = "contacts", timeout?: number): Promise<RunRow> {
  await startSync(id, t, body);
  const run = (await settled(id, timeout)).filter((r) => r.kind === kind).at(-1);
  if (!run) throw new Error(`no ${kind} run for ${id}`);
  return run;
}

/**
 * env.DB whose `n`-th page write (a batch of 4+ statements: checkpoint, upserts, counters) throws:
 * `before` it lands (the driver dies mid-write) or `after` it (the driver dies before its next step).
 */
export function crashingDb(n: number, when: "before" | "after", message = "simulated crash"): D1Database {
  let batches = 0;
  return new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          const page = stmts.length >= 4 && ++batches === n;
          if (page && when === "before") throw new Error(message);
          const out = await target.batch(stmts);
          if (page) throw new Error(message);
          return out;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
