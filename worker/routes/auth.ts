// Token exchanges for embedded widgets that have no token of their own. Unauthenticated by design
// (the bearer guard in app.ts skips /api/auth/*): the proof is the payload itself.
//
// POST /api/auth/ghl-sso {payload}: a GoHighLevel custom page's encrypted user context (see
// worker/auth/ghl-sso.ts) → our short-lived token for the registered GHL location(s) whose upstream
// account is the payload's activeLocation.
import { and, asc, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { locations } from "../../shared/db/schema";
import { MAX_PAYLOAD_CHARS, decryptSsoPayload } from "../auth/ghl-sso";
import { mintToken } from "../auth/tokens";
import { AppError } from "../http/errors";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import type { AppEnv } from "../env";

const ssoRequest = z.object({ payload: z.string().min(1).max(MAX_PAYLOAD_CHARS) }).strict();

/** A malformed JSON body is `invalid_body` like every other body error (Hono's own says 400 only). */
const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if ((c.req.header("content-type") ?? "").includes("json")) {
    // Parsed once: the validator below reads Hono's cached copy.
    await c.req.json().catch(() => {
      throw new AppError("invalid_body", "The body is not valid JSON: send {\"payload\": \"<the REQUEST_USER_DATA_RESPONSE payload>\"}.");
    });
  }
  await next();
});

export const authRoutes = createRouter().post("/ghl-sso", jsonBody, validate("json", ssoRequest), async (c) => {
  const secret = c.env.GHL_SSO_KEY;
  if (!secret) {
    throw new AppError("sso_not_configured", "GoHighLevel SSO is not set up here: GHL_SSO_KEY (the app's Shared Secret) is not configured.");
  }
  if (!c.env.AUTH_SECRET) throw new AppError("misconfigured", "AUTH_SECRET is not set.");
  const { payload } = c.req.valid("json");
  const result = await decryptSsoPayload(secret, payload);
  if (!result.ok) throw new AppError("bad_payload", result.reason);
  const { user } = result;
  if (!user.activeLocation) {
    throw new AppError("bad_payload", "The SSO payload has no activeLocation: open the widget from a sub-account (location), not the agency view.");
  }
  const rows = await c.var.db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.provider, "ghl"), eq(locations.accountId, user.activeLocation)))
    .orderBy(asc(locations.id))
    .limit(100);
  const first = rows[0];
  if (!first) {
    throw new AppError("unknown_location", `GoHighLevel location '${user.activeLocation}' is not registered with CRM Edge.`);
  }
  const ttl = c.var.config.TOKEN_TTL_SECONDS;
  const token = await mintToken(c.env.AUTH_SECRET, {
    subject: `ghl:${user.userId}`,
    locations: rows.map((r) => r.id),
    ttlSeconds: ttl,
  });
  return c.json({ success: true as const, token, expires_in: ttl, location_id: first.id, locations: rows.map((r) => r.id) }, 200);
});
