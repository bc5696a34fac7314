// The simulator's whole state: locations (data + token + faults) and accounts (limiter + stats).
// Plain classes with an injectable clock, so it runs the same in a Durable Object or a unit test.
import { LocationStore } from "./data/store";
import { FaultState } from "./faults";
import { AmoAccounts, parseAmoSeeds, type AmoAccountInit } from "./amocrm/accounts";
import { Account, type RateConfig } from "./limits";
import { Users } from "./users";
import { GhlOAuth } from "./ghl/oauth-state";
import { WebhookSender } from "./webhooks";

export interface SeedLocation { id: string; contacts: number; seed?: number }

export interface SandboxOptions {
  seedLocations: SeedLocation[];
  /** Rate config of every new account unless a location brings its own. */
  rate: RateConfig;
  /** Seeded AmoCRM accounts; absent means the default (`SANDBOX_AMO_ACCOUNTS` unset). */
  amoAccounts?: AmoAccountInit[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LocationInit {
  id: string;
  contacts?: number;
  seed?: number;
  token?: string;
  accountId?: string;
  rate?: RateConfig;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_CONTACTS = 1000;
export const DEFAULT_RATE: RateConfig = { max: 100, intervalMs: 10_000, daily: 200_000, retryAfter: false };

/** Seeded locations answer to `sbx-<locationId>` unless created with another token. */
export const defaultToken = (locationId: string): string => `sbx-${locationId}`;

export class Location {
  readonly faults: FaultState;
  constructor(readonly store: LocationStore, readonly token: string, readonly accountId: string) {
    this.faults = new FaultState(store.id);
  }
}

export class TokenConflictError extends Error {}

export class Sandbox {
  readonly locations = new Map<string, Location>();
  readonly accounts = new Map<string, Account>();
  /** The AmoCRM simulator's accounts (sandbox/amocrm), keyed by subdomain. */
  readonly amo: AmoAccounts;
  /** GoHighLevel users (GET /users/:id), for the Worker's SSO confirmation. */
  readonly users = new Users();
  /** The GoHighLevel Marketplace app: install codes, Company and Location tokens, refresh tokens. */
  readonly ghlOAuth = new GhlOAuth();
  /** GoHighLevel webhooks sent on every contact mutation (sandbox/webhooks.ts). */
  readonly webhooks: WebhookSender;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: SandboxOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.amo = new AmoAccounts(options.amoAccounts ?? parseAmoSeeds(undefined), this.now);
    this.webhooks = new WebhookSender(this.now, this.sleep);
    this.reset();
  }

  /** Back to the configured seed: mutations, faults, custom locations, limiters and stats all go (AmoCRM too). */
  reset(): void {
    this.locations.clear();
    this.accounts.clear();
    this.amo.reset();
    this.users.reset([]);
    this.ghlOAuth.reset();
    this.webhooks.reset();
    for (const s of this.options.seedLocations) this.upsert({ id: s.id, contacts: s.contacts, seed: s.seed });
  }

  /** Creates or replaces a location (regenerated deterministically from id + seed). */
  upsert(init: LocationInit): Location {
    const token = init.token ?? defaultToken(init.id);
    for (const other of this.locations.values()) {
      if (other.store.id !== init.id && other.token === token) {
        throw new TokenConflictError(`token already belongs to location ${other.store.id}`);
      }
    }
    const store = new LocationStore(init.id, init.contacts ?? DEFAULT_CONTACTS, init.seed ?? DEFAULT_SEED);
    const accountId = init.accountId ?? init.id;
    let account = this.accounts.get(accountId);
    if (!account) {
      account = new Account(accountId, { ...this.options.rate });
      this.accounts.set(accountId, account);
    }
    if (init.rate) account.limiter.config = { ...init.rate };
    const loc = new Location(store, token, accountId);
    this.locations.set(init.id, loc);
    this.users.seedLocation(init.id);
    this.pruneAccounts();
    return loc;
  }

  remove(id: string): boolean {
    const removed = this.locations.delete(id);
    this.pruneAccounts();
    return removed;
  }

  byToken(token: string): Location | undefined {
    for (const loc of this.locations.values()) if (loc.token === token) return loc;
    return undefined;
  }

  /**
   * Who a bearer token is: a location (its static token, or a live OAuth Location token), or why
   * not: an OAuth token that expired, or a Company token (contact endpoints refuse the agency class).
   */
  resolveBearer(token: string): Location | "expired" | "company" | undefined {
    const stat = this.byToken(token);
    if (stat) return stat;
    const grant = this.ghlOAuth.resolve(token, this.now());
    if (grant === undefined || grant === "expired") return grant;
    if (grant.userType === "Company" || !grant.locationId) return "company";
    return this.locations.get(grant.locationId);
  }

  accountOf(loc: Location): Account {
    const account = this.accounts.get(loc.accountId);
    if (!account) throw new Error(`no account ${loc.accountId} for location ${loc.store.id}`);
    return account;
  }

  /** Accepts an account id or a location id (which resolves to that location's account). */
  findAccount(id: string): Account | undefined {
    const loc = this.locations.get(id);
    return this.accounts.get(id) ?? (loc ? this.accounts.get(loc.accountId) : undefined);
  }

  /** Accounts nobody points at any more would otherwise linger with stale stats. */
  private pruneAccounts(): void {
    const used = new Set([...this.locations.values()].map((l) => l.accountId));
    for (const id of this.accounts.keys()) if (!used.has(id)) this.accounts.delete(id);
  }
}

/** `"demo:25000,other:500"` (optionally `id:count:seed`) to seed specs; bad entries are skipped. */
export function parseSeedLocations(raw: string | undefined): SeedLocation[] {
  if (raw === undefined) return [{ id: "demo", contacts: 25_000 }];
  const out: SeedLocation[] = [];
  for (const part of raw.split(",")) {
    const [id, count, seed] = part.trim().split(":");
    const contacts = Number(count);
    if (!id || !Number.isInteger(contacts) || contacts < 0) continue;
    const s = seed === undefined ? undefined : Number(seed);
    out.push(s !== undefined && Number.isInteger(s) ? { id, contacts, seed: s } : { id, contacts });
  }
  return out;
}
