// GoHighLevel custom-page SSO: the page gets an encrypted string from the GHL parent frame
// (REQUEST_USER_DATA) and we decrypt it with the app's shared secret (GHL_SSO_KEY). The format is
// CryptoJS's passphrase mode, i.e. OpenSSL `enc`: base64("Salted__" || salt[8] || ciphertext), key and
// IV from EVP_BytesToKey(MD5, 1 iteration), AES-256-CBC with PKCS#7 padding (WebCrypto checks it).
// Every malformed or tampered input is a `bad_payload` outcome, never an exception.
import { z } from "zod";
import { evpBytesToKey } from "./md5-evp";

const MAGIC = new TextEncoder().encode("Salted__");
/** GHL payloads are a few hundred bytes; anything far larger is not one. */
export const MAX_PAYLOAD_CHARS = 16_384;

/** The decrypted user context. Location context is the presence of activeLocation, not `type`. */
export const ssoUserSchema = z.object({
  userId: z.string().min(1),
  companyId: z.string().optional(),
  role: z.string().optional(),
  type: z.string().optional(),
  activeLocation: z.string().min(1).optional(),
  userName: z.string().optional(),
  email: z.string().optional(),
});
export type SsoUser = z.infer<typeof ssoUserSchema>;

export type SsoDecryptResult =
  | { ok: true; user: SsoUser }
  | { ok: false; reason: string };

function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, "");
  if (clean.length === 0 || clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return null;
  try {
    return Uint8Array.from(atob(clean), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Decrypts a CryptoJS passphrase-mode string. null when it is not one or does not decrypt. */
export async function cryptoJsDecrypt(passphrase: string, payload: string): Promise<Uint8Array | null> {
  const bytes = fromBase64(payload);
  // Magic + salt + at least one AES block, whole blocks only.
  if (!bytes || bytes.length < 32 || (bytes.length - 16) % 16 !== 0) return null;
  if (!MAGIC.every((b, i) => bytes[i] === b)) return null;
  const salt = bytes.slice(8, 16);
  const { key, iv } = evpBytesToKey(new TextEncoder().encode(passphrase), salt);
  try {
    const aes = await crypto.subtle.importKey("raw", key, "AES-CBC", false, ["decrypt"]);
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, aes, bytes.slice(16)));
  } catch {
    // Bad PKCS#7 padding: a wrong key or a tampered ciphertext (almost always).
    return null;
  }
}

export async function decryptSsoPayload(sharedSecret: string, payload: string): Promise<SsoDecryptResult> {
  if (payload.length > MAX_PAYLOAD_CHARS) return { ok: false, reason: "The payload is too long to be a GoHighLevel SSO payload." };
  const plain = await cryptoJsDecrypt(sharedSecret, payload);
  if (!plain) {
    return { ok: false, reason: "The payload is not a CryptoJS AES string that decrypts with this app's shared secret." };
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(plain));
  } catch {
    // A wrong key can pass the padding check (about 1 in 256); the plaintext is then garbage.
    return { ok: false, reason: "The decrypted payload is not JSON: wrong shared secret or a tampered payload." };
  }
  const user = ssoUserSchema.safeParse(data);
  if (!user.success) return { ok: false, reason: "The decrypted payload lacks the user fields GoHighLevel sends (userId)." };
  return { ok: true, user: user.data };
}
