// Signs GoHighLevel deliveries as GoHighLevel does (x-ghl-signature Ed25519, x-wh-signature
// RSA-SHA256, both base64 over the raw body), with the test key pairs the Worker is configured with.
import { exports } from "cloudflare:workers";
import { TEST_WEBHOOK_KEYS } from "./webhook-keys";

function der(pem: string): ArrayBuffer {
  const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)).buffer;
}

const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

const keys = {
  rsa: crypto.subtle.importKey("pkcs8", der(TEST_WEBHOOK_KEYS.rsaPrivatePem), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]),
  ed25519: crypto.subtle.importKey("pkcs8", der(TEST_WEBHOOK_KEYS.ed25519PrivatePem), { name: "Ed25519" }, false, ["sign"]),
};

export async function signRsa(raw: string): Promise<string> {
  return b64(await crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, await keys.rsa, new TextEncoder().encode(raw)));
}

export async function signEd25519(raw: string): Promise<string> {
  return b64(await crypto.subtle.sign({ name: "Ed25519" }, await keys.ed25519, new TextEncoder().encode(raw)));
}

export type Scheme = "ed25519" | "rsa" | "both" | "none";

/** POSTs a delivery to /api/webhooks/ghl signed by `scheme`; `raw` is sent byte for byte. */
export async function deliverGhl(raw: string, scheme: Scheme = "ed25519", extra: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", ...extra };
  if (scheme === "ed25519" || scheme === "both") headers["x-ghl-signature"] = await signEd25519(raw);
  if (scheme === "rsa" || scheme === "both") headers["x-wh-signature"] = await signRsa(raw);
  return exports.default.fetch(new Request("https://crm-edge.test/api/webhooks/ghl", { method: "POST", headers, body: raw }));
}

let seq = 0;

/** A GoHighLevel contact event as documented (type, locationId, id, contact fields, timestamp, webhookId). */
export function ghlEvent(type: string, accountId: string, contact: Record<string, unknown>, at = Date.now()): Record<string, unknown> {
  return { type, locationId: accountId, ...contact, timestamp: new Date(at).toISOString(), webhookId: `wh-${crypto.randomUUID()}-${++seq}` };
}
