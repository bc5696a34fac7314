// AmoCRM OAuth: the access token of a location, refreshed when upstream says it expired (401) or
// it is about to. Refresh tokens are single-use, so a refresh must happen once however many runs
// hit the 401 together: callers in one isolate share one refresh, and a caller in another isolate
// first looks whether the stored credentials already moved on. Every new pair is stored
// (encrypted) before it is used. Long-lived tokens are never refreshed.
import type { z } from "zod";
import type { Credentials } from "../../../shared/schemas/locations";
import { UpstreamError, sendJson, type UpstreamContext } from "../upstream";
import { tokenResponseSchema } from "./schemas";

/** Reads and writes a location's sealed credentials. */
export type CredentialStore = { load(): Promise<Credentials>; save(credentials: Credentials): Promise<void> };

/** Refresh this long before expires_at rather than spend a request on a 401. */
const EXPIRY_MARGIN_MS = 60_000;
const refreshing = new Map<string, Promise<Credentials>>();

export class AmoTokens {
  constructor(
    private credentials: Credentials,
    private readonly store: CredentialStore,
    private readonly tokenUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  get accessToken(): string {
    return this.credentials.access_token;
  }

  get canRefresh(): boolean {
    const c = this.credentials;
    return !c.long_lived && Boolean(c.refresh_token && c.client_id && c.client_secret);
  }

  expiresSoon(): boolean {
    const at = this.credentials.expires_at;
    return this.canRefresh && at !== undefined && at * 1000 - EXPIRY_MARGIN_MS <= this.now();
  }

  /** Replaces `failedToken` with a fresh one, unless that already happened. */
  async refresh(ctx: UpstreamContext, failedToken: string): Promise<void> {
    if (this.credentials.access_token !== failedToken) return;
    if (!this.canRefresh) {
      throw new UpstreamError("auth", "AmoCRM refused the access token and it cannot be refreshed (long-lived or no refresh token): issue a new token.", 401);
    }
    const key = `${this.tokenUrl}|${this.credentials.refresh_token}`;
    let pending = refreshing.get(key);
    if (!pending) {
      pending = this.exchange(ctx).finally(() => refreshing.delete(key));
      refreshing.set(key, pending);
    }
    this.credentials = await pending;
  }

  private async exchange(ctx: UpstreamContext): Promise<Credentials> {
    const current = this.credentials;
    const stored = await this.store.load();
    if (stored.access_token !== current.access_token) return stored; // refreshed elsewhere meanwhile
    let answer: z.infer<typeof tokenResponseSchema> | null;
    try {
      answer = await sendJson(
        {
          url: this.tokenUrl,
          method: "POST",
          headers: {},
          body: {
            client_id: current.client_id,
            client_secret: current.client_secret,
            grant_type: "refresh_token",
            refresh_token: current.refresh_token,
            redirect_uri: current.redirect_uri,
          },
        },
        tokenResponseSchema,
        ctx,
      );
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.retryable) throw err;
      const again = await this.store.load();
      if (again.access_token !== current.access_token) return again; // another isolate won the race
      throw new UpstreamError("auth", `AmoCRM refused to refresh the access token (${err.message}). Reconnect the integration.`, err.status);
    }
    if (!answer) throw new UpstreamError("malformed", "AmoCRM answered the token refresh with an empty body.");
    const issuedAt = answer.server_time ?? Math.floor(this.now() / 1000);
    const next: Credentials = {
      ...current,
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      expires_at: issuedAt + answer.expires_in,
    };
    await this.store.save(next);
    return next;
  }
}
