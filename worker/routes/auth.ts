// Token exchanges for embedded widgets that have no token of their own. Unauthenticated by design
// (the bearer guard in app.ts skips /api/auth/*): the proof is the payload itself.
//
// POST /api/auth/ghl-sso {payload}: a GoHighLevel custom page's encrypted user context (see
// worker/auth/ghl-sso.ts) → our short-lived token for the registered GHL location(s) whose upstream
// account is the payload's activeLocation.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { locations } from "../../shared/db/schema";
import { MAX_PAYLOAD_CHARS, decryptSsoPayload } from "../auth/ghl-sso";
import { mintToken } from "../auth/tokens";
import { AppError } from "../http/errors";
import { createRouter } from "../http/router";

const ssoRequest = z.object({ payload: z.string().min(1).max(MAX_PAYLOAD_CHARS) }).strict();

/** JSON bodies parsed here, so a malformed one is `invalid_body` like every other body error. */
async function readBody(req: Request): Promise<z.infer<typeof ssoRequest>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await req.text());
  } catch {
    throw new AppError("invalid_body", "Send a JSON body {\"payload\": \"<the REQUEST_USER_DATA_RESPONSE payload>\"}.");
  }
  const parsed = ssoRequest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new AppError("invalid_body", `${where}${issue?.message ?? "invalid body"}.`);
  }
  return parsed.data;
}

export const authRoutes = createRouter().post("/ghl-sso", async (c) => {
  const secret = c.env.GHL_SSO_KEY;
  if (!secret) {
    throw new AppError("sso_not_configured", "GoHighLevel SSO is not set up here: GHL_SSO_KEY (the app's Shared Secret) is not configured.");
  }
  if (!c.env.AUTH_SECRET) throw new AppError("misconfigured", "AUTH_SECRET is not set.");
  const { payload } = await readBody(c.req.raw);
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
