// Simulated AmoCRM accounts: data (generated lazily), tokens, throttle, stats and faults per
// subdomain. Seeded from the SANDBOX_AMO_ACCOUNTS var; `reset()` goes back to exactly that.
import { hash32 } from "../data/prng";
import { generateActivity } from "./data/activity";
import type { GenerateSpec } from "./data/basics";
import { generateAccount } from "./data/generate";
import type { AccountActivity, AccountCore, AmoContact } from "./data/types";
import { DEFAULT_AMO_RATE, DEFAULT_BLOCK, Throttle, type AmoRate, type BlockConfig } from "./limiter";
import { AmoStats } from "./stats";
import { Tokens } from "./tokens";

export interface AmoAccountInit {
  subdomain: string;
  contacts: number;
  companies: number;
  matchingCompanies: number;
  seed: number;
  accessTtlS: number;
  rate: AmoRate;
  block: BlockConfig;
}

export const DEFAULT_AMO_SEED = "amodemo:25000:2000";

/**
 * `error5xx`: the next n calls get 502. `latencyMs`: every accepted call waits this long first.
 * `deleteAfterPage`: once the contacts list has served page `page` (a paged pass, no id filter),
 * the contacts `ids` are deleted, as a user deleting contacts while a sync pages through them.
 */
export interface AmoFaults {
  error5xx: number;
  latencyMs: number;
  deleteAfterPage: { page: number; ids: number[] } | null;
}
export const NO_AMO_FAULTS: AmoFaults = { error5xx: 0, latencyMs: 0, deleteAfterPage: null };

export class AmoAccount {
  readonly subdomain: string;
  readonly accountId: number;
  readonly spec: GenerateSpec;
  readonly throttle: Throttle;
  readonly tokens: Tokens;
  stats = new AmoStats();
  faults: AmoFaults = { ...NO_AMO_FAULTS };
  /** Contact ids deleted through the control API or a `deleteAfterPage` fault, in deletion order. */
  readonly deletedContacts: number[] = [];
  private coreData: AccountCore | undefined;
  private activityData: AccountActivity | undefined;

  constructor(init: AmoAccountInit, now: number) {
    this.subdomain = init.subdomain;
    this.accountId = 28_000_000 + (hash32(`amo:${init.subdomain}`) % 2_000_000);
    this.spec = { subdomain: init.subdomain, accountId: this.accountId, seed: init.seed, contacts: init.contacts,
      companies: init.companies, matchingCompanies: init.matchingCompanies };
    this.throttle = new Throttle(init.rate, init.block);
    this.tokens = new Tokens(init.subdomain, init.accessTtlS, now);
  }

  /** Contacts and companies, generated on first use. */
  get core(): AccountCore { return (this.coreData ??= generateAccount(this.spec)); }

  /** Notes and tasks, generated on first use. */
  get activity(): AccountActivity {
    return (this.activityData ??= generateActivity(this.spec, this.core.contacts, this.core.companies));
  }

  /** Binary search: contacts are sorted by id. */
  private contactIndex(id: number): number {
    const list = this.core.contacts;
    let lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = list[mid]?.id ?? 0;
      if (c === id) return mid;
      if (c < id) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  contact(id: number): AmoContact | undefined { return this.core.contacts[this.contactIndex(id)]; }

  /** Renames a contact (a new suffix on `name`) and stamps `updated_at`; everything else stays. */
  touch(id: number, atS: number): boolean {
    const i = this.contactIndex(id);
    const c = this.core.contacts[i];
    if (!c) return false;
    const m = /^(.*) \(upd (\d+)\)$/.exec(c.name);
    const name = m ? `${m[1]} (upd ${Number(m[2]) + 1})` : `${c.name} (upd 1)`;
    this.core.contacts[i] = { ...c, name, updated_at: atS };
    return true;
  }

  /** Deletes contacts: gone from every list and from their companies. Unknown ids are ignored. */
  remove(ids: readonly number[]): number[] {
    const gone = new Set(ids.filter((id) => this.contactIndex(id) >= 0));
    if (gone.size === 0) return [];
    const core = this.core;
    core.contacts = core.contacts.filter((c) => !gone.has(c.id));
    for (const [company, members] of core.companyContacts) core.companyContacts.set(company, members.filter((id) => !gone.has(id)));
    this.deletedContacts.push(...gone);
    return [...gone];
  }

  /** Fresh stats, an empty limiter window, no block. */
  resetTraffic(): void { this.stats = new AmoStats(); this.throttle.reset(); }
}

/** `"amodemo:25000:2000,small:500:50:7"` (subdomain:contacts:companies[:seed]); bad entries are skipped. */
export function parseAmoSeeds(raw: string | undefined): AmoAccountInit[] {
  const out: AmoAccountInit[] = [];
  for (const part of (raw ?? DEFAULT_AMO_SEED).split(",")) {
    const [subdomain, c, co, s] = part.trim().split(":");
    const contacts = Number(c), companies = Number(co), seed = s === undefined ? 1 : Number(s);
    if (!subdomain || ![contacts, companies, seed].every(Number.isInteger) || contacts < 0 || companies < 0) continue;
    out.push(withDefaults({ subdomain, contacts, companies, seed }));
  }
  return out;
}

/** Fills the defaults; 50 matching companies unless the account is too small to hold them. */
export function withDefaults(p: Partial<AmoAccountInit> & { subdomain: string }): AmoAccountInit {
  const contacts = p.contacts ?? 1000;
  const companies = p.companies ?? 200;
  return {
    subdomain: p.subdomain, contacts, companies,
    matchingCompanies: p.matchingCompanies ?? Math.min(50, companies, Math.floor(contacts / 9)),
    seed: p.seed ?? 1, accessTtlS: p.accessTtlS ?? 86_400,
    rate: p.rate ?? { ...DEFAULT_AMO_RATE }, block: p.block ?? { ...DEFAULT_BLOCK },
  };
}

export class AmoAccounts {
  private readonly bySubdomain = new Map<string, AmoAccount>();

  constructor(private readonly seeds: AmoAccountInit[], readonly now: () => number) { this.reset(); }

  reset(): void {
    this.bySubdomain.clear();
    for (const s of this.seeds) this.upsert(s);
  }

  upsert(init: AmoAccountInit): AmoAccount {
    const account = new AmoAccount(init, this.now());
    this.bySubdomain.set(init.subdomain, account);
    return account;
  }

  get(subdomain: string): AmoAccount | undefined { return this.bySubdomain.get(subdomain); }

  byToken(token: string): AmoAccount | undefined {
    for (const a of this.bySubdomain.values()) if (a.tokens.owns(token)) return a;
    return undefined;
  }

  byClientId(clientId: string): AmoAccount | undefined {
    for (const a of this.bySubdomain.values()) if (a.tokens.clientId === clientId) return a;
    return undefined;
  }
}
