// Secrets as key rings: the current key signs or seals; previous keys (comma-separated in the
// `<NAME>_PREVIOUS` secret) still verify or open, so a key can be rotated without logging anyone
// out or losing a stored credential. Each key is named by a short id derived from the key itself
// (no table to keep in step): the first 8 hex digits of SHA-256 over its bytes.
// A secret that is missing, too short or malformed is a deployment error, said once, clearly, and
// without ever printing the value.

/** HMAC keys and API keys shorter than this are refused (RFC 7518 §3.2 asks ≥ 256 bits for HS256). */
export const MIN_SECRET_BYTES = 32;

export type RingKey = { id: string; bytes: Uint8Array<ArrayBuffer> };
export type KeyRing = { current: RingKey; all: readonly RingKey[] };

export class SecretError extends Error {}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function keyId(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", bytes)).slice(0, 8);
}

function entries(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Secrets that are text (HMAC keys, API keys): used as their UTF-8 bytes, at least 32 of them. */
export function textSecretBytes(name: string, value: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new TextEncoder().encode(value));
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new SecretError(
      `${name} is ${bytes.length} bytes long; at least ${MIN_SECRET_BYTES} are required. Generate one with \`openssl rand -base64 32\`.`,
    );
  }
  return bytes;
}

/** AES-256 keys: base64 of exactly 32 random bytes. */
export function aesKeyBytes(name: string, value: string): Uint8Array<ArrayBuffer> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0));
  } catch {
    throw new SecretError(`${name} is not base64. Generate one with \`openssl rand -base64 32\`.`);
  }
  if (raw.length !== 32) throw new SecretError(`${name} must be base64 of exactly 32 bytes (it decodes to ${raw.length}).`);
  return raw;
}

async function ring(name: string, current: string | undefined, previous: string | undefined, decode: (name: string, v: string) => Uint8Array<ArrayBuffer>): Promise<KeyRing> {
  if (!current) throw new SecretError(`${name} is not set: \`wrangler secret put ${name}\` (locally, npm start writes .dev.vars).`);
  const keys: RingKey[] = [];
  const seen = new Set<string>();
  for (const [label, value] of [[name, current], ...entries(previous).map((v, i) => [`${name}_PREVIOUS[${i}]`, v] as const)] as const) {
    const bytes = decode(label, value);
    const id = await keyId(bytes);
    if (seen.has(id)) continue;
    seen.add(id);
    keys.push({ id, bytes });
  }
  const [first] = keys;
  if (!first) throw new SecretError(`${name} is empty.`);
  return { current: first, all: keys };
}

export function authKeyRing(env: { AUTH_SECRET?: string; AUTH_SECRET_PREVIOUS?: string }): Promise<KeyRing> {
  return ring("AUTH_SECRET", env.AUTH_SECRET, env.AUTH_SECRET_PREVIOUS, textSecretBytes);
}

export function credentialsKeyRing(env: { CREDENTIALS_KEY?: string; CREDENTIALS_KEY_PREVIOUS?: string }): Promise<KeyRing> {
  return ring("CREDENTIALS_KEY", env.CREDENTIALS_KEY, env.CREDENTIALS_KEY_PREVIOUS, aesKeyBytes);
}

export function findKey(keys: KeyRing, id: string): RingKey | undefined {
  return keys.all.find((k) => k.id === id);
}
