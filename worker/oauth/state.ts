// The `state` of an install link we start: a short-lived signed value (HS256 with the AUTH_SECRET
// ring, its own audience so no API token passes for it). A Marketplace-started install has none;
// a callback that carries one must carry one of ours, unexpired, for the same provider.
import { SignJWT, jwtVerify } from "jose";
import type { KeyRing } from "../auth/keyring";
import { findKey } from "../auth/keyring";

const AUDIENCE = "crm-edge-oauth-state";
const TTL_SECONDS = 900;

export async function mintState(keys: KeyRing, provider: "ghl" | "amocrm", now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ p: provider })
    .setProtectedHeader({ alg: "HS256", kid: keys.current.id })
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(keys.current.bytes);
}

export async function stateIsOurs(keys: KeyRing, provider: "ghl" | "amocrm", state: string): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(
      state,
      async (header) => {
        const key = header.kid ? findKey(keys, header.kid) : undefined;
        if (!key) throw new Error("unknown key");
        return key.bytes;
      },
      { audience: AUDIENCE, algorithms: ["HS256"] },
    );
    return payload.p === provider;
  } catch {
    return false;
  }
}
