// Upstream webhooks: hints that keep the cache fresh within seconds (docs/webhooks.md). Both
// routes are public and authenticated by what the delivery carries: GoHighLevel's signature over
// the raw body, AmoCRM's per-location secret in the URL. They answer at once and leave the work
// to WEBHOOK_QUEUE. Nothing is parsed before the signature (or the secret) checks out.
import { z } from "zod";
import type { Provider } from "../../shared/db/schema";
import type { ContactHint, WebhookHintsMessage } from "../../shared/schemas/webhooks";
import { MAX_HINTS_PER_MESSAGE, webhookAckSchema } from "../../shared/schemas/webhooks";
import { getLocation, ghlLocationsByAccount } from "../db/location-queries";
import { countUnmatched, forgetDelivery, takeDelivery } from "../db/webhook-receipts";
import type { Db } from "../env";
import { AUTH_FAILED, access } from "../http/access";
import { docs } from "../http/openapi";
import { AppError } from "../http/errors";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { readAmoDelivery } from "../webhooks/amocrm-payload";
import { webhookSecretMatches } from "../webhooks/amocrm-secret";
import { GHL_PUBLISHED_ED25519_PEM, GHL_PUBLISHED_RSA_PEM } from "../webhooks/ghl-keys";
import { readGhlDelivery } from "../webhooks/ghl-payload";
import { verifyGhlWebhook } from "../webhooks/ghl-signature";

const amoParams = z.object({ location: z.string().min(1).max(128), secret: z.string().min(1).max(200) });

async function digest(raw: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(raw)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function messages(provider: Provider, locationIds: string[], hints: ContactHint[], receivedAt: number): WebhookHintsMessage[] {
  const out: WebhookHintsMessage[] = [];
  for (const locationId of locationIds) {
    for (let i = 0; i < hints.length; i += MAX_HINTS_PER_MESSAGE) {
      out.push({ type: "webhook.hints", provider, location_id: locationId, received_at: receivedAt, hints: hints.slice(i, i + MAX_HINTS_PER_MESSAGE) });
    }
  }
  return out;
}

/**
 * Takes the delivery once (dedupe) and queues its hints. If the queue refuses, the delivery is
 * forgotten again and answered 429: GoHighLevel retries a delivery only on 429.
 */
async function takeAndQueue(
  env: Env,
  db: Db,
  provider: Provider,
  deliveryId: string,
  batch: WebhookHintsMessage[],
  now: number,
): Promise<"queued" | "duplicate"> {
  if (!(await takeDelivery(db, provider, deliveryId, batch[0]?.location_id ?? null, now))) return "duplicate";
  if (batch.length === 0) return "queued";
  try {
    await env.WEBHOOK_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
  } catch (err) {
    await forgetDelivery(db, provider, deliveryId);
    console.error(JSON.stringify({ event: "webhook.queue_failed", provider, error: String(err) }));
    throw new AppError("rate_limited", "The delivery could not be queued; send it again shortly.", undefined, 5);
  }
  return "queued";
}

export const webhookRoutes = createRouter()
  .post(
    "/ghl",
    access.public("verified by GoHighLevel's signature over the raw body (x-ghl-signature Ed25519, x-wh-signature RSA)"),
    docs({ summary: "GoHighLevel contact webhooks (signed)", tag: "Webhooks", ok: { 200: webhookAckSchema }, body: { description: "GoHighLevel's JSON delivery, signed over its raw bytes.", contentTypes: ["application/json"] }, errors: ["unauthorized", "stale_webhook", "invalid_body", "rate_limited"] }),
    async (c) => {
    const raw = await c.req.text();
    const config = c.var.config;
    const keys = {
      rsaPem: config.GHL_WEBHOOK_PUBLIC_KEY || GHL_PUBLISHED_RSA_PEM,
      ed25519Pem: config.GHL_WEBHOOK_ED25519_PUBLIC_KEY || GHL_PUBLISHED_ED25519_PEM,
    };
    if (!(await verifyGhlWebhook(raw, c.req.raw.headers, keys))) {
      throw new AppError("unauthorized", "The delivery's signature does not verify.");
    }
    const now = Date.now();
    const delivery = readGhlDelivery(raw, now, config.WEBHOOK_MAX_AGE_SECONDS * 1000);
    if (delivery.kind === "invalid") throw new AppError("invalid_body", delivery.message);
    if (delivery.kind === "stale") throw new AppError("stale_webhook", delivery.message);
    if (!delivery.hint) {
      return c.json({ success: true as const, status: "ignored" as const, reason: `'${delivery.type.slice(0, 60)}' events are not applied (the periodic sync covers them).` }, 200);
    }
    const bound = await ghlLocationsByAccount(c.var.db, delivery.accountId);
    if (bound.length === 0) {
      await countUnmatched(c.var.db, "ghl", delivery.accountId, now);
      return c.json({ success: true as const, status: "unknown_location" as const, reason: "No location is registered for this GoHighLevel location; the delivery is counted and dropped." }, 200);
    }
    const deliveryId = delivery.webhookId ?? `sha256:${await digest(raw)}`;
    const batch = messages("ghl", bound.map((l) => l.id), [delivery.hint], now);
    const status = await takeAndQueue(c.env, c.var.db, "ghl", deliveryId, batch, now);
    return c.json({ success: true as const, status }, 200);
    },
  )
  .post(
    "/amocrm/:location/:secret",
    access.public("verified by the location's webhook secret in the URL (hashed at rest, compared in constant time)"),
    docs({ summary: "AmoCRM webhooks for one location (secret URL)", tag: "Webhooks", ok: { 200: webhookAckSchema }, body: { description: "AmoCRM's form-encoded delivery.", contentTypes: ["application/x-www-form-urlencoded"] }, errors: ["unauthorized", "invalid_body", "account_mismatch", "rate_limited"] }),
    validate("param", amoParams),
    async (c) => {
      const { location: locationId, secret } = c.req.valid("param");
      const location = await getLocation(c.var.db, locationId);
      const stored = location?.provider === "amocrm" ? location.webhookSecretHash : null;
      // Unknown location, no webhook, wrong secret: one answer.
      if (!(await webhookSecretMatches(secret, stored)) || !location) throw new AppError("unauthorized", AUTH_FAILED);
      const raw = await c.req.text();
      const now = Date.now();
      const delivery = readAmoDelivery(raw, now);
      if (delivery.kind === "invalid") throw new AppError("invalid_body", delivery.message);
      if (delivery.subdomain !== null && delivery.subdomain.toLowerCase() !== location.accountId.toLowerCase()) {
        throw new AppError("account_mismatch", "The delivery names another AmoCRM account than this location's.");
      }
      if (delivery.hints.length === 0) {
        return c.json({ success: true as const, status: "ignored" as const, hints: 0, ignored: delivery.ignored }, 200);
      }
      const batch = messages("amocrm", [location.id], delivery.hints, now);
      const status = await takeAndQueue(c.env, c.var.db, "amocrm", `sha256:${await digest(`${location.id}\n${raw}`)}`, batch, now);
      return c.json({ success: true as const, status, hints: delivery.hints.length, ignored: delivery.ignored }, 200);
    },
  );
