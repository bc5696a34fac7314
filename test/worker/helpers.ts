// Test fixtures: every test makes its own location (unique id) and seeds what it reads.
import { env, exports } from "cloudflare:workers";
import type { Credentials } from "../../shared/schemas/locations";
import type { Scope } from "../../shared/schemas/scopes";
import { authKeyRing } from "../../worker/auth/keyring";
import { mintToken } from "../../worker/auth/tokens";
import { getDb } from "../../worker/db/client";
import { chunk } from "../../worker/db/upsert";
import { locations } from "../../shared/db/schema";
import { writeContacts } from "../../worker/sync/writers";
import type { ContactRecord } from "../../worker/providers/types";
import { sql } from "drizzle-orm";
import { hc } from "hono/client";
import type { AppType } from "../../worker/app";
import { checkResponse } from "./contract";

export const SANDBOX = "https://services.leadconnectorhq.com";

export function uid(prefix = "loc"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

export async function api(
  path: string,
  init: { token?: string; admin?: boolean; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.admin) headers.authorization = `Bearer ${env.ADMIN_API_KEY}`;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const res = await exports.default.fetch(
    new Request(`https://crm-edge.test${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }),
  );
  // Every answer read through here is checked against its route's OpenAPI contract.
  await checkResponse(method, path, res);
  return res;
}

/**
 * The API through Hono's typed client (`hc<AppType>`, as the widget uses it): paths, parameters and
 * bodies are checked at compile time and `res.json()` is typed by the route. Every answer goes
 * through the Worker's own fetch handler and is checked against its route's OpenAPI contract.
 */
export function client(auth: { token?: string; admin?: boolean } = {}) {
  const authorization = auth.admin ? `Bearer ${env.ADMIN_API_KEY}` : auth.token ? `Bearer ${auth.token}` : undefined;
  return hc<AppType>("https://crm-edge.test", {
    headers: authorization ? { authorization } : {},
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      const res = await exports.default.fetch(req);
      await checkResponse(req.method, req.url, res);
      return res;
    },
  });
}

export const ALL_SCOPES: Scope[] = ["read", "import", "sync", "admin"];

/** A token as the admin API would mint it (every scope unless said otherwise). */
export async function mint(
  locationIds: string[],
  opts: { ttlSeconds?: number; now?: number; secret?: string; scopes?: Scope[]; subject?: string } = {},
) {
  const keys = await authKeyRing({ AUTH_SECRET: opts.secret ?? env.AUTH_SECRET });
  return mintToken(keys, {
    subject: opts.subject ?? "test",
    locations: locationIds,
    scopes: opts.scopes ?? ALL_SCOPES,
    ttlSeconds: opts.ttlSeconds ?? 600,
    now: opts.now,
  });
}

export async function token(
  locationIds: string[],
  opts: { ttlSeconds?: number; now?: number; secret?: string; scopes?: Scope[]; subject?: string } = {},
): Promise<string> {
  return (await mint(locationIds, opts)).token;
}

/** Registers a location through the admin API, as an operator would. */
export async function createLocation(
  id: string,
  extra: { credentials?: Credentials; provider?: "ghl" | "amocrm"; account_id?: string; settings?: Record<string, unknown> } = {},
): Promise<void> {
  const res = await client({ admin: true }).api.admin.locations.$post({
    json: { id, provider: extra.provider ?? "ghl", account_id: extra.account_id ?? id, credentials: extra.credentials, settings: extra.settings },
  });
  if (res.status !== 201) throw new Error(`createLocation ${id}: ${res.status} ${await res.text()}`);
}

export function fakeContact(i: number, over: Partial<ContactRecord> = {}): ContactRecord {
  const first = `First${String(i).padStart(5, "0")}`;
  return {
    externalId: `c${String(i).padStart(6, "0")}`,
    firstName: first,
    lastName: "Tester",
    name: `${first} Tester`,
    email: `${first.toLowerCase()}@example.org`,
    phone: `+1555${String(i).padStart(7, "0")}`,
    companyName: i % 2 ? "Acme" : "Globex",
    tags: [],
    source: null,
    dateAdded: 1_700_000_000_000 + i * 1000,
    dateUpdated: 1_700_000_000_000 + i * 2000,
    customFields: [],
    ...over,
  };
}

/**
 * Writes contacts straight into the cache through the sync's own writer (read-path tests need no
 * upstream) and marks the location synced.
 */
export async function seedContacts(locationId: string, records: ContactRecord[], syncedAt = Date.now()): Promise<void> {
  const db = getDb(env.DB);
  for (const part of chunk(records, 500)) {
    const [first, ...rest] = writeContacts(db, locationId, part, syncedAt).statements;
    if (first) await db.batch([first, ...rest]);
  }
  await db
    .update(locations)
    .set({
      lastSyncedAt: syncedAt,
      dataVersion: sql`${locations.dataVersion} + 1`,
      contactCount: sql`(select count(*) from contacts where location_id = ${locationId} and deleted = 0)`,
    })
    .where(sql`${locations.id} = ${locationId}`);
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/**
 * The cron trigger as the platform delivers it: the Worker's scheduled handler (via exports.default),
 * awaited to its end (the handler awaits its work, no waitUntil). A handler that throws rejects.
 */
export async function runCron(scheduledTime = new Date()): Promise<void> {
  // The 2023-07-01 Fetcher type has no scheduled(); the runtime's service binding does.
  const worker = exports.default as unknown as { scheduled(o: { scheduledTime?: Date; cron?: string }): Promise<unknown> };
  await worker.scheduled({ scheduledTime, cron: "*/5 * * * *" });
}
