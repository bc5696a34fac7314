// GoHighLevel OAuth as the simulator keeps it: the Marketplace app's client credentials, install
// codes (single use, 10 minutes), access tokens of two classes (Company: an agency; Location: one
// sub-account) with a configurable lifetime, and refresh tokens that are single use and rotate
// (GHL's OAuth FAQ). Location tokens minted from a Company token carry no refresh token.
// Counters let tests check how many refreshes were asked for and whether a spent one came back.

export type UserType = "Company" | "Location";
/** `ttlS`: this grant's access-token lifetime (else the app's); tests shorten it per grant. */
export type Grant = { userType: UserType; companyId: string; locationId: string | null; ttlS?: number };

/** The counters of one grant: by location id for Location grants, by company id for Company ones. */
export const grantKey = (g: Grant) => (g.userType === "Location" && g.locationId ? g.locationId : g.companyId);

export type TokenPair = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  scope: string;
  userType: UserType;
  companyId: string;
  locationId?: string;
  userId: string;
  approvedLocations?: string[];
};

export type OAuthStats = { codeExchanges: number; refreshes: number; refreshReuses: number; locationTokens: number; installedLocationsCalls: number };

const CODE_TTL_MS = 10 * 60_000;
export const SANDBOX_GHL_CLIENT_ID = "sbx-ghl-client";
export const SANDBOX_GHL_CLIENT_SECRET = "sbx-ghl-secret";
export const SANDBOX_GHL_SCOPES = "contacts.readonly conversations.readonly opportunities.readonly users.readonly oauth.readonly oauth.write locations.readonly";

const fresh = (prefix: string) => `${prefix}-${crypto.randomUUID().replaceAll("-", "")}`;

export class GhlOAuth {
  clientId = SANDBOX_GHL_CLIENT_ID;
  clientSecret = SANDBOX_GHL_CLIENT_SECRET;
  accessTtlS = 86_399;
  /** Every token-endpoint answer waits this long (a slow upstream: concurrent refreshes overlap). */
  tokenLatencyMs = 0;
  /** Agency id → the location ids the app is installed on. */
  readonly companies = new Map<string, string[]>();
  private readonly codes = new Map<string, { grant: Grant; expiresAt: number; used: boolean }>();
  private readonly access = new Map<string, { grant: Grant; expiresAt: number }>();
  private readonly refresh = new Map<string, { grant: Grant; used: boolean }>();
  stats: OAuthStats = this.zero();
  readonly byGrant = new Map<string, OAuthStats>();

  private count(g: Grant, field: keyof OAuthStats): void {
    this.stats[field]++;
    const key = grantKey(g);
    const s = this.byGrant.get(key) ?? this.zero();
    s[field]++;
    this.byGrant.set(key, s);
  }

  private zero(): OAuthStats {
    return { codeExchanges: 0, refreshes: 0, refreshReuses: 0, locationTokens: 0, installedLocationsCalls: 0 };
  }

  reset(): void {
    this.clientId = SANDBOX_GHL_CLIENT_ID;
    this.clientSecret = SANDBOX_GHL_CLIENT_SECRET;
    this.accessTtlS = 86_399;
    this.tokenLatencyMs = 0;
    this.companies.clear();
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.resetStats();
  }

  resetStats(): void {
    this.stats = this.zero();
    this.byGrant.clear();
  }

  issueCode(grant: Grant, now: number): string {
    const code = fresh("sbxcode");
    this.codes.set(code, { grant, expiresAt: now + CODE_TTL_MS, used: false });
    return code;
  }

  private pair(grant: Grant, now: number, withRefresh: boolean): TokenPair {
    const access_token = fresh(grant.userType === "Company" ? "sbxco" : "sbxloc");
    const ttlS = grant.ttlS ?? this.accessTtlS;
    this.access.set(access_token, { grant, expiresAt: now + ttlS * 1000 });
    const out: TokenPair = {
      access_token,
      token_type: "Bearer",
      expires_in: ttlS,
      scope: SANDBOX_GHL_SCOPES,
      userType: grant.userType,
      companyId: grant.companyId,
      userId: "sbx-installer",
      ...(grant.locationId ? { locationId: grant.locationId } : {}),
      ...(grant.userType === "Company" ? { approvedLocations: this.companies.get(grant.companyId) ?? [] } : {}),
    };
    if (withRefresh) {
      out.refresh_token = fresh("sbxrefresh");
      this.refresh.set(out.refresh_token, { grant, used: false });
    }
    return out;
  }

  /** `error` is what GHL's token endpoint says (400 `invalid_grant` and the like). */
  exchangeCode(code: string, now: number): TokenPair | { error: string; description: string } {
    const entry = this.codes.get(code);
    if (!entry || entry.used || entry.expiresAt <= now) return { error: "invalid_grant", description: "Invalid grant: authorization code is invalid" };
    entry.used = true;
    this.count(entry.grant, "codeExchanges");
    return this.pair(entry.grant, now, true);
  }

  exchangeRefresh(token: string, now: number): TokenPair | { error: string; description: string } {
    const entry = this.refresh.get(token);
    if (!entry) return { error: "invalid_grant", description: "Invalid grant: refresh token is invalid" };
    if (entry.used) {
      this.count(entry.grant, "refreshReuses");
      return { error: "invalid_grant", description: "Invalid grant: refresh token is invalid" };
    }
    entry.used = true;
    this.count(entry.grant, "refreshes");
    return this.pair(entry.grant, now, true);
  }

  mintLocationToken(company: Grant, locationId: string, now: number): TokenPair {
    const grant: Grant = { userType: "Location", companyId: company.companyId, locationId, ...(company.ttlS ? { ttlS: company.ttlS } : {}) };
    this.count(company, "locationTokens");
    this.count(grant, "locationTokens");
    return this.pair(grant, now, false);
  }

  /** The grant an access token stands for; "expired" when it did, undefined when it was never issued. */
  resolve(token: string, now: number): Grant | "expired" | undefined {
    const entry = this.access.get(token);
    if (!entry) return undefined;
    return entry.expiresAt <= now ? "expired" : entry.grant;
  }

  /** Every refresh token of a company (or a location) stops working: the user removed the app. */
  revoke(match: (g: Grant) => boolean): number {
    let n = 0;
    for (const entry of this.refresh.values()) {
      if (match(entry.grant) && !entry.used) {
        entry.used = true;
        n++;
      }
    }
    for (const entry of this.access.values()) if (match(entry.grant)) entry.expiresAt = 0;
    return n;
  }

  /** Access tokens of the grant stop working now (the refresh token still does). */
  expire(match: (g: Grant) => boolean): void {
    for (const entry of this.access.values()) if (match(entry.grant)) entry.expiresAt = 0;
  }
}
