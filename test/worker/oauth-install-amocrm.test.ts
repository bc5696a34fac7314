// AmoCRM installs through GET /api/oauth/amocrm/callback: the code is exchanged on the account's
// own host (named by `referer`, checked against the AmoCRM host allowlist), the pair is stored
// sealed, and the location's filtered import runs with it.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { amoLocation, drained, startSync, storedCredentials, storedIds } from "./amocrm-fixtures";
import { amoSandbox } from "./amocrm-sandbox-client";
import { SANDBOX, uid } from "./helpers";

const REDIRECT = "https://crm-edge.test/api/oauth/amocrm/callback";

async function amoCode(sub: string): Promise<string> {
  const res = await fetch(`${SANDBOX}/__sandbox/amocrm/accounts/${sub}/codes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ redirect_uri: REDIRECT, client_id: env.AMOCRM_CLIENT_ID, client_secret: env.AMOCRM_CLIENT_SECRET }),
  });
  if (!res.ok) throw new Error(`code: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { code: string }).code;
}

const callback = (query: Record<string, string>) =>
  exports.default.fetch(new Request(`https://crm-edge.test/api/oauth/amocrm/callback?${new URLSearchParams(query)}`));

describe("AmoCRM install callback", () => {
  it("connects the account's location with an OAuth pair, and its filtered import then runs", async () => {
    const f = await amoLocation({ contacts: 1000, companies: 150, matching_companies: 20 });
    const res = await callback({ code: await amoCode(f.sub), referer: `${f.sub}.amocrm.ru`, state: "" });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain(f.id);
    expect(html).not.toMatch(/amo-[a-z0-9-]+-(access|refresh)-/);
    const stored = await storedCredentials(f.id);
    const account = await amoSandbox.account(f.sub);
    expect(stored).toMatchObject({ access_token: account.oauth.access_token, refresh_token: account.oauth.refresh_token, client_id: env.AMOCRM_CLIENT_ID, redirect_uri: REDIRECT });
    expect(stored.long_lived).toBeUndefined();
    await startSync(f, { mode: "filtered" });
    const [run] = await drained(f.id);
    expect(run?.status, run?.error_message ?? "").toBe("succeeded");
    expect(await storedIds("contacts", f.id)).toEqual((await amoSandbox.truth(f.sub)).matching.contacts);
  });

  it("an account with no location of ours gets one registered", async () => {
    const sub = uid("amonew");
    await amoSandbox.createAccount(sub, { contacts: 200, companies: 40, matching_companies: 10 });
    const res = await callback({ code: await amoCode(sub), referer: `${sub}.amocrm.ru` });
    expect(res.status, await res.clone().text()).toBe(200);
    const row = await env.DB.prepare("select provider, account_id, base_url from locations where id = ?").bind(`amocrm-${sub}`).first();
    expect(row).toEqual({ provider: "amocrm", account_id: sub, base_url: `https://${sub}.amocrm.ru` });
  });

  it("a referer off the AmoCRM hosts, a bad or reused code: an error page, nothing registered or changed", async () => {
    const sub = uid("amobad");
    await amoSandbox.createAccount(sub, { contacts: 100, companies: 20, matching_companies: 5 });
    const code = await amoCode(sub);
    for (const referer of ["attacker.example", `${sub}.amocrm.ru.attacker.example`, `${sub}.amocrm.ru/path`]) {
      const res = await callback({ code, referer });
      expect(res.status, referer).toBe(400);
      expect(await res.text()).toContain("Nothing was connected");
    }
    expect((await callback({ code: "nope", referer: `${sub}.amocrm.ru` })).status).toBe(400);
    const none = await env.DB.prepare("select count(*) as n from locations where account_id = ?").bind(sub).first<{ n: number }>();
    expect(none?.n).toBe(0);
    expect((await callback({ code, referer: `${sub}.amocrm.ru` })).status).toBe(200);
    const reused = await callback({ code, referer: `${sub}.amocrm.ru` });
    expect(reused.status).toBe(400);
  });
});
