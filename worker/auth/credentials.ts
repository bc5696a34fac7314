// Upstream credentials at rest: AES-256-GCM with a random 96-bit IV and the location id (plus the
// format version and key id) as associated data, so a ciphertext copied to another location does
// not open. Sealed text is `v1.<key id>.<base64(iv || ciphertext)>`: the key id says which key of
// the CREDENTIALS_KEY ring opens it, so after a rotation old rows still open until
// `npm run rotate-credentials-key` re-seals them with the current key. Rows written before key ids
// existed (bare base64) are opened by trying each key of the ring.
import { type Credentials, credentialsSchema } from "../../shared/schemas/locations";
import type { KeyRing, RingKey } from "./keyring";

const VERSION = "v1";
const imported = new Map<string, Promise<CryptoKey>>();

function aesKey(key: RingKey): Promise<CryptoKey> {
  let k = imported.get(key.id);
  if (!k) {
    k = crypto.subtle.importKey("raw", key.bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
    imported.set(key.id, k);
  }
  return k;
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
const aad = (text: string) => new TextEncoder().encode(text);

export async function sealCredentials(keys: KeyRing, locationId: string, credentials: Credentials): Promise<string> {
  const key = keys.current;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(credentials));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(`${VERSION}|${key.id}|${locationId}`) },
    await aesKey(key),
    plain,
  );
  const out = new Uint8Array(iv.length + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), iv.length);
  return `${VERSION}.${key.id}.${toBase64(out)}`;
}

async function open(key: RingKey, additional: string, bytes: Uint8Array<ArrayBuffer>): Promise<Credentials> {
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: aad(additional) },
    await aesKey(key),
    bytes.slice(12),
  );
  return credentialsSchema.parse(JSON.parse(new TextDecoder().decode(plain)));
}

export class CredentialsUnreadable extends Error {}

export async function openCredentials(keys: KeyRing, locationId: string, sealed: string): Promise<Credentials> {
  const parts = sealed.split(".");
  if (parts.length === 3 && parts[0] === VERSION) {
    const [, id, body] = parts as [string, string, string];
    const key = keys.all.find((k) => k.id === id);
    if (!key) throw new CredentialsUnreadable(`Credentials of '${locationId}' are sealed with key ${id}, which is not in CREDENTIALS_KEY or CREDENTIALS_KEY_PREVIOUS.`);
    return open(key, `${VERSION}|${id}|${locationId}`, fromBase64(body));
  }
  // Before key ids: bare base64, the location id alone as associated data.
  const bytes = fromBase64(sealed);
  for (const key of keys.all) {
    try {
      return await open(key, locationId, bytes);
    } catch {
      // not this key
    }
  }
  throw new CredentialsUnreadable(`Credentials of '${locationId}' open with no key of the CREDENTIALS_KEY ring.`);
}

/** True when the sealed text is already under the ring's current key (nothing to re-seal). */
export function sealedWithCurrent(keys: KeyRing, sealed: string): boolean {
  return sealed.startsWith(`${VERSION}.${keys.current.id}.`);
}
