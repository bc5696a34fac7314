// The first page of contacts, requested by the inline boot script (boot/index.ts) before the app
// bundle has even run. The typed client's first list call picks the response up (api/prefetch.ts)
// when it asks for exactly this request. Reads the fragment only: src/auth.ts still takes the token
// and scrubs it from the address bar.

/** The first page is small (first paint); the app's list query (api/contact-list.ts) asks for the same size. */
export const FIRST_PAGE_SIZE = 100;

export type FirstPage = { url: string; response: Promise<Response> };

declare global {
  interface Window {
    __crmEdgeFirstPage?: FirstPage;
  }
}

/** The default list (newest first, no search): what the widget shows on opening. */
export function firstPageUrl(locationId: string | null): string {
  const q = new URLSearchParams({ sort: "date_added", order: "desc", limit: String(FIRST_PAGE_SIZE) });
  if (locationId) q.set("location_id", locationId);
  return `/api/get-location-contacts-fast?${q}`;
}

/** Starts the request when the fragment carries a token; null otherwise (framed: the token comes later). */
export function startFirstPage(hash: string): { page: FirstPage; token: string; locationId: string | null } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const token = params.get("token");
  if (!token || typeof fetch !== "function") return null;
  const locationId = params.get("location_id");
  const url = firstPageUrl(locationId);
  const page = { url, response: fetch(url, { headers: { Authorization: `Bearer ${token}` } }) };
  window.__crmEdgeFirstPage = page;
  return { page, token, locationId };
}
