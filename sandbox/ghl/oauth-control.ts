// /__sandbox/ghl/oauth: tests shape the Marketplace app here. An agency with its installed
// locations, an install code (Company or Location class), the access-token lifetime, the app's
// client credentials, expiring or revoking a grant's tokens, and the counters.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Sandbox } from "../sandbox";

type ControlEnv = { Bindings: { sandbox: Sandbox } };

const companySchema = z.object({ companyId: z.string().min(1), locationIds: z.array(z.string().min(1)) });
const codeSchema = z.object({
  userType: z.enum(["Company", "Location"]),
  companyId: z.string().min(1),
  locationId: z.string().min(1).optional(),
  ttlS: z.number().int().min(1).optional(),
});
const configSchema = z.object({ tokenLatencyMs: z.number().int().min(0).max(10_000).optional(), accessTtlS: z.number().int().min(1).optional(), clientId: z.string().min(1).optional(), clientSecret: z.string().min(1).optional() });
const matchSchema = z.object({ companyId: z.string().min(1).optional(), locationId: z.string().min(1).optional() });

async function body<T>(c: Context<ControlEnv>, schema: z.ZodType<T>): Promise<T | Response> {
  let raw: unknown;
  try { raw = await c.req.json(); } catch { return c.json({ error: "body must be JSON" }, 400); }
  const r = schema.safeParse(raw);
  return r.success ? r.data : c.json({ error: z.prettifyError(r.error) }, 400);
}

const matches = (m: z.infer<typeof matchSchema>) => (g: { companyId: string; locationId: string | null }) =>
  (m.companyId === undefined || g.companyId === m.companyId) && (m.locationId === undefined || g.locationId === m.locationId);

export const ghlOAuthControl = new Hono<ControlEnv>()
  .get("/", (c) => {
    const o = c.env.sandbox.ghlOAuth;
    return c.json({ clientId: o.clientId, clientSecret: o.clientSecret, accessTtlS: o.accessTtlS, stats: o.stats }, 200);
  })
  .put("/config", async (c) => {
    const b = await body(c, configSchema);
    if (b instanceof Response) return b;
    const o = c.env.sandbox.ghlOAuth;
    if (b.accessTtlS !== undefined) o.accessTtlS = b.accessTtlS;
    if (b.tokenLatencyMs !== undefined) o.tokenLatencyMs = b.tokenLatencyMs;
    if (b.clientId !== undefined) o.clientId = b.clientId;
    if (b.clientSecret !== undefined) o.clientSecret = b.clientSecret;
    return c.json({ accessTtlS: o.accessTtlS }, 200);
  })
  .post("/companies", async (c) => {
    const b = await body(c, companySchema);
    if (b instanceof Response) return b;
    const unknown = b.locationIds.filter((id) => !c.env.sandbox.locations.has(id));
    if (unknown.length) return c.json({ error: "unknown locations", unknown }, 404);
    c.env.sandbox.ghlOAuth.companies.set(b.companyId, b.locationIds);
    for (const id of b.locationIds) c.env.sandbox.users.setCompany(id, b.companyId);
    return c.json(b, 200);
  })
  .post("/codes", async (c) => {
    const b = await body(c, codeSchema);
    if (b instanceof Response) return b;
    if (b.userType === "Location" && !b.locationId) return c.json({ error: "a Location code needs locationId" }, 400);
    const grant = { userType: b.userType, companyId: b.companyId, locationId: b.locationId ?? null, ...(b.ttlS ? { ttlS: b.ttlS } : {}) };
    const code = c.env.sandbox.ghlOAuth.issueCode(grant, c.env.sandbox.now());
    return c.json({ code }, 200);
  })
  .post("/expire", async (c) => {
    const b = await body(c, matchSchema);
    if (b instanceof Response) return b;
    c.env.sandbox.ghlOAuth.expire(matches(b));
    return c.json({ ok: true }, 200);
  })
  .post("/revoke", async (c) => {
    const b = await body(c, matchSchema);
    if (b instanceof Response) return b;
    return c.json({ revoked: c.env.sandbox.ghlOAuth.revoke(matches(b)) }, 200);
  })
  .get("/grants/:key/stats", (c) => {
    const o = c.env.sandbox.ghlOAuth;
    return c.json(o.byGrant.get(c.req.param("key")) ?? { codeExchanges: 0, refreshes: 0, refreshReuses: 0, locationTokens: 0, installedLocationsCalls: 0 }, 200);
  })
  .post("/stats/reset", (c) => {
    c.env.sandbox.ghlOAuth.resetStats();
    return c.json({ ok: true }, 200);
  });
