// The parent origins the widget trusts: the Worker injects EMBED_ALLOWED_ORIGINS into the HTML as
// <meta name="crm-edge-embed-origins" content="https://a.example https://*.b.example">, the same
// list it sends as `frame-ancestors`. Matching follows CSP: `*.` matches one or more subdomain
// labels (not the bare domain), scheme and port must be equal.

export const ORIGINS_META = "crm-edge-embed-origins";

/** The allowlist from the page plus our own origin (`frame-ancestors 'self'`). */
export function readAllowedOrigins(doc: Document = document, self = window.location.origin): string[] {
  const content = doc.querySelector<HTMLMetaElement>(`meta[name="${ORIGINS_META}"]`)?.content ?? "";
  return [self, ...content.split(/\s+/).filter(Boolean)];
}

function defaultPort(scheme: string): string {
  return scheme === "https:" ? "443" : scheme === "http:" ? "80" : "";
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false; // "null" (sandboxed or opaque origins) and garbage
  }
  const port = o.port || defaultPort(o.protocol);
  return allowed.some((entry) => {
    const m = entry.toLowerCase().match(/^(https?:)\/\/(\*\.)?([^/:]+)(?::(\d+))?$/);
    if (!m) return false;
    const [, scheme, wildcard, host, entryPort] = m;
    if (scheme !== o.protocol || (entryPort ?? defaultPort(scheme)) !== port) return false;
    return wildcard ? o.hostname.endsWith(`.${host}`) : o.hostname === host;
  });
}

/** Best guess of the parent's origin before it has said anything (Chromium/WebKit, then Referer). */
export function guessParentOrigin(): string | null {
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? null;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}
