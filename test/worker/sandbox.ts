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
  faults: (id: string, faults: Record<string, number>) => call("PUT", `/locations/${id}/faults`, faults),
  resetStats: () => call("POST", "/stats/reset"),
  stats: (account: string) =>
    call<{ requests: number; requests429: number; maxPerSecond: number }>("GET", `/stats?account=${account}`),
};
