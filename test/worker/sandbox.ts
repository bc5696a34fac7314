// Test access to the GHL sandbox: the same host name production uses, routed to sandbox/ by the
// pool's outboundService.
import { SANDBOX } from "./helpers";

export type Truth = {
  contacts: { id: string; dateUpdated: string; email?: string; firstName?: string; lastName?: string }[];
  deleted: string[];
  conversations: number;
  opportunities: number;
};

/** A call to the simulator's control API (`/__sandbox/...`); throws on a non-2xx answer. */
export async function sandboxCall<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    sandboxCall<{ id: string; token: string; contacts: number }>("POST", "/locations", { id, contacts, ...extra }),
  truth: (id: string) => sandboxCall<Truth>("GET", `/locations/${id}/truth`),
  faults: (id: string, faults: Record<string, number | string>) => sandboxCall("PUT", `/locations/${id}/faults`, faults),
  clearFaults: (id: string) => sandboxCall("DELETE", `/locations/${id}/faults`),
  mutate: (id: string, body: { update?: number | string[]; delete?: number | string[]; create?: number }) =>
    sandboxCall<{ updated: string[]; deleted: string[]; created: string[] }>("POST", `/locations/${id}/mutate`, body),
  rate: (id: string, rate: { max: number; intervalMs: number; daily?: number; retryAfter?: boolean }) => sandboxCall("PUT", `/locations/${id}/rate`, rate),
  resetStats: () => sandboxCall("POST", "/stats/reset"),
  stats: (account: string) =>
    sandboxCall<{ requests: number; requests429: number; maxPerSecond: number }>("GET", `/stats?account=${account}`),
};
