// The secret in an AmoCRM location's webhook URL (AmoCRM signs nothing on account webhooks, so the
// URL itself is the credential). Only its SHA-256 is stored; a presented one is hashed and compared
// in constant time.

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newWebhookSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function hashWebhookSecret(secret: string): Promise<string> {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)));
}

/** Whether `presented` hashes to `storedHash` (constant time; false when nothing is stored). */
export async function webhookSecretMatches(presented: string, storedHash: string | null): Promise<boolean> {
  const enc = new TextEncoder();
  const a = enc.encode(await hashWebhookSecret(presented));
  // Compared against a same-length stand-in when nothing is stored, so the work is the same.
  const b = enc.encode(storedHash ?? base64url(new Uint8Array(32)));
  if (a.byteLength !== b.byteLength) return false;
  return crypto.subtle.timingSafeEqual(a, b) && storedHash !== null;
}
