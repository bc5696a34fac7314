// GoHighLevel webhooks from the simulator: every mutation of a location's contacts becomes signed
// deliveries (ContactCreate / ContactUpdate / ContactDelete, documented payload shape, `timestamp`,
// `webhookId`, `x-ghl-signature` Ed25519 and `x-wh-signature` RSA over the raw body), with
// injectable faults: drop, duplicate, reorder, delay, bad signature, stale timestamp.
//
// Deliveries go to the configured URL when there is one (`npm start`: the Worker's
// /api/webhooks/ghl) and are always kept in an outbox the control API drains (tests, where the
// simulator cannot reach the Worker under test, forward them).
import type { GhlContact } from "./data/types";
import { SANDBOX_WEBHOOK_KEYS } from "./webhook-keys";

export interface WebhookFaults {
  /** Probability that a delivery is not sent at all. */
  dropRate: number;
  /** Probability that a delivery is sent twice (same webhookId). */
  duplicateRate: number;
  /** Send one mutation's deliveries in reverse order. */
  reorder: boolean;
  /** Wait this long before sending. */
  delayMs: number;
  /** Probability that a delivery's signatures are corrupted. */
  badSignatureRate: number;
  /** Probability that a delivery's timestamp is 10 minutes old. */
  staleRate: number;
}

export const NO_WEBHOOK_FAULTS: WebhookFaults = { dropRate: 0, duplicateRate: 0, reorder: false, delayMs: 0, badSignatureRate: 0, staleRate: 0 };

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

type Event = { type: "ContactCreate" | "ContactUpdate" | "ContactDelete"; locationId: string; contact: GhlContact };

function der(pem: string): ArrayBuffer {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (ch) => ch.charCodeAt(0)).buffer;
}

const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

let keys: Promise<{ rsa: CryptoKey; ed: CryptoKey }> | null = null;
function signingKeys() {
  keys ??= Promise.all([
    crypto.subtle.importKey("pkcs8", der(SANDBOX_WEBHOOK_KEYS.rsaPrivatePem), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]),
    crypto.subtle.importKey("pkcs8", der(SANDBOX_WEBHOOK_KEYS.ed25519PrivatePem), { name: "Ed25519" }, false, ["sign"]),
  ]).then(([rsa, ed]) => ({ rsa, ed }));
  return keys;
}

/** The documented payload: type, locationId, id, the contact's fields, timestamp, webhookId. */
function payload(e: Event, at: number): Record<string, unknown> {
  const c = e.contact;
  return {
    type: e.type,
    locationId: e.locationId,
    id: c.id,
    city: c.city,
    country: c.country,
    companyName: c.companyName ?? null,
    source: c.source,
    dateAdded: c.dateAdded,
    dnd: c.dnd,
    email: c.email ?? null,
    name: c.name,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    phone: c.phone ?? null,
    tags: c.tags,
    attachments: [],
    assignedTo: c.assignedTo,
    customFields: c.customFields,
    timestamp: new Date(at).toISOString(),
    webhookId: crypto.randomUUID(),
  };
}

async function sign(body: string, corrupt: boolean): Promise<Record<string, string>> {
  const { rsa, ed } = await signingKeys();
  const bytes = new TextEncoder().encode(corrupt ? `${body} ` : body);
  const [rsaSig, edSig] = await Promise.all([crypto.subtle.sign({ name: "RSASSA-PKCS1-v1_5" }, rsa, bytes), crypto.subtle.sign({ name: "Ed25519" }, ed, bytes)]);
  return { "content-type": "application/json", "x-wh-signature": b64(rsaSig), "x-ghl-signature": b64(edSig) };
}

export class WebhookSender {
  url: string | null = null;
  faults: WebhookFaults = { ...NO_WEBHOOK_FAULTS };
  private outbox: Delivery[] = [];
  /** Counts of what happened to deliveries (drops included), for tests and benches. */
  stats = { built: 0, sent: 0, dropped: 0, failed: 0 };

  constructor(private readonly now: () => number, private readonly sleep: (ms: number) => Promise<void>, private readonly random = Math.random) {}

  reset(): void {
    this.url = null;
    this.faults = { ...NO_WEBHOOK_FAULTS };
    this.outbox = [];
    this.stats = { built: 0, sent: 0, dropped: 0, failed: 0 };
  }

  drain(): Delivery[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  /** Builds, signs and sends one mutation's deliveries under the configured faults. */
  async deliver(events: Event[]): Promise<void> {
    if (events.length === 0) return;
    const f = this.faults;
    const built: Delivery[] = [];
    for (const e of events) {
      const at = this.random() < f.staleRate ? this.now() - 600_000 : this.now();
      const body = JSON.stringify(payload(e, at));
      const delivery = { body, headers: await sign(body, this.random() < f.badSignatureRate) };
      this.stats.built++;
      if (this.random() < f.dropRate) {
        this.stats.dropped++;
        continue;
      }
      built.push(delivery);
      if (this.random() < f.duplicateRate) built.push(delivery);
    }
    if (f.reorder) built.reverse();
    if (f.delayMs > 0) await this.sleep(f.delayMs);
    this.outbox.push(...built);
    if (this.outbox.length > 10_000) this.outbox.splice(0, this.outbox.length - 10_000);
    if (!this.url) return;
    for (const d of built) {
      try {
        const res = await fetch(this.url, { method: "POST", headers: d.headers, body: d.body });
        if (res.ok) this.stats.sent++;
        else this.stats.failed++;
        await res.body?.cancel();
      } catch {
        this.stats.failed++;
      }
    }
  }
}
