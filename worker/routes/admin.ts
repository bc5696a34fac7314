// Operator endpoints, guarded by ADMIN_API_KEY: register locations (credentials in, never out),
// mint and revoke location-scoped tokens for embedding hosts, re-seal credentials after a key
// rotation.
import { z } from "zod";
import type { Provider } from "../../shared/db/schema";
import { REVOCATION_KINDS } from "../../shared/db/security";
import { locationCreateSchema, locationPatchSchema, locationResponseSchema, locationsResponseSchema } from "../../shared/schemas/locations";
import { connectionsResponseSchema } from "../../shared/schemas/connections";
import { successResponseSchema, webhookUrlResponseSchema } from "../../shared/schemas/webhooks";
import { SCOPES } from "../../shared/schemas/scopes";
import { mintToken } from "../auth/tokens";
import { connectionRows } from "../db/connections";
import { resealCredentials } from "../db/credential-rotation";
import { toConnection } from "../oauth/connections";
import { createLocation, listLocations, patchLocation, registeredIds, setWebhookSecretHash, toLocationView } from "../db/location-admin";
import { getLocation } from "../db/location-queries";
import { MAX_TOKEN_LIFETIME_MS, revoke } from "../db/revocations";
import { access, secretsOf } from "../http/access";
import { AppError } from "../http/errors";
import { docs } from "../http/openapi";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { upstreamUrlProblem } from "../providers/hosts";
import { hashWebhookSecret, newWebhookSecret } from "../webhooks/amocrm-secret";

const idParam = z.object({ id: z.string().min(1).max(128) });
/** Admin-minted tokens live a day at most: a leaked one is not a standing key. */
export const ADMIN_TOKEN_MAX_TTL = 24 * 3600;
const tokenRequest = z
  .object({
    locations: z.array(z.string().min(1).max(128)).min(1).max(100),
    subject: z.string().min(1).max(200).default("admin-issued"),
    ttl_seconds: z.number().int().min(60).max(ADMIN_TOKEN_MAX_TTL).optional(),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).default(["read", "import", "sync", "admin"]),
  })
  .strict();
const revokeRequest = z
  .object({ kind: z.enum(REVOCATION_KINDS), value: z.string().min(1).max(200), reason: z.string().max(500).optional() })
  .strict();
const tokenMintedSchema = z.object({
  success: z.literal(true),
  token: z.string(),
  /** The token's id: revoke it with {kind: "jti", value: token_id}. */
  token_id: z.string(),
  expires_in: z.number().int(),
  scopes: z.array(z.enum(SCOPES)),
});
const revokedSchema = z.object({ success: z.literal(true), revoked: z.object({ kind: z.enum(REVOCATION_KINDS), value: z.string() }) });
const resealedSchema = z.object({
  success: z.literal(true),
  key_id: z.string(),
  resealed: z.number().int(),
  already_current: z.number().int(),
  /** Locations whose credentials opened with neither key. */
  failed: z.array(z.string()),
});

function checkBaseUrl(provider: Provider, baseUrl: string | null | undefined, devMode: boolean): void {
  if (baseUrl === null || baseUrl === undefined) return;
  const problem = upstreamUrlProblem(provider, baseUrl, devMode);
  if (problem) throw new AppError("base_url_not_allowed", `base_url '${baseUrl}' is not allowed: ${problem}.`);
}

