// TokenBroker: one Durable Object per token owner (a location's own OAuth pair, or an agency's
// grant), the only place a token is ever renewed. Durable Objects are single-instance, and the
// broker answers one question at a time, so at most one renewal runs per owner across every
// isolate, queue consumer and request, and a single-use refresh token is spent once.
//
// A caller asks for "a token not about to expire", or "a replacement for this one, refused with a
// 401". If the stored token is already another (someone renewed it meanwhile) that one is the
// answer; otherwise the broker renews: refresh grant (GHL form-urlencoded, AmoCRM JSON on the
// account's host) or, for a location of an agency install, a new location token minted from the
// agency's token (which its own broker renews). The new pair is written to this object's storage
// first (a journal: D1 may fail after the upstream spent the old refresh token), then sealed into
// D1, and only then handed out. A refused renewal marks the owner needs_reconnect: locations are
// parked, so neither the cron nor the queue try again until a new install or new credentials.
import { DurableObject } from "cloudflare:workers";
import type { Credentials } from "../../shared/schemas/locations";
import { openCredentials, sealCredentials } from "../auth/credentials";
import { readSecrets } from "../auth/secrets";
import { readConfig } from "../config";
import { getDb } from "../db/client";
import { type OwnerRow, type TokenOwner, loadOwnerTokens, markNeedsReconnect, saveOwnerTokens, sealId } from "../db/oauth-tokens";
import { amoBaseUrl } from "../providers/amocrm/client";
import { amoTokenGrant } from "../providers/amocrm/oauth";
import { ghlLocationToken, ghlTokenGrant } from "../providers/ghl-oauth";
import { RequestMeter } from "../providers/meter";
import { rateLimitKey } from "../providers/sync-source";
import { UpstreamError, type UpstreamContext } from "../providers/upstream";
import { rateLimiterFor } from "../ratelimit/client";
import { rateLimitConfigFrom } from "../ratelimit/config";
import { noopRateLimiter } from "../ratelimit/interface";
import { renewAt, renewable } from "./due";

export type TokenAnswer =
  | { ok: true; token: string; renewAt: number | null }
  | { ok: false; reason: "needs_reconnect" | "unavailable"; message: string };

type Journal = { owner: TokenOwner; sealed: string; expiresAt: number | null; at: number };
const JOURNAL = "pending";

/** Refusals: the upstream said no to this grant (4xx). Anything else is worth another try later. */
const refused = (err: unknown): err is UpstreamError => err instanceof UpstreamError && (err.kind === "auth" || err.kind === "client");

export class TokenBroker extends DurableObject<Env> {
  private turn: Promise<unknown> = Promise.resolve();
  /** Renewals this object made (tests read it with runInDurableObject). */
  renewals = 0;

  /**
   * A token to use: the stored one unless it is due for renewal or is `failed` (the one the
   * upstream just refused), else a renewed one. Callers queue: one answer at a time.
   */
  token(owner: TokenOwner, failed: string | null): Promise<TokenAnswer> {
    const job = this.turn.then(() => this.answer(owner, failed));
    this.turn = job.catch(() => undefined);
    return job;
  }

  private async answer(owner: TokenOwner, failed: string | null): Promise<TokenAnswer> {
    const db = getDb(this.env.DB);
    const keys = (await readSecrets(this.env)).credentials;
    await this.replay();
    const stored = await loadOwnerTokens(db, owner);
    if (!stored?.sealed) return { ok: false, reason: "needs_reconnect", message: "No credentials are stored: install the app again." };
    const c = await openCredentials(keys, sealId(owner), stored.sealed);
    const due = renewAt(c);
    const now = Date.now();
    const stale = c.access_token === failed || (due !== null && due <= now);
    if (!stale) return { ok: true, token: c.access_token, renewAt: due };
    if (stored.refused) return { ok: false, reason: "needs_reconnect", message: stored.refused };
    if (!renewable(c)) {
      // A static token: nothing to renew it with. Refused, it needs a new one; merely old, it is tried.
      if (c.access_token !== failed) return { ok: true, token: c.access_token, renewAt: null };
      const message = "The upstream refused the access token and it cannot be refreshed: issue a new token or reconnect.";
      await markNeedsReconnect(db, owner, message, now);
      return { ok: false, reason: "needs_reconnect", message };
    }
    let next: Credentials;
    try {
      next = await this.renew(c, stored.row);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (refused(err)) {
        const why = `The upstream refused to renew the access token (${message.slice(0, 300)}). Reconnect the app.`;
        await markNeedsReconnect(db, owner, why, Date.now());
        return { ok: false, reason: "needs_reconnect", message: why };
      }
      if (err instanceof NeedsReconnect) {
        await markNeedsReconnect(db, owner, err.message, Date.now());
        return { ok: false, reason: "needs_reconnect", message: err.message };
      }
      return { ok: false, reason: "unavailable", message: `Renewing the access token failed for now: ${message.slice(0, 300)}` };
    }
    const sealed = await sealCredentials(keys, sealId(owner), next);
    const expiresAt = next.expires_at !== undefined ? next.expires_at * 1000 : null;
    const entry: Journal = { owner, sealed, expiresAt, at: Date.now() };
    await this.ctx.storage.put(JOURNAL, entry);
    await saveOwnerTokens(db, owner, sealed, expiresAt, entry.at);
    await this.ctx.storage.delete(JOURNAL);
    this.renewals++;
    return { ok: true, token: next.access_token, renewAt: renewAt(next) };
  }

