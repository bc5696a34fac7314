// The token's payload, read WITHOUT verifying it: the widget only needs `sub` (whose column layout to
// remember), `loc` (which location the sync routes name), `scope` (which controls to show) and the
// times (when to ask the host for a new token). The Worker verifies every request.
export type Claims = { sub: string; loc: string[]; scope: string[]; issuedAt: number | null; expiresAt: number | null };

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
const seconds = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v * 1000 : null);

export function readClaims(token: string | null): Claims {
  const none: Claims = { sub: "anonymous", loc: [], scope: [], issuedAt: null, expiresAt: null };
  const payload = token?.split(".")[1];
  if (!payload) return none;
  try {
    const value: unknown = JSON.parse(base64UrlDecode(payload));
    if (!isRecord(value)) return none;
    return {
      sub: typeof value.sub === "string" && value.sub ? value.sub : none.sub,
      loc: strings(value.loc),
      scope: strings(value.scope),
      issuedAt: seconds(value.iat),
      expiresAt: seconds(value.exp),
    };
  } catch {
    return none;
  }
}
