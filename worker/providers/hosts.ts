// Where upstream credentials may be sent. A location's base_url (and GHL_BASE_URL) must be https on
// the provider's own hosts, so an admin (or a stolen admin key) cannot point a location at a host
// of their choosing and receive its access token. Plain http and other hosts (the local sandbox)
// only in development (DEV_MODE). Redirects are refused at fetch time (providers/upstream.ts).
import type { Provider } from "../../shared/db/schema";

const HOSTS: Record<Provider, RegExp> = {
  ghl: /^services\.leadconnectorhq\.com$/,
  // AmoCRM and Kommo (its international edition) serve each account on its own subdomain.
  amocrm: /^[a-z0-9-]{1,63}\.(?:amocrm\.ru|amocrm\.com|kommo\.com)$/,
};

export const ALLOWED_HOSTS_TEXT: Record<Provider, string> = {
  ghl: "services.leadconnectorhq.com",
  amocrm: "*.amocrm.ru, *.amocrm.com or *.kommo.com",
};

/** Why `url` may not carry credentials of `provider`, or null when it may. */
export function upstreamUrlProblem(provider: Provider, url: string, devMode: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "it is not a URL";
  }
  if (u.username || u.password || u.search || u.hash) return "it must not carry user info, a query or a fragment";
  if (u.pathname !== "/" && u.pathname !== "") return "it must be an origin (no path)";
  if (devMode) return u.protocol === "https:" || u.protocol === "http:" ? null : "it must be http(s)";
  if (u.protocol !== "https:") return "it must be https";
  if (!HOSTS[provider].test(u.hostname.toLowerCase())) return `${provider} credentials go only to ${ALLOWED_HOSTS_TEXT[provider]}`;
  return null;
}
