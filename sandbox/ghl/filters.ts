// `filters` of POST /contacts/search compiled to a predicate. Supports the operators the sync
// uses (range on dates, eq on email/id) plus a few cheap extras; anything else is a 422.
import type { ContactRec } from "../data/types";

export type Pred = (r: ContactRec) => boolean;

const MAX_STRING = 75;

/** Lowercased string fields; email matches case-insensitively like GHL. */
const STRING_FIELDS: Record<string, (r: ContactRec) => string | undefined> = {
  id: (r) => r.c.id,
  email: (r) => r.c.emailLowerCase,
  firstName: (r) => r.c.firstNameLowerCase,
  lastName: (r) => r.c.lastNameLowerCase,
  companyName: (r) => r.c.companyName?.toLowerCase(),
  phone: (r) => r.c.phone,
  source: (r) => r.c.source.toLowerCase(),
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toMs(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.length <= MAX_STRING) {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function rangePred(field: string, value: unknown, errs: string[]): Pred | null {
  if (!isObject(value)) { errs.push(`filters: ${field} range value must be an object with gte/gt/lte/lt`); return null; }
  const bounds: [string, (a: number, b: number) => boolean][] = [
    ["gte", (a, b) => a >= b], ["gt", (a, b) => a > b], ["lte", (a, b) => a <= b], ["lt", (a, b) => a < b],
  ];
  const checks: [number, (a: number, b: number) => boolean][] = [];
  for (const [key, op] of bounds) {
    if (value[key] === undefined) continue;
    const ms = toMs(value[key]);
    if (ms === undefined) { errs.push(`filters: ${field}.${key} must be an ISO-8601 date or epoch milliseconds`); return null; }
    checks.push([ms, op]);
  }
  if (!checks.length) { errs.push(`filters: ${field} range needs at least one of gte, gt, lte, lt`); return null; }
  const get = field === "dateAdded" ? (r: ContactRec) => r.added : (r: ContactRec) => r.updated;
  return (r) => checks.every(([ms, op]) => op(get(r), ms));
}

function stringPred(field: string, operator: string, value: unknown, errs: string[]): Pred | null {
  const get = STRING_FIELDS[field];
  if (!get) return null;
  if (operator === "exists") return (r) => !!get(r);
  if (operator === "not_exists") return (r) => !get(r);
  const values = Array.isArray(value) ? value : [value];
  if (!values.length || !values.every((v): v is string => typeof v === "string" && v.length <= MAX_STRING)) {
    errs.push(`filters: ${field} value must be a string of at most ${MAX_STRING} characters`);
    return null;
  }
  const wanted = field === "id" ? values : values.map((v) => v.toLowerCase());
  switch (operator) {
    case "eq": { const set = new Set(wanted); return (r) => set.has(get(r) ?? "\u0000"); }
    case "not_eq": { const set = new Set(wanted); return (r) => !set.has(get(r) ?? "\u0000"); }
    case "contains": return (r) => wanted.some((w) => (get(r) ?? "").includes(w));
    case "not_contains": return (r) => !wanted.some((w) => (get(r) ?? "").includes(w));
    default: errs.push(`filters: operator "${operator}" is not supported for ${field}`); return null;
  }
}

function leafPred(f: Record<string, unknown>, errs: string[]): Pred | null {
  const { field, operator, value } = f;
  if (typeof field !== "string" || typeof operator !== "string") {
    errs.push("filters: each filter needs string field and operator");
    return null;
  }
  if (field === "dateAdded" || field === "dateUpdated") {
    if (operator === "range") return rangePred(field, value, errs);
    errs.push(`filters: operator "${operator}" is not supported for ${field}; use range`);
    return null;
  }
  if (field === "tags" && (operator === "eq" || operator === "contains")) {
    const tags = Array.isArray(value) ? value : [value];
    return (r) => tags.some((t) => typeof t === "string" && r.c.tags.includes(t));
  }
  const before = errs.length;
  const pred = stringPred(field, operator, value, errs);
  if (!pred && errs.length === before) errs.push(`filters: field "${field}" is not supported`);
  return pred;
}

/** Compiles one filter or group; pushes messages to `errs` and returns null on error. */
export function compileFilter(f: unknown, errs: string[]): Pred | null {
  if (!isObject(f)) { errs.push("filters: each filter must be an object"); return null; }
  if (f.group !== undefined) {
    if ((f.group !== "AND" && f.group !== "OR") || !Array.isArray(f.filters)) {
      errs.push('filters: a group needs group "AND" | "OR" and a filters array');
      return null;
    }
    const preds = f.filters.map((x) => compileFilter(x, errs));
    if (preds.some((p) => p === null)) return null;
    const ok = preds.filter((p): p is Pred => p !== null);
    return f.group === "AND" ? (r) => ok.every((p) => p(r)) : (r) => ok.some((p) => p(r));
  }
  return leafPred(f, errs);
}

/** Top-level filters are ANDed; an empty list matches everything. */
export function compileFilters(filters: unknown[], errs: string[]): Pred | null {
  if (!filters.length) return null;
  return compileFilter({ group: "AND", filters }, errs);
}
