// API bearer tokens: HS256 JWTs that name the locations their holder may use.
import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";

export const TOKEN_ISSUER = "crm-edge";

const claimsSchema = z.object({
  sub: z.string().min(1),
  loc: z.array(z.string().min(1)).min(1),
  exp: z.number(),
});

export type TokenClaims = z.infer<typeof claimsSchema>;

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "expired" | "invalid" };

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function mintToken(
  secret: string,
  opts: { subject: string; locations: string[]; ttlSeconds: number; now?: number },
): Promise<string> {
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  return new SignJWT({ loc: opts.locations })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(opts.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + opts.ttlSeconds)
    .sign(keyFor(secret));
}

export async function verifyToken(secret: string, token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: ["HS256"],
      issuer: TOKEN_ISSUER,
      requiredClaims: ["exp", "sub"],
    });
    const claims = claimsSchema.safeParse(payload);
    return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: "invalid" };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}
