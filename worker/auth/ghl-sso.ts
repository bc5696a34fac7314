// GoHighLevel custom-page SSO payloads: the page gets an encrypted string from the GHL parent frame
// (REQUEST_USER_DATA) and only the Worker can open it, with the app's Shared Secret (GHL_SSO_KEY).
// The format is CryptoJS's passphrase mode, i.e. OpenSSL `enc`: base64("Salted__" || salt[8] ||
// ciphertext), key and IV from EVP_BytesToKey(MD5, 1 iteration), AES-256-CBC with PKCS#7 padding.
//
// That format has no MAC: whoever can tell "bad padding" from "bad JSON" from "unknown location"
// has a padding oracle and can forge a payload for any location (CBC-R). So `openPayload` does the
// same steps whatever the input (a malformed one decrypts a dummy of the same shape) and answers
// only "a user" or null; the caller gives every failure one answer.
import { z } from "zod";
import { evpBytesToKey } from "./md5-evp";

const MAGIC = new TextEncoder().encode("Salted__");
/** GHL payloads are a few hundred bytes; anything far larger is not one. */
export const MAX_PAYLOAD_CHARS = 16_384;

/** The decrypted user context (the Shared Secret page of GHL's docs). */
export const ssoUserSchema = z.object({
  userId: z.string().min(1).max(200),
  companyId: z.string().min(1).max(200).optional(),
  role: z.string().max(50).optional(),
  /** "agency" or "location" context; the location is the presence of activeLocation. */
  type: z.string().max(50).optional(),
  activeLocation: z.string().min(1).max(200).optional(),
  userName: z.string().max(500).optional(),
  email: z.string().max(500).optional(),
  // Not documented today. If GHL starts sending an expiry or issue time, it is honoured.
  exp: z.number().optional(),
  iat: z.number().optional(),
});
export type SsoUser = z.infer<typeof ssoUserSchema>;

/** Payloads that say when they were made are refused after this long. */
export const PAYLOAD_MAX_AGE_MS = 10 * 60_000;

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const clean = text.replace(/\s+/g, "");
  if (clean.length === 0 || clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return null;
  try {
    return Uint8Array.from(atob(clean), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

function wellFormed(bytes: Uint8Array | null): bytes is Uint8Array<ArrayBuffer> {
  // Magic + salt + at least one AES block, whole blocks only.
  return bytes !== null && bytes.length >= 32 && (bytes.length - 16) % 16 === 0 && MAGIC.every((b, i) => bytes[i] === b);
}

/** A stand-in with the shape of a real payload, decrypted when the input is not one (same work). */
function dummy(): Uint8Array<ArrayBuffer> {
  const out = crypto.getRandomValues(new Uint8Array(16 + 256));
  out.set(MAGIC);
  return out;
}

/** AES-256-CBC decrypt of a CryptoJS passphrase-mode buffer; null on bad padding. */
async function decryptBytes(passphrase: string, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array | null> {
  const { key, iv } = evpBytesToKey(new TextEncoder().encode(passphrase), bytes.slice(8, 16));
  const aes = await crypto.subtle.importKey("raw", key, "AES-CBC", false, ["decrypt"]);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, aes, bytes.slice(16)));
  } catch {
    return null;
  }
}

/** Decrypts a CryptoJS passphrase-mode string. null when it is not one or does not decrypt. */
export async function cryptoJsDecrypt(passphrase: string, payload: string): Promise<Uint8Array | null> {
  const bytes = fromBase64(payload);
  return wellFormed(bytes) ? decryptBytes(passphrase, bytes) : null;
}

function parseUser(plain: Uint8Array | null): SsoUser | null {
  let data: unknown = null;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(plain ?? new Uint8Array()));
  } catch {
    data = null;
  }
  const user = ssoUserSchema.safeParse(data);
  return user.success ? user.data : null;
}

function fresh(user: SsoUser, now: number): boolean {
  if (user.exp !== undefined && user.exp * 1000 <= now) return false;
  if (user.iat !== undefined) {
    const issued = user.iat > 1e12 ? user.iat : user.iat * 1000;
    if (now - issued > PAYLOAD_MAX_AGE_MS || issued - now > 60_000) return false;
  }
  return true;
}

/**
 * The user a payload names, or null for anything else. Every input goes through decoding,
 * key derivation, decryption, UTF-8 and JSON parsing and the schema (a malformed one with a dummy).
 */
export async function openPayload(sharedSecret: string, payload: string, now = Date.now()): Promise<SsoUser | null> {
  const bytes = payload.length <= MAX_PAYLOAD_CHARS ? fromBase64(payload) : null;
  const usable = wellFormed(bytes);
  const plain = await decryptBytes(sharedSecret, usable ? bytes : dummy());
  const user = parseUser(plain);
  return usable && user && fresh(user, now) ? user : null;
}
