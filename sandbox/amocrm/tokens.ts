// An account's credentials: a long-lived token that always works, and an OAuth pair that rotates.
// A refresh token is single use; refreshing retires the old access token too.

export const REDIRECT_URI = "https://crm-edge.example/oauth/amocrm";

export type RefreshOutcome =
  | { ok: true; accessToken: string; refreshToken: string; expiresIn: number }
  | { ok: false; hint: string; detail: string };

export class Tokens {
  readonly longLived: string;
  clientId: string;
  clientSecret: string;
  private access: { token: string; expiresAt: number };
  private refresh: string;
  private generation = 1;
  /** Refresh grants honoured, and spent refresh tokens shown again (tests check both). */
  refreshes = 0;
  /** The redirect_uri the current pair was issued for (a refresh must name it). */
  redirectUri = REDIRECT_URI;
  reuses = 0;
  /** Install codes (authorization_code grant): single use, 20 minutes, bound to a redirect_uri. */
  private readonly codes = new Map<string, { redirectUri: string; expiresAt: number }>();
  /** Refresh tokens used or revoked: showing one again is "revoked", not "unknown". */
  private readonly spent = new Set<string>();
  /** Old access tokens still identify the account (for stats) but no longer authorize. */
  private readonly retired = new Set<string>();

  constructor(private readonly subdomain: string, private ttlS: number, now: number) {
    this.longLived = `amo-${subdomain}-ll`;
    this.clientId = `amo-client-${subdomain}`;
    this.clientSecret = `amo-secret-${subdomain}`;
    // The first pair is predictable, so a local stack can be configured without asking.
    this.access = { token: `amo-${subdomain}-access-1`, expiresAt: now + ttlS * 1000 };
    this.refresh = `amo-${subdomain}-refresh-1`;
  }

  get accessToken(): string { return this.access.token; }
  get refreshToken(): string { return this.refresh; }

  /** Whether the token was ever issued by this account (valid or not). */
  owns(token: string): boolean {
    return token === this.longLived || token === this.access.token || this.retired.has(token);
  }

  isValid(token: string, now: number): boolean {
    return token === this.longLived || (token === this.access.token && now < this.access.expiresAt);
  }

  exchange(refreshToken: string, now: number): RefreshOutcome {
    if (this.spent.has(refreshToken)) this.reuses++;
    if (this.spent.has(refreshToken)) return { ok: false, hint: "Token has been revoked", detail: "The refresh token is invalid." };
    if (refreshToken !== this.refresh) {
      return { ok: false, hint: "Cannot decrypt the refresh token", detail: "The refresh token is invalid." };
    }
    this.spent.add(refreshToken);
    this.refreshes++;
    return this.rotate(now);
  }

  issueCode(redirectUri: string, now: number): string {
    const code = `amo-code-${crypto.randomUUID().replaceAll("-", "")}`;
    this.codes.set(code, { redirectUri, expiresAt: now + 20 * 60_000 });
    return code;
  }

  /** An install: the code (once, in time, for the same redirect_uri) buys a new pair; the old one is retired. */
  exchangeCode(code: string, redirectUri: string | undefined, now: number): RefreshOutcome {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresAt <= now) return { ok: false, hint: "Authorization code has expired", detail: "The authorization code is invalid." };
    if (entry.redirectUri !== redirectUri) return { ok: false, hint: "redirect_uri mismatch", detail: "The redirect_uri is invalid." };
    this.spent.add(this.refresh);
    this.redirectUri = entry.redirectUri;
    return this.rotate(now);
  }

  /** Sets the access token lifetime of pairs issued from now on. */
  setTtl(ttlS: number): void { this.ttlS = ttlS; }

  private rotate(now: number): RefreshOutcome {
    this.retired.add(this.access.token);
    this.generation++;
    const suffix = `${this.generation}-${crypto.randomUUID().slice(0, 8)}`;
    this.access = { token: `amo-${this.subdomain}-access-${suffix}`, expiresAt: now + this.ttlS * 1000 };
    this.refresh = `amo-${this.subdomain}-refresh-${suffix}`;
    return { ok: true, accessToken: this.access.token, refreshToken: this.refresh, expiresIn: this.ttlS };
  }

  /** The current access token stops working; the refresh token still gets a new one. */
  expireAccess(now: number): void { this.access.expiresAt = Math.min(this.access.expiresAt, now); }

  /** The current refresh token is revoked (as when a user removes the integration's access). */
  revokeRefresh(): void { this.spent.add(this.refresh); }
}