  /** A pair received but not yet in D1 (the last answer died between the two writes) goes in first. */
  private async replay(): Promise<void> {
    const entry = await this.ctx.storage.get<Journal>(JOURNAL);
    if (!entry) return;
    await saveOwnerTokens(getDb(this.env.DB), entry.owner, entry.sealed, entry.expiresAt, entry.at);
    await this.ctx.storage.delete(JOURNAL);
  }

  private context(row: OwnerRow): UpstreamContext {
    const config = readConfig(this.env);
    // AmoCRM's token endpoint is on the account's host, inside its 7 per second: share the bucket.
    const limiter =
      row?.provider === "amocrm"
        ? rateLimiterFor(this.env.RATE_LIMITER, rateLimitKey(row), rateLimitConfigFrom(this.env, {}))
        : noopRateLimiter;
    // Few retries: a refresh whose answer was lost may have spent the token; asking again is all one can do.
    return { limiter, meter: new RequestMeter(), timeoutMs: config.UPSTREAM_TIMEOUT_MS, retries: { throttled: 6, transient: 2 } };
  }

  private async renew(c: Credentials, row: OwnerRow): Promise<Credentials> {
    const config = readConfig(this.env);
    const ctx = this.context(row);
    const issued = Math.floor(Date.now() / 1000);
    if (c.company_grant) {
      if (!row) throw new NeedsReconnect("An agency grant cannot mint its own location token.");
      const minted = await this.mint(c.company_grant, row.accountId, ctx);
      const expiresIn = minted.expires_in ?? 86_399;
      return { ...c, access_token: minted.access_token, issued_at: issued, expires_at: issued + Math.floor(expiresIn) };
    }
    const refreshToken = c.refresh_token as string;
    if (row?.provider === "amocrm") {
      const baseUrl = amoBaseUrl(row.accountId, row.baseUrl);
      const t = await amoTokenGrant(baseUrl, { clientId: c.client_id as string, clientSecret: c.client_secret as string, redirectUri: c.redirect_uri ?? "" }, ctx, { refreshToken });
      const at = t.server_time ?? issued;
      return { ...c, access_token: t.access_token, refresh_token: t.refresh_token, issued_at: at, expires_at: at + t.expires_in };
    }
    const baseUrl = row?.baseUrl ?? config.GHL_BASE_URL;
    const t = await ghlTokenGrant({ baseUrl, clientId: c.client_id as string, clientSecret: c.client_secret as string }, ctx, { refreshToken });
    if (!t.refresh_token) throw new UpstreamError("malformed", "GoHighLevel answered the refresh without a new refresh token.");
    return { ...c, access_token: t.access_token, refresh_token: t.refresh_token, issued_at: issued, expires_at: issued + Math.floor(t.expires_in ?? 86_399) };
  }

  /** A location token from the agency's token (asked of the agency's own broker; a 401 gets one fresh agency token). */
  private async mint(grantId: string, locationId: string, ctx: UpstreamContext) {
    const config = readConfig(this.env);
    // The agency grant's own broker (the naming of worker/tokens/stub.ts brokerFor).
    const grant = this.env.TOKEN_BROKER.get(this.env.TOKEN_BROKER.idFromName(`grant:${grantId}`));
    const owner: TokenOwner = { kind: "grant", id: grantId };
    let company = await grant.token(owner, null);
    const companyId = grantId.replace(/^ghl:/, "");
    for (let attempt = 0; ; attempt++) {
      if (!company.ok) {
        if (company.reason === "needs_reconnect") throw new NeedsReconnect(company.message);
        throw new UpstreamError("server", company.message);
      }
      try {
        return await ghlLocationToken(config.GHL_BASE_URL, ctx, company.token, companyId, locationId);
      } catch (err) {
        if (!(attempt === 0 && err instanceof UpstreamError && err.kind === "auth" && err.status === 401)) throw err;
        company = await grant.token(owner, company.token);
      }
    }
  }
}

/** A refusal that is not the upstream's answer to this owner's own grant (its agency's grant failed). */
class NeedsReconnect extends Error {}

