// Upstream credentials at rest: AES-256-GCM with a random 96-bit IV, the location id as associated
// data (a ciphertext copied to another location does not decrypt).
import { type Credentials, credentialsSchema } from "../../shared/schemas/locations";

const keys = new Map<string, Promise<CryptoKey>>();

function importKey(base64Key: string): Promise<CryptoKey> {
  let key = keys.get(base64Key);
  if (!key) {
    const raw = Uint8Array.from(atob(base64Key), (ch) => ch.charCodeAt(0));
    if (raw.length !== 32) throw new Error("CREDENTIALS_KEY must be base64 of exactly 32 bytes.");
    key = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(base64Key, key);
  }
  return key;
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export async function encryptCredentials(
  base64Key: string,
  locationId: string,
  credentials: Credentials,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(credentials));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(locationId) },
    await importKey(base64Key),
    plain,
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return toBase64(out);
}

export async function decryptCredentials(
  base64Key: string,
  locationId: string,
  sealed: string,
): Promise<Credentials> {
  const bytes = Uint8Array.from(atob(sealed), (ch) => ch.charCodeAt(0));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(locationId) },
    await importKey(base64Key),
    bytes.slice(12),
  );
  return credentialsSchema.parse(JSON.parse(new TextDecoder().decode(plain)));
}
