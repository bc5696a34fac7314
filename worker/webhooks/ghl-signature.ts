// GoHighLevel webhook signatures, checked on the raw body before it is parsed (shared by the app
// events here and the contact webhooks). `x-ghl-signature`: Ed25519, the newer scheme; when it is
// present it alone decides (as GHL's SDK does: no fallback after failing it). `x-wh-signature`:
// RSA-SHA256 (PKCS#1 v1.5) with GHL's published key, the older one, accepted while GHL sends it.
// Both base64. No header, a malformed one, or no key for its scheme: not verified.

export type GhlWebhookKeys = { rsaPem?: string; ed25519Pem?: string };

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const ED25519 = { name: "Ed25519" } as const;
type Algorithm = typeof RSA | typeof ED25519;

const keys = new Map<string, Promise<CryptoKey | null>>();

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

function importKey(pem: string, algorithm: Algorithm): Promise<CryptoKey | null> {
  const id = `${algorithm.name}|${pem}`;
  let key = keys.get(id);
  if (!key) {
    // Vars may hold the PEM with literal "\n" or on one line.
    const der = fromBase64(pem.replace(/\\n/g, "\n").replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""));
    key = der ? crypto.subtle.importKey("spki", der, algorithm, false, ["verify"]).catch(() => null) : Promise.resolve(null);
    keys.set(id, key);
  }
  return key;
}

async function verify(pem: string | undefined, algorithm: Algorithm, signature: string, body: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (!pem) return false;
  const sig = fromBase64(signature.trim());
  const key = await importKey(pem, algorithm);
  if (!sig || !key) return false;
  try {
    return await crypto.subtle.verify(algorithm, key, sig, body);
  } catch {
    return false;
  }
}

export async function verifyGhlWebhook(rawBody: string | ArrayBuffer, headers: Headers, keys: GhlWebhookKeys): Promise<boolean> {
  const body = typeof rawBody === "string" ? (new TextEncoder().encode(rawBody) as Uint8Array<ArrayBuffer>) : new Uint8Array(rawBody);
  const ed = headers.get("x-ghl-signature");
  if (ed !== null) return verify(keys.ed25519Pem, ED25519, ed, body);
  const rsa = headers.get("x-wh-signature");
  if (rsa !== null) return verify(keys.rsaPem, RSA, rsa, body);
  return false;
}