export const adminRoutes = createRouter()
  .post("/locations", access.admin(), docs({ summary: "Register a location", tag: "Admin", ok: { 201: locationResponseSchema }, errors: ["location_exists", "base_url_not_allowed"] }), validate("json", locationCreateSchema), async (c) => {
    const input = c.req.valid("json");
    checkBaseUrl(input.provider, input.base_url, c.var.config.DEV_MODE);
    const { credentials } = await secretsOf(c.env);
    const row = await createLocation(c.var.db, credentials, input);
    if (!row) throw new AppError("location_exists", `Location '${input.id}' already exists: PATCH it instead.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 201);
  })
  .get("/locations", access.admin(), docs({ summary: "List registered locations", tag: "Admin", ok: { 200: locationsResponseSchema } }), async (c) => {
    const rows = await listLocations(c.var.db);
    return c.json({ success: true as const, locations: rows.map(toLocationView) }, 200);
  })
  .get("/locations/:id", access.admin(), docs({ summary: "One location", tag: "Admin", ok: { 200: locationResponseSchema }, errors: ["location_not_found"] }), validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const row = await getLocation(c.var.db, id);
    if (!row) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 200);
  })
  .patch("/locations/:id", access.admin(), docs({ summary: "Change a location (credentials, settings, base URL…)", tag: "Admin", ok: { 200: locationResponseSchema }, errors: ["location_not_found", "base_url_not_allowed"] }), validate("param", idParam), validate("json", locationPatchSchema), async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    const current = await getLocation(c.var.db, id);
    if (!current) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    checkBaseUrl(current.provider, patch.base_url, c.var.config.DEV_MODE);
    const { credentials } = await secretsOf(c.env);
    const row = await patchLocation(c.var.db, credentials, id, patch, Date.now());
    if (!row) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 200);
  })
  .get("/connections", access.admin(), docs({ summary: "Every location's upstream connection: state, token expiry, last refresh and error (no tokens)", tag: "Admin", ok: { 200: connectionsResponseSchema } }), async (c) => {
    const origin = new URL(c.req.url).origin;
    const now = Date.now();
    const rows = await connectionRows(c.var.db, null);
    return c.json({ connections: rows.map((r) => toConnection(r, c.var.config, origin, now)) }, 200);
  })
  // AmoCRM: a new webhook URL for the location (its secret is shown once, only its hash is kept;
  // any earlier URL stops working). Point the account's webhook (contacts: add, update, delete,
  // restore) at it.
  .post("/locations/:id/webhook", access.admin(), docs({ summary: "Issue an AmoCRM location's webhook URL (shown once)", tag: "Admin", ok: { 201: webhookUrlResponseSchema }, errors: ["location_not_found", "not_amocrm"] }), validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const row = await getLocation(c.var.db, id);
    if (!row) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    if (row.provider !== "amocrm") throw new AppError("not_amocrm", "Only AmoCRM locations have a webhook URL: GoHighLevel delivers to the app's one URL, /api/webhooks/ghl.");
    const secret = newWebhookSecret();
    await setWebhookSecretHash(c.var.db, id, await hashWebhookSecret(secret), Date.now());
    const url = new URL(`/api/webhooks/amocrm/${encodeURIComponent(id)}/${secret}`, c.req.url).toString();
    return c.json({ success: true as const, webhook_url: url }, 201);
  })
  .delete("/locations/:id/webhook", access.admin(), docs({ summary: "Stop an AmoCRM location's webhook URL", tag: "Admin", ok: { 200: successResponseSchema }, errors: ["location_not_found"] }), validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    if (!(await setWebhookSecretHash(c.var.db, id, null, Date.now()))) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    return c.json({ success: true as const }, 200);
  })
  .post("/tokens", access.admin(), docs({ summary: "Mint a location token", tag: "Admin", ok: { 201: tokenMintedSchema }, errors: ["unknown_location"] }), validate("json", tokenRequest), async (c) => {
    const req = c.req.valid("json");
    const known = await registeredIds(c.var.db, req.locations);
    const unknown = req.locations.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError("unknown_location", `Not registered: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", …" : ""}.`);
    const ttl = Math.min(req.ttl_seconds ?? c.var.config.TOKEN_TTL_SECONDS, ADMIN_TOKEN_MAX_TTL);
    const { auth } = await secretsOf(c.env);
    const minted = await mintToken(auth, { subject: req.subject, locations: req.locations, scopes: req.scopes, ttlSeconds: ttl });
    return c.json({ success: true as const, token: minted.token, token_id: minted.jti, expires_in: ttl, scopes: req.scopes }, 201);
  })
  // One token by its id (`jti`, returned when it was minted), or every token of a subject issued so far.
  .post("/tokens/revoke", access.admin(), docs({ summary: "Revoke one token (by jti) or every token of a subject", tag: "Admin", ok: { 200: revokedSchema } }), validate("json", revokeRequest), async (c) => {
    const req = c.req.valid("json");
    const now = Date.now();
    await revoke(c.var.db, { kind: req.kind, value: req.value, now, expiresAt: now + MAX_TOKEN_LIFETIME_MS, reason: req.reason ?? null });
    return c.json({ success: true as const, revoked: { kind: req.kind, value: req.value } }, 200);
  })
  // After CREDENTIALS_KEY rotated (old key in CREDENTIALS_KEY_PREVIOUS): seal every stored credential anew.
  .post("/credentials/reseal", access.admin(), docs({ summary: "Seal every stored credential with the current key", tag: "Admin", ok: { 200: resealedSchema } }), async (c) => {
    const { credentials } = await secretsOf(c.env);
    const result = await resealCredentials(c.var.db, credentials, Date.now());
    return c.json({ success: true as const, key_id: credentials.current.id, ...result }, 200);
  });
