// Test access to the GHL sandbox: the same host name production uses, routed to sandbox/ by the
// pool's outboundService.
import { SANDBOX } from "./helpers";

export type Truth = {
  contacts: { id: string; dateUpdated: string; email?: string; firstName?: string; lastName?: string }[];
  deleted: string[];
  conversations: number;
  opportunities: number;
};

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${SANDBOX}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const sandbox = {
  createLocation: (id: string, contacts: number, extra: Record<string, unknown> = {}) =>
    call<{ id: string; token: string; contacts: number }>("POST", "/locations", { id, contacts, ...extra }),
  truth: (id: string) => call<Truth>("GET", `/locations/${id}/truth`),
  faults: (id: string, faults: Record<string, number | string>) => call("PUT", `/locations/${id}/faults`, faults),
  clearFaults: (id: string) => call("DELETE", `/locations/${id}/faults`),
  mutate: (id: string, body: { update?: number | string[]; delete?: number | string[]; create?: number }) =>
    call<{ updated: string[]; deleted: string[]; created: string[] }>("POST", `/locations/${id}/mutate`, body),
  rate: (id: string, rate: { max: number; intervalMs: number; daily?: number; retryAfter?: boolean }) => call("PUT", `/locations/${id}/rate`, rate),
  resetStats: () => call("POST", "/stats/reset"),
  stats: (account: string) =>
    call<{ requests: number; requests429: number; maxPerSecond: number }>("GET", `/stats?account=${account}`),
};
