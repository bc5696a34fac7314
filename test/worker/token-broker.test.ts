// The token broker (worker/tokens/): one renewal at a time per owner across isolates, renewed
// ahead of expiry and on a 401, every single-use refresh token spent once, a refused renewal
// parks the location (needs_reconnect) and the cron leaves it alone.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { brokerFor } from "../../worker/tokens/stub";
import { brokeredTokens } from "../../worker/tokens/client";
import { storedCredentials } from "./amocrm-fixtures";
import { ghlOAuth, locationCredentials } from "./ghl-oauth-sandbox";
import { createLocation, runCron, token, uid } from "./helpers";
import { sandbox } from "./sandbox";
import { liveIds, runsOf, settled, startSync } from "./sync-fixtures";

async function oauthLocation(contacts: number, ttlS: number) {
  const id = uid("tok");
  const companyId = uid("co");
  await sandbox.createLocation(id, contacts);
  const credentials = await locationCredentials(companyId, id, ttlS);
  await createLocation(id, { credentials });
  return { id, companyId, credentials, t: await token([id]) };
}

const parkOf = (id: string) =>
  env.DB.prepare("select parked_reason, token_error, token_refreshed_at from locations where id = ?").bind(id).first<{ parked_reason: string | null; token_error: string | null; token_refreshed_at: number | null }>();

describe("token broker", () => {
  it("a 25,000-contact sync whose access tokens live 3 s completes; each refresh token is spent once and every refresh is one the broker made", { timeout: 300_000 }, async () => {
    const f = await oauthLocation(25_000, 3);
    const started = Date.now();
    await startSync(f.id, f.t, { mode: "full" });
    const runs = await settled(f.id, 280_000);
    const seconds = (Date.now() - started) / 1000;
    expect(runs.map((r) => [r.kind, r.status, r.error_message])).toEqual([
      ["contacts", "succeeded", null],
      ["conversations", "succeeded", null],
      ["opportunities", "succeeded", null],
    ]);
    expect((await liveIds("contacts", f.id)).length).toBe(25_000);
    const stats = await ghlOAuth.stats(f.id);
    const renewals = await runInDurableObject(brokerFor(env, { kind: "location", id: f.id }), (broker) => broker.renewals);
    // Several expiries (the run outlives many 3 s tokens), one refresh each, no refresh token twice.
    expect(stats.refreshes).toBeGreaterThanOrEqual(2);
    expect(stats.refreshes).toBe(renewals);
    expect(stats.refreshReuses).toBe(0);
    // Renewed when 4/5 of its 3 s life is gone, times kept in whole seconds (up to 1 s early):
    // never more than one renewal per 1.4 s of run time, i.e. one per expiry, not one per caller.
    expect(stats.refreshes).toBeLessThanOrEqual(Math.ceil(seconds / 1.4) + 1);
    const stored = await storedCredentials(f.id);
    expect(stored.refresh_token).not.toBe(f.credentials.refresh_token);
    console.log(JSON.stringify({ event: "test.token-expiry", contacts: 25_000, seconds, refreshes: stats.refreshes }));
  });

  it("two isolates meeting the same refused token make one refresh; a fresh isolate then gets the stored token with none", async () => {
    const f = await oauthLocation(10, 3600);
    await ghlOAuth.expire({ locationId: f.id });
    const owner = { kind: "location" as const, id: f.id };
    // Each client is what an isolate holds: its own copy of the token it read from D1.
    const a = brokeredTokens(env, owner, f.credentials);
    const b = brokeredTokens(env, owner, f.credentials);
    // A slow token endpoint: without one renewal at a time, the second caller would spend the same refresh token.
    await ghlOAuth.config({ tokenLatencyMs: 400 });
    const [ta, tb] = await Promise.all([a.replace(f.credentials.access_token), b.replace(f.credentials.access_token)]).finally(() => ghlOAuth.config({ tokenLatencyMs: 0 }));
    expect(ta).toBe(tb);
    expect(ta).not.toBe(f.credentials.access_token);
    const fresh = brokeredTokens(env, owner, f.credentials);
    expect(await fresh.replace(f.credentials.access_token)).toBe(ta);
    expect(await ghlOAuth.stats(f.id)).toMatchObject({ refreshes: 1, refreshReuses: 0 });
    expect((await storedCredentials(f.id)).access_token).toBe(ta);
    expect((await parkOf(f.id))?.token_refreshed_at).toBeGreaterThan(0);
  });

  it("a fresh isolate holding a token past its renewal time asks the broker, which renews once", async () => {
    const f = await oauthLocation(10, 3600);
    const owner = { kind: "location" as const, id: f.id };
    const past = { ...f.credentials, issued_at: f.credentials.issued_at! - 7200, expires_at: f.credentials.issued_at! - 3600 };
    // The stored pair is the one past its time (as after a day without syncs).
    await env.DB.prepare("update locations set credentials_enc = null where id = ?").bind(f.id).run();
    const { sealCredentials } = await import("../../worker/auth/credentials");
    const { credentialsKeyRing } = await import("../../worker/auth/keyring");
    await env.DB.prepare("update locations set credentials_enc = ? where id = ?").bind(await sealCredentials(await credentialsKeyRing(env), f.id, past), f.id).run();
    const [t1, t2] = await Promise.all([brokeredTokens(env, owner, past).current(), brokeredTokens(env, owner, past).current()]);
    expect(t1).toBe(t2);
    expect(t1).not.toBe(f.credentials.access_token);
    expect(await ghlOAuth.stats(f.id)).toMatchObject({ refreshes: 1, refreshReuses: 0 });
  });

  it("a refused refresh parks the location as needs_reconnect; the cron does not try it again", async () => {
    const f = await oauthLocation(50, 3600);
    await ghlOAuth.revoke({ locationId: f.id });
    await startSync(f.id, f.t, { mode: "full" });
    const runs = await settled(f.id);
    expect(runs.find((r) => r.kind === "contacts")).toMatchObject({ status: "failed", error_code: "upstream_auth" });
    expect(runs.find((r) => r.kind === "contacts")?.error_message).toMatch(/Reconnect/);
    const park = await parkOf(f.id);
    expect(park?.parked_reason).toBe("auth");
    expect(park?.token_error).toMatch(/refused to renew/);
    // One attempt with the revoked token, whatever the number of runs that met the 401.
    expect(await ghlOAuth.stats(f.id)).toMatchObject({ refreshes: 0, refreshReuses: 1 });
    const before = (await runsOf(f.id)).length;
    await runCron();
    await runCron();
    expect((await runsOf(f.id)).length).toBe(before);
    expect(await ghlOAuth.stats(f.id)).toMatchObject({ refreshes: 0, refreshReuses: 1 });
  });
});
