// Response headers of the widget and the API.
// - Who may frame the widget: EMBED_ALLOWED_ORIGINS becomes `frame-ancestors 'self' …` on every
//   response, and the widget's HTML carries the same list in <meta name="crm-edge-embed-origins">
//   so its postMessage handshake trusts exactly these parents.
// - The widget's HTML gets a full Content-Security-Policy: scripts only from this origin plus the
//   inline boot script by its SHA-256 hash, requests only to this origin, no plugins, no <base>, no
//   form posts. The hash is computed from the built file itself (and remembered per file version),
//   so a rebuilt boot script can never be blocked by a stale hash.
// - Everything carries `X-Content-Type-Options: nosniff`; API answers default to no-store.
import type { Context, MiddlewareHandler } from "hono";
import { readConfig } from "../config";
import type { AppEnv } from "../env";

export const ORIGINS_META = "crm-edge-embed-origins";

export function frameAncestors(origins: readonly string[]): string {
  return ["frame-ancestors", "'self'", ...origins].join(" ");
}

/** The widget's policy: its own files, its inline boot script by hash, its own API. */
export function widgetPolicy(origins: readonly string[], scriptHashes: readonly string[]): string {
  return [
    "default-src 'none'",
    ["script-src", "'self'", ...scriptHashes.map((h) => `'${h}'`)].join(" "),
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    frameAncestors(origins),
  ].join("; ");
}

/**
 * The API reference page (/api/docs): Scalar's script from this origin, the inline styles it sets at
 * run time, requests only to this API; nobody frames it.
 */
export function apiReferencePolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function setHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    // Immutable headers (a response passed through from a binding): copy it once.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}

/** Every /api response (errors included: it runs outermost): its policy, nosniff, no-store by default. */
export function apiHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    // A page the API serves (/api/docs) brings its own policy; every other answer gets the strictest.
    if (!c.res.headers.has("content-security-policy")) {
      setHeader(c, "Content-Security-Policy", `default-src 'none'; ${frameAncestors(c.var.config.EMBED_ALLOWED_ORIGINS)}`);
    }
    setHeader(c, "X-Content-Type-Options", "nosniff");
    // Contact data and tokens are never stored by a browser or a proxy (a route may say otherwise).
    if (!c.res.headers.has("cache-control")) setHeader(c, "Cache-Control", "no-store");
  };
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let s = "";
  for (const b of digest) s += String.fromCharCode(b);
  return `sha256-${btoa(s)}`;
}

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;
/** Hashes of a file version's inline scripts (the file's ETag names the version). */
const hashesByFile = new Map<string, Promise<string[]>>();

function inlineScriptHashes(html: string, fileTag: string | null): Promise<string[]> {
  const compute = () => Promise.all([...html.matchAll(INLINE_SCRIPT)].map((m) => sha256Base64(m[1] ?? "")));
  if (!fileTag) return compute();
  let hashes = hashesByFile.get(fileTag);
  if (!hashes) {
    hashes = compute();
    if (hashesByFile.size > 16) hashesByFile.clear();
    hashesByFile.set(fileTag, hashes);
  }
  return hashes;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Everything outside /api: the static assets (env.ASSETS) with the frame policy and nosniff; HTML
 * also gets the allowlist injected and the full policy. Its ETag names both the file and the list,
 * so a changed list is refetched.
 */
export async function serveWidget(c: Context<AppEnv>): Promise<Response> {
  const origins = readConfig(c.env).EMBED_ALLOWED_ORIGINS;
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
  headers.set("Content-Security-Policy", frameAncestors(origins));
  headers.set("X-Content-Type-Options", "nosniff");
  if (!isHtml || asset.status !== 200) {
    return new Response(asset.body, { status: asset.status, statusText: asset.statusText, headers });
  }
  const fileTag = asset.headers.get("etag");
  const html = await asset.text();
  headers.delete("content-length");
  headers.set("Content-Security-Policy", widgetPolicy(origins, await inlineScriptHashes(html, fileTag)));
  if (fileTag) {
    const tag = `W/"${fileTag.replace(/^W\//, "").replace(/"/g, "")}-${await sha256Hex(origins.join(" "))}"`;
    headers.set("ETag", tag);
    if (c.req.header("if-none-match") === tag) {
      headers.delete("content-type");
      return new Response(null, { status: 304, headers });
    }
  }
  const meta = `<meta name="${ORIGINS_META}" content="${origins.join(" ")}">`;
  const page = html.replace(/<head([^>]*)>/i, (head) => `${head}${meta}`);
  return new Response(page, { status: 200, headers });
}
