// AmoCRM test fixtures: an account in the simulator, a location of ours pointing at it, and reads
// of what the sync stored.
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { Credentials } from "../../shared/schemas/locations";
import { openCredentials } from "../../worker/auth/credentials";
import { credentialsKeyRing } from "../../worker/auth/keyring";
import { type AmoSummary, type CreateAccount, amoSandbox } from "./amocrm-sandbox-client";
import { api, createLocation, json, token, uid } from "./helpers";

export type AmoFixture = { sub: string; id: string; t: string; account: AmoSummary };

/** A fresh simulator account and a location of ours on it (long-lived token unless `oauth`). */
export async function amoLocation(
  init: CreateAccount & { oauth?: boolean; sub?: string; settings?: Record<string, unknown> } = {},
): Promise<AmoFixture> {
  const { oauth, sub: givenSub, settings, ...spec } = init;
  const sub = givenSub ?? uid("amo");
  const account = givenSub ? await amoSandbox.account(sub) : await amoSandbox.createAccount(sub, { contacts: 1500, companies: 300, ...spec });
  const credentials: Credentials = oauth
    ? {
        access_token: account.oauth.access_token,
        refresh_token: account.oauth.refresh_token,
        client_id: account.oauth.client_id,
        client_secret: account.oauth.client_secret,
        redirect_uri: account.oauth.redirect_uri,
      }
    : { access_token: account.long_lived_token, long_lived: true };
  const id = uid("amoloc");
  await createLocation(id, { provider: "amocrm", account_id: sub, credentials, settings: { company_filter: account.filter, ...settings } });
  return { sub, id, t: await token([id]), account };
}

export type RunRow = { id: string; kind: string; mode: string; status: string; requests: number; error_code: string | null; error_message: string | null; metrics: string | null };

export async function runsOf(locationId: string): Promise<RunRow[]> {
  const { results } = await env.DB.prepare(
    "select id, kind, mode, status, requests, error_code, error_message, metrics from sync_runs where location_id = ? order by queued_at",
  )
    .bind(locationId)
    .all<RunRow>();
  return results;
}

/** Bounded wait until the queue has finished every run of the location (a drain, not a sleep). */
export async function drained(locationId: string, timeout = 45_000): Promise<RunRow[]> {
  await vi.waitUntil(async () => (await runsOf(locationId)).every((r) => r.status !== "queued" && r.status !== "running"), { timeout, interval: 50 });
  return runsOf(locationId);
}

export async function startSync(f: Pick<AmoFixture, "id" | "t">, body: Record<string, unknown>): Promise<{ run_id: string; kind: string }[]> {
  const res = await api(`/api/locations/${f.id}/sync`, { token: f.t, body });
  if (res.status !== 202) throw new Error(`sync ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
  return (await json<{ runs: { run_id: string; kind: string }[] }>(res)).runs;
}

export async function storedIds(table: "contacts" | "companies" | "notes" | "tasks", locationId: string): Promise<number[]> {
  const { results } = await env.DB.prepare(`select external_id from ${table} where location_id = ? and deleted = 0`)
    .bind(locationId)
    .all<{ external_id: string }>();
  return results.map((r) => Number(r.external_id)).sort((a, b) => a - b);
}

export async function storedCredentials(locationId: string): Promise<Credentials> {
  const row = await env.DB.prepare("select credentials_enc from locations where id = ?").bind(locationId).first<{ credentials_enc: string }>();
  if (!row) throw new Error(`no location ${locationId}`);
  return openCredentials(await credentialsKeyRing(env), locationId, row.credentials_enc);
}

export function metricsOf(run: RunRow): Record<string, unknown> & { entities: Record<string, { seen: number; created: number; updated: number }> } {
  return JSON.parse(run.metrics ?? "{}");
}
