// The token's payload, read WITHOUT verifying it: the widget only needs `sub` (whose column layout to
// remember) and `loc` (which location the sync routes name). The Worker verifies every request.
export type Claims = { sub: string; loc: string[] };

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function isClaims(v: unknown): v is { sub?: unknown; loc?: unknown } {
  return typeof v === "object" && v !== null;
}

export function readClaims(token: string | null): Claims {
  const none: Claims = { sub: "anonymous", loc: [] };
  const payload = token?.split(".")[1];
  if (!payload) return none;
  try {
    const value: unknown = JSON.parse(base64UrlDecode(payload));
    if (!isClaims(value)) return none;
    const sub = typeof value.sub === "string" && value.sub ? value.sub : none.sub;
    const loc = Array.isArray(value.loc) ? value.loc.filter((l): l is string => typeof l === "string") : [];
    return { sub, loc };
  } catch {
    return none;
  }
}
