// Operator endpoints, guarded by ADMIN_API_KEY: register locations (credentials in, never out),
// mint and revoke location-scoped tokens for embedding hosts, re-seal credentials after a key
// rotation.
import { z } from "zod";
import type { Provider } from "../../shared/db/schema";
import { REVOCATION_KINDS } from "../../shared/db/security";
import { locationCreateSchema, locationPatchSchema } from "../../shared/schemas/locations";
import { SCOPES } from "../../shared/schemas/scopes";
import { mintToken } from "../auth/tokens";
import { connectionRows } from "../db/connections";
import { resealCredentials } from "../db/credential-rotation";
import { toConnection } from "../oauth/connections";
import { createLocation, listLocations, patchLocation, registeredIds, toLocationView } from "../db/location-admin";
import { getLocation } from "../db/location-queries";
import { MAX_TOKEN_LIFETIME_MS, revoke } from "../db/revocations";
import { access, secretsOf } from "../http/access";
import { AppError } from "../http/errors";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";
import { upstreamUrlProblem } from "../providers/hosts";

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

function checkBaseUrl(provider: Provider, baseUrl: string | null | undefined, devMode: boolean): void {
  if (baseUrl === null || baseUrl === undefined) return;
  const problem = upstreamUrlProblem(provider, baseUrl, devMode);
  if (problem) throw new AppError("base_url_not_allowed", `base_url '${baseUrl}' is not allowed: ${problem}.`);
}

export const adminRoutes = createRouter()
  .post("/locations", access.admin(), validate("json", locationCreateSchema), async (c) => {
    const input = c.req.valid("json");
    checkBaseUrl(input.provider, input.base_url, c.var.config.DEV_MODE);
    const { credentials } = await secretsOf(c.env);
    const row = await createLocation(c.var.db, credentials, input);
    if (!row) throw new AppError("location_exists", `Location '${input.id}' already exists: PATCH it instead.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 201);
  })
  .get("/locations", access.admin(), async (c) => {
    const rows = await listLocations(c.var.db);
    return c.json({ success: true as const, locations: rows.map(toLocationView) }, 200);
  })
  .get("/locations/:id", access.admin(), validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const row = await getLocation(c.var.db, id);
    if (!row) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 200);
  })
  .patch("/locations/:id", access.admin(), validate("param", idParam), validate("json", locationPatchSchema), async (c) => {
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
  .get("/connections", access.admin(), async (c) => {
    const origin = new URL(c.req.url).origin;
    const now = Date.now();
    const rows = await connectionRows(c.var.db, null);
    return c.json({ connections: rows.map((r) => toConnection(r, c.var.config, origin, now)) }, 200);
  })
  .post("/tokens", access.admin(), validate("json", tokenRequest), async (c) => {
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
  .post("/tokens/revoke", access.admin(), validate("json", revokeRequest), async (c) => {
    const req = c.req.valid("json");
    const now = Date.now();
    await revoke(c.var.db, { kind: req.kind, value: req.value, now, expiresAt: now + MAX_TOKEN_LIFETIME_MS, reason: req.reason ?? null });
    return c.json({ success: true as const, revoked: { kind: req.kind, value: req.value } }, 200);
  })
  // After CREDENTIALS_KEY rotated (old key in CREDENTIALS_KEY_PREVIOUS): seal every stored credential anew.
  .post("/credentials/reseal", access.admin(), async (c) => {
    const { credentials } = await secretsOf(c.env);
    const result = await resealCredentials(c.var.db, credentials, Date.now());
    return c.json({ success: true as const, key_id: credentials.current.id, ...result }, 200);
  });
