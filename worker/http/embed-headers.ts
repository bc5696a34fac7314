// Who may frame the widget: EMBED_ALLOWED_ORIGINS (comma-separated origins; a leading `*.` in the
// host matches any subdomain, as in CSP) becomes `Content-Security-Policy: frame-ancestors 'self' …`
// on every response, and the widget's HTML carries the same list in
// <meta name="crm-edge-embed-origins"> so its postMessage handshake trusts exactly these parents.
import type { Context, MiddlewareHandler } from "hono";
import { readConfig } from "../config";
import type { AppEnv } from "../env";

const ORIGIN = /^(https?):\/\/((?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(:\d{1,5})?$/;
export const ORIGINS_META = "crm-edge-embed-origins";

/** Parses the allowlist; throws with the offending entry (a deployment error, said once). */
export function parseAllowedOrigins(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim().toLowerCase().replace(/\/+$/, "");
    if (!entry) continue;
    if (!ORIGIN.test(entry)) {
      throw new Error(`'${raw.trim()}' is not an origin: write scheme://host[:port], e.g. https://app.gohighlevel.com or https://*.amocrm.ru.`);
    }
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}

export function frameAncestors(origins: readonly string[]): string {
  return ["frame-ancestors", "'self'", ...origins].join(" ");
}

/** Adds the frame-ancestors policy to every /api response (errors included: it runs outermost). */
export function apiFramePolicy(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const policy = frameAncestors(c.var.config.EMBED_ALLOWED_ORIGINS);
    try {
      c.res.headers.set("Content-Security-Policy", policy);
    } catch {
      // Immutable headers (a response passed through from a binding): copy it once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set("Content-Security-Policy", policy);
    }
  };
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/**
 * Everything outside /api: the static assets (env.ASSETS) with the frame policy; HTML also gets the
 * allowlist injected. Its ETag names both the file and the list, so a changed list is refetched.
 */
export async function serveWidget(c: Context<AppEnv>): Promise<Response> {
  const origins = readConfig(c.env).EMBED_ALLOWED_ORIGINS;
  const policy = frameAncestors(origins);
  const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
  let upstream = c.req.raw;
  if (wantsHtml) {
    // The browser's validator is our derived ETag, which the asset server does not know.
    upstream = new Request(c.req.raw);
    upstream.headers.delete("if-none-match");
    upstream.headers.delete("if-modified-since");
  }
  const asset = await c.env.ASSETS.fetch(upstream);
  const isHtml = (asset.headers.get("content-type") ?? "").startsWith("text/html");
  const headers = new Headers(asset.headers);
  headers.set("Content-Security-Policy", policy);
  if (!isHtml || asset.status !== 200) {
    return new Response(asset.body, { status: asset.status, statusText: asset.statusText, headers });
  }
  const fileTag = asset.headers.get("etag");
  headers.delete("content-length");
  if (fileTag) {
    const tag = `W/"${fileTag.replace(/^W\//, "").replace(/"/g, "")}-${fnv1a(origins.join(" "))}"`;
    headers.set("ETag", tag);
    if (c.req.header("if-none-match") === tag) {
      headers.delete("content-type");
      return new Response(null, { status: 304, headers });
    }
  }
  const meta = `<meta name="${ORIGINS_META}" content="${origins.join(" ")}">`;
  const page = new Response(asset.body, { status: 200, headers });
  return new HTMLRewriter()
    .on("head", { element: (head) => void head.append(meta, { html: true }) })
    .transform(page);
}
