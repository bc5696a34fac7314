// The inline boot script (boot/first-page.ts) starts the default first page of contacts with a plain
// fetch before the bundle has even run. The typed client's list call uses this fetch: the first
// request it makes is answered by that response when it is the same request (path and query), so
// the body still goes through hc's typed path. Taken once.
import type {} from "../boot/first-page";

function sameRequest(a: string, b: string): boolean {
  const ua = new URL(a, window.location.href);
  const ub = new URL(b, window.location.href);
  if (ua.origin !== ub.origin || ua.pathname !== ub.pathname) return false;
  const norm = (u: URL) => [...u.searchParams].map(([k, v]) => `${k}=${v}`).sort().join("&");
  return norm(ua) === norm(ub);
}

function take(url: string): Promise<Response> | null {
  const pre = window.__crmEdgeFirstPage;
  if (!pre) return null;
  delete window.__crmEdgeFirstPage;
  return sameRequest(pre.url, url) ? pre.response : null;
}

export const fetchWithPrefetch: typeof fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return take(url) ?? fetch(input, init);
};

/** True while the boot script's first-page response is waiting to be taken. */
export function hasPrefetchedFirstPage(): boolean {
  return window.__crmEdgeFirstPage !== undefined;
}
