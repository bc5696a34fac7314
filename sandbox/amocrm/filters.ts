// Query parameters the AmoCRM way: PHP-style bracket keys (`filter[id][]=1`, `filter[id][0]=1`,
// `filter[updated_at][from]=...`, `order[id]=desc`), parsed by hand because URLSearchParams and
// hono see them as opaque names. Unknown filters are ignored, as AmoCRM does.
import { amoErrors } from "./envelope";
import type { Entity } from "./data/types";

export const MAX_LIMIT = 250;
const DEFAULT_LIMIT = 50;

interface Entry { path: string[]; value: string }

export type Pred<T> = (item: T) => boolean;

export class Query {
  private readonly entries: Entry[] = [];

  constructor(readonly url: URL) {
    for (const [key, value] of url.searchParams) {
      const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
      if (!m) continue;
      const rest = [...(m[2] ?? "").matchAll(/\[([^\]]*)\]/g)].map((x) => x[1] ?? "");
      this.entries.push({ path: [m[1] ?? "", ...rest], value });
    }
  }

  private at(path: string[], extra: number): Entry[] {
    return this.entries.filter((e) => e.path.length === path.length + extra && path.every((p, i) => e.path[i] === p));
  }

  /** First value of exactly this key (`query`, `filter[entity_type]`). */
  one(...path: string[]): string | undefined { return this.at(path, 0)[0]?.value; }

  /** Values of `key[]`, `key[0]`, `key[1]`... and a plain `key=`. */
  list(...path: string[]): string[] {
    const indexed = this.at(path, 1).filter((e) => /^\d*$/.test(e.path[path.length] ?? "x")).map((e) => e.value);
    return [...this.at(path, 0).map((e) => e.value), ...indexed];
  }

  /** Distinct next segments under a prefix: the field ids of `filter[custom_fields_values][<id>][]`. */
  children(...path: string[]): string[] {
    const out = new Set<string>();
    for (const e of this.entries) {
      if (e.path.length > path.length && path.every((p, i) => e.path[i] === p)) out.add(e.path[path.length] ?? "");
    }
    return [...out];
  }

  /** `order[<field>]=asc|desc`, the first allowed field named. */
  order(allowed: readonly string[]): { field: string; desc: boolean } | undefined {
    const e = this.entries.find((x) => x.path.length === 2 && x.path[0] === "order" && allowed.includes(x.path[1] ?? ""));
    return e ? { field: e.path[1] ?? "id", desc: e.value.toLowerCase() === "desc" } : undefined;
  }

  /** Names of `with=a,b`. */
  with(): Set<string> { return new Set((this.one("with") ?? "").split(",").map((s) => s.trim()).filter(Boolean)); }
}

const isInt = (s: string) => /^\d+$/.test(s);

/** `page` (1-based) and `limit` (1..250, default 50), or a 400 with validation errors. */
export function paging(q: Query): { page: number; limit: number } | Response {
  const rawPage = q.one("page"), rawLimit = q.one("limit");
  const errors: { path: string; detail: string }[] = [];
  const page = rawPage === undefined ? 1 : Number(rawPage);
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
  if (rawPage !== undefined && (!isInt(rawPage) || page < 1)) errors.push({ path: "page", detail: "page must be a positive integer" });
  if (rawLimit !== undefined && (!isInt(rawLimit) || limit < 1 || limit > MAX_LIMIT)) {
    errors.push({ path: "limit", detail: `limit must be an integer from 1 to ${MAX_LIMIT}` });
  }
  return errors.length ? amoErrors.validation(errors) : { page, limit };
}

/** Integer ids of a list filter; non-numeric values can never match, so they are dropped. */
export function idSet(values: string[]): Set<number> | undefined {
  return values.length ? new Set(values.filter(isInt).map(Number)) : undefined;
}

/**
 * `filter[<field>][from|to]` (inclusive Unix seconds); a bare `filter[<field>]=ts` means "from",
 * as the tasks API documents. A non-integer bound is a 400.
 */
export function range<T>(q: Query, field: string, get: (item: T) => number, preds: Pred<T>[]): Response | null {
  const bounds: [string | undefined, (v: number, b: number) => boolean][] = [
    [q.one("filter", field, "from") ?? q.one("filter", field), (v, b) => v >= b],
    [q.one("filter", field, "to"), (v, b) => v <= b],
  ];
  for (const [raw, ok] of bounds) {
    if (raw === undefined) continue;
    if (!isInt(raw)) return amoErrors.validation([{ path: `filter[${field}]`, detail: "must be a Unix timestamp in seconds" }]);
    const b = Number(raw);
    preds.push((item) => ok(get(item), b));
  }
  return null;
}

/** Filters every entity list shares: id, responsible user, created_at and updated_at ranges. */
export function entityFilters<T extends Entity>(q: Query, preds: Pred<T>[]): Response | null {
  const ids = idSet(q.list("filter", "id"));
  if (ids) preds.push((x) => ids.has(x.id));
  const users = idSet(q.list("filter", "responsible_user_id"));
  if (users) preds.push((x) => users.has(x.responsible_user_id));
  return range<T>(q, "updated_at", (x) => x.updated_at, preds) ?? range<T>(q, "created_at", (x) => x.created_at, preds);
}

/**
 * What every entity list starts with: the query, its paging and the shared entity filters, or the
 * 400 that one of them answered. Lists add their own predicates to `preds`.
 */
export function listRequest<T extends Entity>(url: string): { q: Query; pg: { page: number; limit: number }; preds: Pred<T>[] } | Response {
  const q = new Query(new URL(url));
  const pg = paging(q);
  if (pg instanceof Response) return pg;
  const preds: Pred<T>[] = [];
  return entityFilters(q, preds) ?? { q, pg, preds };
}

/** Filters (all must hold), then sorts by `order[...]` (default id asc; ties by id). */
export function select<T extends { id: number }>(items: readonly T[], preds: Pred<T>[], q: Query,
  orderFields: readonly string[]): T[] {
  const out = preds.length ? items.filter((x) => preds.every((p) => p(x))) : [...items];
  const order = q.order(orderFields);
  if (!order || (order.field === "id" && !order.desc)) return out; // stored in id order already
  const key = order.field as keyof T;
  const dir = order.desc ? -1 : 1;
  return out.sort((a, b) => {
    const av = a[key], bv = b[key];
    const d = typeof av === "number" && typeof bv === "number" ? av - bv : 0;
    return dir * (d || a.id - b.id);
  });
}
