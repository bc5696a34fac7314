// GoHighLevel webhook signatures, checked on the raw body before anything parses it.
//
// `x-ghl-signature`: Ed25519 over the raw body (GoHighLevel's newer scheme). When it is present it
// alone decides, as GoHighLevel's own SDK does: a request may not fall back to the older header
// after failing the newer one. `x-wh-signature`: RSA-SHA256 (PKCS#1 v1.5) over the raw body, the
// older scheme, accepted while GoHighLevel still sends it. Both are base64. No header, an
// undecodable one, or no key for the scheme used: not verified.

export type GhlWebhookKeys = { rsaPem?: string; ed25519Pem?: string };

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const ED25519 = { name: "Ed25519" } as const;

/** Imported keys by algorithm and PEM: importing is the costly part, and keys rarely change. */
const imported = new Map<string, Promise<CryptoKey | null>>();

function pemBody(pem: string): Uint8Array<ArrayBuffer> | null {
  // Env editors may store the PEM with literal "\n" or without line breaks at all.
  const b64 = pem
    .replace(/\\n/g, "\n")
    .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "")
    .replace(/\s+/g, "");
  return base64(b64);
}

function base64(value: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  try {
    return Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

function keyFor(pem: string, algorithm: typeof RSA | typeof ED25519): Promise<CryptoKey | null> {
  const cacheKey = `${algorithm.name}\n${pem}`;
  let key = imported.get(cacheKey);
  if (!key) {
    const der = pemBody(pem);
    key = der
      ? crypto.subtle.importKey("spki", der, algorithm, false, ["verify"]).catch(() => null)
      : Promise.resolve(null);
    imported.set(cacheKey, key);
  }
  return key;
}

function bytesOf(rawBody: string | ArrayBuffer): Uint8Array<ArrayBuffer> {
  return typeof rawBody === "string" ? (new TextEncoder().encode(rawBody) as Uint8Array<ArrayBuffer>) : new Uint8Array(rawBody);
}

async function verifyWith(pem: string | undefined, algorithm: typeof RSA | typeof ED25519, signature: string, body: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (!pem) return false;
  const sig = base64(signature.trim());
  const key = await keyFor(pem, algorithm);
  if (!sig || !key) return false;
  try {
    return await crypto.subtle.verify(algorithm, key, sig, body);
  } catch {
    return false;
  }
}

/** Whether the raw body carries a valid GoHighLevel signature (Ed25519 first, else RSA). */
export async function verifyGhlWebhook(rawBody: string | ArrayBuffer, headers: Headers, keys: GhlWebhookKeys): Promise<boolean> {
  const body = bytesOf(rawBody);
  const ed = headers.get("x-ghl-signature");
  if (ed !== null) return verifyWith(keys.ed25519Pem, ED25519, ed, body);
  const rsa = headers.get("x-wh-signature");
  if (rsa !== null) return verifyWith(keys.rsaPem, RSA, rsa, body);
  return false;
}
