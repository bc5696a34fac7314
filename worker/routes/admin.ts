// Operator endpoints, guarded by ADMIN_API_KEY: register locations (credentials in, never out)
// and mint location-scoped tokens for embedding hosts.
import { z } from "zod";
import { locationCreateSchema, locationPatchSchema } from "../../shared/schemas/locations";
import { requireAdmin } from "../auth/middleware";
import { mintToken } from "../auth/tokens";
import { createLocation, listLocations, patchLocation, toLocationView } from "../db/location-admin";
import { getLocation } from "../db/location-queries";
import { AppError } from "../http/errors";
import { createRouter } from "../http/router";
import { validate } from "../http/validate";

const idParam = z.object({ id: z.string().min(1).max(128) });
const tokenRequest = z
  .object({
    locations: z.array(z.string().min(1).max(128)).min(1).max(100),
    subject: z.string().min(1).max(200).default("admin-issued"),
    ttl_seconds: z.number().int().min(60).max(30 * 24 * 3600).optional(),
  })
  .strict();

export const adminRoutes = createRouter()
  .use(requireAdmin)
  .post("/locations", validate("json", locationCreateSchema), async (c) => {
    const input = c.req.valid("json");
    const row = await createLocation(c.var.db, c.env.CREDENTIALS_KEY, input);
    if (!row) throw new AppError("location_exists", `Location '${input.id}' already exists: PATCH it instead.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 201);
  })
  .get("/locations", async (c) => {
    const rows = await listLocations(c.var.db);
    return c.json({ success: true as const, locations: rows.map(toLocationView) }, 200);
  })
  .get("/locations/:id", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const row = await getLocation(c.var.db, id);
    if (!row) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 200);
  })
  .patch("/locations/:id", validate("param", idParam), validate("json", locationPatchSchema), async (c) => {
    const { id } = c.req.valid("param");
    const row = await patchLocation(c.var.db, c.env.CREDENTIALS_KEY, id, c.req.valid("json"), Date.now());
    if (!row) throw new AppError("location_not_found", `Location '${id}' is not registered.`);
    return c.json({ success: true as const, location: toLocationView(row) }, 200);
  })
  .post("/tokens", validate("json", tokenRequest), async (c) => {
    const req = c.req.valid("json");
    const ttl = req.ttl_seconds ?? c.var.config.TOKEN_TTL_SECONDS;
    const token = await mintToken(c.env.AUTH_SECRET, { subject: req.subject, locations: req.locations, ttlSeconds: ttl });
    return c.json({ success: true as const, token, expires_in: ttl }, 201);
  });
