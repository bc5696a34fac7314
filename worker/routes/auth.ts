// Token exchanges for embedded widgets that have no token of their own. Public by design: the proof
// is the payload itself (see worker/auth/sso-exchange.ts for how it is checked without becoming an
// oracle). Bodies here are capped at 16 KB before anything reads them (worker/http/body-limit.ts).
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { SCOPES } from "../../shared/schemas/scopes";
import { abuseLimits } from "../abuse/client";
import { MAX_PAYLOAD_CHARS } from "../auth/ghl-sso";
import { exchangeSsoPayload } from "../auth/sso-exchange";
import type { AppEnv } from "../env";
import { access, secretsOf } from "../http/access";
import { AppError } from "../http/errors";
import { docs } from "../http/openapi";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { syncDeps } from "../sync/deps";

// Only the envelope is checked here; what the payload string holds is the exchange's business.
const ssoRequest = z.object({ payload: z.string().min(1).max(MAX_PAYLOAD_CHARS) }).strict();
const ssoGrantSchema = z.object({
  success: z.literal(true),
  token: z.string(),
  expires_in: z.number().int(),
  location_id: z.string(),
  locations: z.array(z.string()),
  scopes: z.array(z.enum(SCOPES)),
});

/** A malformed JSON body is `invalid_body` like every other body error (Hono's own says 400 only). */
const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if ((c.req.header("content-type") ?? "").includes("json")) {
    // Parsed once: the validator below reads Hono's cached copy.
    await c.req.json().catch(() => {
      throw new AppError("invalid_body", 'The body is not valid JSON: send {"payload": "<the REQUEST_USER_DATA_RESPONSE payload>"}.');
    });
  }
  await next();
});

export const authRoutes = createRouter().post(
  "/ghl-sso",
  access.public("the encrypted GoHighLevel payload is the credential; failures are uniform and rate-limited per IP and location"),
  docs({
    summary: "Exchange a GoHighLevel SSO payload for a location token",
    description: "The custom page's encrypted REQUEST_USER_DATA_RESPONSE payload is the credential. Every failure of the exchange is the same 401 `sso_failed`.",
    tag: "Auth",
    ok: { 200: ssoGrantSchema },
    errors: ["sso_failed", "sso_not_configured", "rate_limited", "misconfigured"],
  }),
  jsonBody,
  validate("json", ssoRequest),
  async (c) => {
    const secrets = await secretsOf(c.env);
    if (!secrets.ghlSsoKey) {
      throw new AppError("sso_not_configured", "GoHighLevel SSO is not set up here: GHL_SSO_KEY (the app's Shared Secret) is not configured.");
    }
    const grant = await exchangeSsoPayload(
      {
        deps: syncDeps(c),
        keys: secrets.auth,
        sharedSecret: secrets.ghlSsoKey,
        limits: abuseLimits(c.env.ABUSE_LIMITER),
        clientIp: c.req.header("cf-connecting-ip") ?? "unknown",
      },
      c.req.valid("json").payload,
    );
    return c.json(
      {
        success: true as const,
        token: grant.token,
        expires_in: grant.expiresIn,
        location_id: grant.locationId,
        locations: grant.locations,
        scopes: grant.scopes,
      },
      200,
    );
  },
);
