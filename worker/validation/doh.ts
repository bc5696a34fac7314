// The one I/O piece of validation: mail routing over DNS-over-HTTPS (JSON API, as served by
// Cloudflare and Google: GET ?name=&type= with accept: application/dns-json), with a per-domain
// cache that honours the answer's TTL and joins concurrent lookups of the same domain.
import type { MxAnswer, MxResolver } from "./email";

type DohRecord = { name?: string; type?: number; TTL?: number; data?: string };
type DohBody = { Status?: number; Answer?: DohRecord[] };

const TYPE = { A: 1, MX: 15, AAAA: 28 } as const;
const MIN_TTL_S = 60;
const MAX_TTL_S = 86_400;
/** Negative answers (no such domain, no mail host): RFC 2308 style, without reading the SOA. */
const NEGATIVE_TTL_S = 300;
/** Failures say nothing about the domain: remember them only long enough to spare a batch. */
const ERROR_TTL_S = 30;

export type DohOptions = {
  url: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** Shared between resolvers (per isolate) so every batch profits from earlier lookups. */
  cache?: DohCache;
};

type Entry = { answer: MxAnswer; expiresAt: number };

export class DohCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(maxEntries = 50_000) {
    this.maxEntries = maxEntries;
  }

  get(domain: string, now: number): Entry | undefined {
    const hit = this.entries.get(domain);
    if (hit && hit.expiresAt > now) return hit;
    if (hit) this.entries.delete(domain);
    return undefined;
  }

  set(domain: string, entry: Entry): void {
    // Oldest first out: Map keeps insertion order.
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(domain, entry);
  }
}

export class DohTimeout extends Error {}

/** TTL of an answer in ms, clamped; failures and negatives get fixed short TTLs. */
function ttlMs(answer: MxAnswer, records: DohRecord[]): number {
  if (answer.kind === "dns_error") return ERROR_TTL_S * 1000;
  if (answer.kind === "nxdomain" || answer.kind === "no_mail_host") return NEGATIVE_TTL_S * 1000;
  const ttls = records.map((r) => r.TTL).filter((t): t is number => typeof t === "number");
  const ttl = ttls.length ? Math.min(...ttls) : MIN_TTL_S;
  return Math.min(MAX_TTL_S, Math.max(MIN_TTL_S, ttl)) * 1000;
}

export class DohResolver implements MxResolver {
  private readonly inFlight = new Map<string, Promise<MxAnswer>>();
  private readonly fetcher: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  readonly cache: DohCache;
  /** Lookups that went to the network (for tests and metrics). */
  lookups = 0;

  constructor(private readonly opts: DohOptions) {
    this.fetcher = opts.fetch ?? ((input, init) => fetch(input, init));
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.cache = opts.cache ?? new DohCache();
  }

  /** The cached answer with its expiry, if fresh (the D1 layer persists these). */
  peek(domain: string): Entry | undefined {
    return this.cache.get(domain, this.now());
  }

  prime(domain: string, answer: MxAnswer, expiresAt: number): void {
    if (expiresAt > this.now()) this.cache.set(domain, { answer, expiresAt });
  }

  resolve(domain: string): Promise<MxAnswer> {
    const hit = this.cache.get(domain, this.now());
    if (hit) return Promise.resolve(hit.answer);
    let pending = this.inFlight.get(domain);
    if (!pending) {
      pending = this.lookup(domain).finally(() => this.inFlight.delete(domain));
      this.inFlight.set(domain, pending);
    }
    return pending;
  }

  private async query(name: string, type: number): Promise<{ status: number; records: DohRecord[] }> {
    const url = new URL(this.opts.url);
    url.searchParams.set("name", name);
    url.searchParams.set("type", String(type));
    let res: Response;
    try {
      res = await this.fetcher(url.toString(), {
        headers: { accept: "application/dns-json" },
        signal: AbortSignal.timeout(this.timeoutMs),
        // A redirect is an answer we did not ask for: treated as a failed lookup, never followed.
        redirect: "manual",
      });
    } catch (err) {
      if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) throw new DohTimeout();
      throw err;
    }
    if (!res.ok) throw new Error(`DoH answered HTTP ${res.status}`);
    const body = (await res.json()) as DohBody;
    if (typeof body.Status !== "number") throw new Error("DoH answer without Status");
    const records = (body.Answer ?? []).filter((r) => r.type === type);
    return { status: body.Status, records };
  }

  private async lookup(domain: string): Promise<MxAnswer> {
    this.lookups++;
    let answer: MxAnswer;
    let records: DohRecord[] = [];
    try {
      const mx = await this.query(domain, TYPE.MX);
      records = mx.records;
      if (mx.status === 3) answer = { kind: "nxdomain" };
      else if (mx.status !== 0) answer = { kind: "dns_error", detail: "servfail" };
      else if (mx.records.length > 0) {
        // RFC 7505: a single "0 ." MX says the domain accepts no mail at all.
        const isNull = mx.records.length === 1 && /^\s*0\s+\.\s*$/.test(mx.records[0]?.data ?? "");
        answer = { kind: isNull ? "null_mx" : "mx" };
      } else {
        // No MX: RFC 5321 §5.1 falls back to the domain's own address records.
        const [a, aaaa] = await Promise.all([this.query(domain, TYPE.A), this.query(domain, TYPE.AAAA)]);
        records = [...a.records, ...aaaa.records];
        answer = records.length > 0 ? { kind: "a_fallback" } : { kind: "no_mail_host" };
      }
    } catch (err) {
      answer = { kind: "dns_error", detail: err instanceof DohTimeout ? "timeout" : "bad_response" };
    }
    this.cache.set(domain, { answer, expiresAt: this.now() + ttlMs(answer, records) });
    return answer;
  }
}
