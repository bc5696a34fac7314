// One location's data: generated once, then changed only through `mutate` (the control API).
// Sorted views and visible related records are cached and dropped on every mutation.
import { generateConversations, generateOpportunities } from "./activity";
import { EmailBook, SEED_EPOCH_MS, generateContacts, locationContext, makeContact } from "./generate";
import { intBelow, rngFor, type Rng } from "./prng";
import { toRec, type ContactRec, type ConversationSeed, type LocationContext, type OpportunitySeed } from "./types";

export type SortField = "dateAdded" | "dateUpdated";
export interface SortKey { field: SortField; dir: 1 | -1 }

export interface MutateRequest { update?: number | string[]; delete?: number | string[]; create?: number }
export interface MutateResult { updated: string[]; deleted: string[]; created: string[] }

export class UnknownContactsError extends Error {
  constructor(readonly ids: string[]) { super(`Unknown or deleted contact ids: ${ids.join(", ")}`); }
}

export function sortValue(rec: ContactRec, field: SortField): number {
  return field === "dateAdded" ? rec.added : rec.updated;
}

/** Total order used everywhere: the sort keys, then id ascending as the tie-break. */
export function compareRecs(a: ContactRec, b: ContactRec, keys: readonly SortKey[]): number {
  for (const k of keys) {
    const d = (sortValue(a, k.field) - sortValue(b, k.field)) * k.dir;
    if (d !== 0) return d;
  }
  return a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0;
}

export class LocationStore {
  readonly ctx: LocationContext;
  readonly seededCount: number;
  private readonly live = new Map<string, ContactRec>();
  private readonly deletedIds = new Set<string>();
  private readonly conversations: ConversationSeed[];
  private readonly opportunities: OpportunitySeed[];
  private readonly views = new Map<string, ContactRec[]>();
  private visible: { conversations: ConversationSeed[]; opportunities: OpportunitySeed[] } | null = null;
  private readonly mutRng: Rng;
  private lastMutationAt = SEED_EPOCH_MS;

  constructor(readonly id: string, count: number, readonly seed: number) {
    this.ctx = locationContext(id, seed);
    this.seededCount = count;
    const recs = generateContacts(this.ctx, count);
    for (const r of recs) this.live.set(r.c.id, r);
    this.conversations = generateConversations(this.ctx, recs);
    this.opportunities = generateOpportunities(this.ctx, recs);
    this.mutRng = rngFor(seed, id, "mutations");
  }

  get(id: string): ContactRec | undefined { return this.live.get(id); }
  get size(): number { return this.live.size; }
  get deleted(): string[] { return [...this.deletedIds]; }

  /** Live contacts in the given order; cached until the next mutation. */
  sorted(keys: readonly SortKey[]): ContactRec[] {
    const cacheKey = keys.map((k) => `${k.field}:${k.dir}`).join(",");
    let view = this.views.get(cacheKey);
    if (!view) {
      view = [...this.live.values()].sort((a, b) => compareRecs(a, b, keys));
      this.views.set(cacheKey, view);
    }
    return view;
  }

  /** Related records whose contact still exists (GHL removes them with the contact). */
  related(): { conversations: ConversationSeed[]; opportunities: OpportunitySeed[] } {
    if (!this.visible) {
      const alive = (r: { contactId: string }) => this.live.has(r.contactId);
      this.visible = {
        conversations: this.conversations.filter(alive),
        opportunities: this.opportunities.filter(alive),
      };
    }
    return this.visible;
  }

  /** Sandbox "now": real time, but strictly after the seed epoch and after the last mutation. */
  private tick(): number {
    this.lastMutationAt = Math.max(Date.now(), this.lastMutationAt + 1);
    return this.lastMutationAt;
  }

  private targets(spec: number | string[] | undefined, exclude: Set<string>): string[] {
    if (spec === undefined) return [];
    if (Array.isArray(spec)) {
      const unknown = spec.filter((id) => !this.live.has(id) || exclude.has(id));
      if (unknown.length) throw new UnknownContactsError(unknown);
      return [...new Set(spec)];
    }
    const pool = [...this.live.keys()].filter((id) => !exclude.has(id));
    const n = Math.min(Math.max(0, Math.floor(spec)), pool.length);
    // Partial Fisher-Yates on a seeded stream: the same call sequence picks the same contacts.
    for (let i = 0; i < n; i++) {
      const j = i + intBelow(this.mutRng, pool.length - i);
      const a = pool[i], b = pool[j];
      if (a === undefined || b === undefined) break;
      pool[i] = b; pool[j] = a;
    }
    return pool.slice(0, n);
  }

  /** The contacts the last mutation deleted, as they were (their webhooks carry the whole record). */
  lastRemoved: ContactRec[] = [];

  mutate(req: MutateRequest): MutateResult {
    const toDelete = this.targets(req.delete, new Set());
    const toUpdate = this.targets(req.update, new Set(toDelete));
    const now = this.tick();
    this.lastRemoved = toDelete.flatMap((id) => this.live.get(id) ?? []);
    for (const id of toDelete) { this.live.delete(id); this.deletedIds.add(id); }
    for (const id of toUpdate) {
      const rec = this.live.get(id);
      if (rec) this.live.set(id, toRec(revise(rec, now, this.mutRng() < 0.5), rec.added, now));
    }
    const created: string[] = [];
    const book = new EmailBook();
    for (const r of this.live.values()) if (r.c.emailLowerCase) book.add(r.c.emailLowerCase);
    for (let i = 0; i < Math.max(0, Math.floor(req.create ?? 0)); i++) {
      let c = makeContact(this.mutRng, this.ctx, { added: now, updated: now }, book);
      while (this.live.has(c.id) || this.deletedIds.has(c.id)) c = makeContact(this.mutRng, this.ctx, { added: now, updated: now }, book);
      this.live.set(c.id, toRec(c, now, now));
      created.push(c.id);
    }
    this.views.clear();
    this.visible = null;
    return { updated: toUpdate, deleted: toDelete, created };
  }
}

/** A visible edit: a new lastName suffix, or (if it has one) a new email; always a new dateUpdated. */
function revise(rec: ContactRec, now: number, changeEmail: boolean) {
  const c = { ...rec.c, dateUpdated: new Date(now).toISOString() };
  const rev = (now % 100_000).toString(36);
  if (changeEmail && c.email) {
    const [local = "contact", domain = "example.com"] = c.email.replace(/\+v[0-9a-z]+(?=@)/, "").split("@");
    c.email = `${local}+v${rev}@${domain}`;
    c.emailLowerCase = c.email.toLowerCase();
  } else {
    const last = `${(c.lastName ?? "Updated").replace(/-v[0-9a-z]+$/, "")}-v${rev}`;
    const full = c.firstName ? `${c.firstName} ${last}` : last;
    Object.assign(c, { lastName: last, lastNameLowerCase: last.toLowerCase(), contactName: full, name: full, fullNameLowerCase: full.toLowerCase() });
  }
  return c;
}
