// API bearer tokens: HS256 JWTs naming the locations their holder may use and what it may do there.
// Signed with the current AUTH_SECRET (its key id in the `kid` header); verified with whichever key
// of the ring the `kid` names, so rotating AUTH_SECRET logs nobody out. Each token has an id
// (`jti`) and an audience, so it can be revoked and cannot be replayed against another service
// that shares the secret by mistake.
import { SignJWT, errors as joseErrors, jwtVerify, type JWTHeaderParameters } from "jose";
import { z } from "zod";
import { SCOPES, type Scope } from "../../shared/schemas/scopes";
import { type KeyRing, findKey } from "./keyring";

export const TOKEN_ISSUER = "crm-edge";
export const TOKEN_AUDIENCE = "crm-edge-api";

const claimsSchema = z.object({
  sub: z.string().min(1),
  loc: z.array(z.string().min(1)).min(1),
  scope: z.array(z.enum(SCOPES)),
  jti: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
});

export type TokenClaims = z.infer<typeof claimsSchema>;

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: "expired" | "invalid" };

export type MintOptions = {
  subject: string;
  locations: string[];
  scopes: readonly Scope[];
  ttlSeconds: number;
  now?: number;
};

export async function mintToken(keys: KeyRing, opts: MintOptions): Promise<{ token: string; jti: string; expiresAt: number }> {
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  const jti = crypto.randomUUID();
  const token = await new SignJWT({ loc: opts.locations, scope: [...opts.scopes] })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: keys.current.id })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(opts.subject)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(iat + opts.ttlSeconds)
    .sign(keys.current.bytes);
  return { token, jti, expiresAt: (iat + opts.ttlSeconds) * 1000 };
}

/** Signature (by the key the header names), issuer, audience, expiry and claim shapes. */
export async function verifyToken(keys: KeyRing, token: string, now = Date.now()): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const key = header.kid ? findKey(keys, header.kid) : undefined;
        if (!key) throw new Error("unknown key id");
        return key.bytes;
      },
      {
        algorithms: ["HS256"],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ["exp", "iat", "sub", "jti"],
        currentDate: new Date(now),
      },
    );
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: "invalid" };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}
