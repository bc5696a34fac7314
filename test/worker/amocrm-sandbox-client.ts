// Typed test access to the AmoCRM simulator in sandbox/amocrm: its control API and its v4 API, on
// the hosts production uses (the pool's outboundService routes every host to the sandbox).
// The types restate the contract on purpose: they are the check that the simulator keeps to it.
import { SANDBOX } from "./helpers";

export interface AmoSummary {
  subdomain: string;
  account_id: number;
  long_lived_token: string;
  oauth: { client_id: string; client_secret: string; redirect_uri: string; access_token: string; refresh_token: string };
  filter: { responsible_user_id: number; custom_field_id: number; value: string };
  counts: { contacts: number; companies: number; contact_notes: number; company_notes: number; tasks: number };
}

export interface AmoFieldValue { value: string; enum_id?: number; enum_code?: string }
export interface AmoCustomField { field_id: number; field_name: string; field_code: string | null; field_type: string; values: AmoFieldValue[] }
export interface AmoRef { id: number; _links: { self: { href: string } } }

export interface AmoContact {
  id: number; name: string; first_name: string; last_name: string; responsible_user_id: number; group_id: number;
  created_by: number; updated_by: number; created_at: number; updated_at: number; closest_task_at: number | null;
  is_deleted: false; custom_fields_values: AmoCustomField[] | null; account_id: number; _links: { self: { href: string } };
  _embedded: { tags: { id: number; name: string; color: null }[]; companies: AmoRef[] };
}

export interface AmoCompany {
  id: number; name: string; responsible_user_id: number; updated_at: number; created_at: number;
  custom_fields_values: AmoCustomField[] | null; account_id: number;
  _embedded: { tags: unknown[]; contacts?: AmoRef[] };
}

export interface AmoNote { id: number; entity_id: number; note_type: string; updated_at: number; params: Record<string, unknown> }
export interface AmoTask { id: number; entity_id: number; entity_type: string; is_completed: boolean; updated_at: number }

export interface AmoTruth {
  filter: AmoSummary["filter"];
  matching: {
    companies: number[]; contacts: number[]; contact_notes: number[]; contact_tasks: number[]; company_notes: number[]; company_tasks: number[];
    notes_per_contact: Record<string, number>; tasks_per_contact: Record<string, number>;
  };
  all: { contacts: number; contact_notes: number; contact_tasks: number };
  contacts: Record<string, AmoContact>;
  contact_ids: number[];
  deleted_contacts: number[];
}

export interface AmoStats {
  requests: number; requests429: number; requests403: number; requests5xx: number; blocked: boolean; blockedCount: number;
  maxPerSecond: number; perSecond: { second: number; count: number }[]; byEndpoint: Record<string, number>;
  firstAt: number | null; lastAt: number | null;
}

export interface AmoPage<T> {
  _page: number;
  _links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
  _embedded: Record<string, T[]>;
}

export interface CreateAccount {
  contacts?: number; companies?: number; matching_companies?: number; seed?: number; access_ttl_s?: number;
  rate?: { max: number; intervalMs: number }; block?: { after429: number; windowMs: number; durationMs: number };
}

async function call<T>(method: string, path: string, body?: unknown, expected = 200): Promise<T> {
  const res = await fetch(`${SANDBOX}/__sandbox/amocrm${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== expected) throw new Error(`amocrm sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const amoSandbox = {
  createAccount: (subdomain: string, init: CreateAccount = {}) => call<AmoSummary>("POST", "/accounts", { subdomain, ...init }, 201),
  account: (sub: string) => call<AmoSummary>("GET", `/accounts/${sub}`),
  truth: (sub: string) => call<AmoTruth>("GET", `/accounts/${sub}/truth`),
  contact: (sub: string, id: number) => call<AmoContact>("GET", `/accounts/${sub}/contacts/${id}`),
  mutate: (sub: string, contacts: number | number[]) => call<{ updated: number[]; at: number }>("POST", `/accounts/${sub}/mutate`, { contacts }),
  expireAccess: (sub: string) => call<AmoSummary>("POST", `/accounts/${sub}/expire-access`),
  revokeRefresh: (sub: string) => call<AmoSummary>("POST", `/accounts/${sub}/revoke-refresh`),
  faults: (sub: string, faults: { error5xx?: number; latencyMs?: number; deleteAfterPage?: { page: number; ids: number[] } | null }) =>
    call<{ error5xx: number; latencyMs: number }>("PUT", `/accounts/${sub}/faults`, faults),
  deleteContacts: (sub: string, ids: number[]) => call<{ deleted: number[] }>("POST", `/accounts/${sub}/delete`, { contacts: ids }),
  stats: (sub: string) => call<AmoStats>("GET", `/accounts/${sub}/stats`),
  resetStats: (sub: string) => call<{ ok: true }>("POST", `/accounts/${sub}/stats/reset`),
};

/** A v4 API call on the account's own host, e.g. `amoGet(sub, "/api/v4/contacts?limit=250", token)`. */
export function amoGet(sub: string, pathAndQuery: string, token?: string, host = `${sub}.amocrm.ru`): Promise<Response> {
  return fetch(`https://${host}${pathAndQuery}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** POST /oauth2/access_token with a JSON body (or a raw string, to send something that is not JSON). */
export function amoToken(sub: string, body: Record<string, unknown> | string): Promise<Response> {
  return fetch(`https://${sub}.amocrm.ru/oauth2/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Follows `_links.next` from the first page and returns every item (asserting 200s on the way). */
export async function amoAll<T>(sub: string, pathAndQuery: string, entity: string, token: string): Promise<T[]> {
  const out: T[] = [];
  let res = await amoGet(sub, pathAndQuery, token);
  for (let guard = 0; guard < 1000; guard++) {
    if (res.status === 204) return out;
    if (res.status !== 200) throw new Error(`amoAll ${pathAndQuery}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as AmoPage<T>;
    out.push(...(page._embedded[entity] ?? []));
    const next = page._links.next?.href;
    if (!next) return out;
    res = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
  }
  throw new Error("amoAll: too many pages");
}
