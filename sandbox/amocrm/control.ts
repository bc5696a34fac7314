// /__sandbox/amocrm: the control API tests and benches use to shape AmoCRM accounts. No auth: local only.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Sandbox } from "../sandbox";
import { withDefaults, type AmoAccount } from "./accounts";
import { summary, truth, matchingContactIds } from "./truth";

type ControlEnv = { Bindings: { sandbox: Sandbox } };

const accountSchema = z.object({
  subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "subdomain must be 1-63 chars of [a-z0-9-]"),
  contacts: z.number().int().min(0).max(200_000).optional(),
  companies: z.number().int().min(0).max(50_000).optional(),
  matching_companies: z.number().int().min(0).optional(),
  seed: z.number().int().optional(),
  access_ttl_s: z.number().int().min(1).optional(),
  rate: z.object({ max: z.number().int().min(1), intervalMs: z.number().int().min(1) }).optional(),
  block: z.object({ after429: z.number().int().min(1), windowMs: z.number().int().min(1), durationMs: z.number().int().min(0) }).optional(),
});

const mutateSchema = z.object({ contacts: z.union([z.number().int().min(0), z.array(z.number().int())]) });
const faultsSchema = z.object({
  error5xx: z.number().int().min(0).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  deleteAfterPage: z.object({ page: z.number().int().min(1), ids: z.array(z.number().int()) }).nullable().optional(),
});
const deleteSchema = z.object({ contacts: z.array(z.number().int()).min(1) });

async function body<T>(c: Context<ControlEnv>, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  let raw: unknown;
  try { raw = await c.req.json(); } catch { return { ok: false, error: "body must be JSON" }; }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

/** Looks the account up or answers 404; every /accounts/:sub route starts with this. */
function found(c: Context<ControlEnv>): AmoAccount | Response {
  return c.env.sandbox.amo.get(c.req.param("sub") ?? "") ?? c.json({ error: "unknown account" }, 404);
}

export const amoControl = new Hono<ControlEnv>()
  .post("/accounts", async (c) => {
    const b = await body(c, accountSchema);
    if (!b.ok) return c.json({ error: b.error }, 400);
    const d = b.data;
    const init = withDefaults({ subdomain: d.subdomain, contacts: d.contacts, companies: d.companies, seed: d.seed,
      accessTtlS: d.access_ttl_s, rate: d.rate, block: d.block });
    init.matchingCompanies = d.matching_companies ?? 50;
    if (init.matchingCompanies > init.companies) return c.json({ error: "matching_companies must not exceed companies" }, 400);
    if (init.contacts < 9 * init.matchingCompanies) {
      return c.json({ error: "contacts must be at least 9 x matching_companies (each matching company holds 9-20)" }, 400);
    }
    return c.json(summary(c.env.sandbox.amo.upsert(init)), 201);
  })
  .get("/accounts/:sub", (c) => {
    const a = found(c);
    return a instanceof Response ? a : c.json(summary(a), 200);
  })
  .get("/accounts/:sub/truth", (c) => {
    const a = found(c);
    return a instanceof Response ? a : c.json(truth(a), 200);
  })
  .get("/accounts/:sub/contacts/:id", (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const contact = a.contact(Number(c.req.param("id")));
    return contact ? c.json(contact, 200) : c.json({ error: "unknown contact" }, 404);
  })
  .post("/accounts/:sub/mutate", async (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const b = await body(c, mutateSchema);
    if (!b.ok) return c.json({ error: b.error }, 400);
    let ids: number[];
    if (typeof b.data.contacts === "number") {
      // Contacts of matching companies first (ascending), then the rest: the same pick every time.
      const first = matchingContactIds(a);
      const taken = new Set(first);
      ids = [...first, ...a.core.contacts.map((x) => x.id).filter((id) => !taken.has(id))].slice(0, b.data.contacts);
    } else {
      ids = b.data.contacts;
      const unknown = ids.filter((id) => !a.contact(id));
      if (unknown.length) return c.json({ error: "unknown contacts", unknown }, 404);
    }
    const at = Math.floor(c.env.sandbox.now() / 1000);
    for (const id of ids) a.touch(id, at);
    return c.json({ updated: ids, at }, 200);
  })
  .post("/accounts/:sub/expire-access", (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    a.tokens.expireAccess(c.env.sandbox.now());
    return c.json(summary(a), 200);
  })
  .post("/accounts/:sub/codes", async (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const b = await body(c, z.object({
      redirect_uri: z.url(),
      access_ttl_s: z.number().int().min(1).optional(),
      // The integration the code is for (the account installs it): its client id and secret.
      client_id: z.string().min(1).optional(),
      client_secret: z.string().min(1).optional(),
    }));
    if (!b.ok) return c.json({ error: b.error }, 400);
    if (b.data.access_ttl_s !== undefined) a.tokens.setTtl(b.data.access_ttl_s);
    if (b.data.client_id) a.tokens.clientId = b.data.client_id;
    if (b.data.client_secret) a.tokens.clientSecret = b.data.client_secret;
    return c.json({ code: a.tokens.issueCode(b.data.redirect_uri, c.env.sandbox.now()) }, 200);
  })
  .put("/accounts/:sub/token-ttl", async (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const b = await body(c, z.object({ access_ttl_s: z.number().int().min(1) }));
    if (!b.ok) return c.json({ error: b.error }, 400);
    a.tokens.setTtl(b.data.access_ttl_s);
    return c.json({ ok: true }, 200);
  })
  .post("/accounts/:sub/revoke-refresh", (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    a.tokens.revokeRefresh();
    return c.json(summary(a), 200);
  })
  .put("/accounts/:sub/faults", async (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const b = await body(c, faultsSchema);
    if (!b.ok) return c.json({ error: b.error }, 400);
    if (b.data.error5xx !== undefined) a.faults.error5xx = b.data.error5xx;
    if (b.data.latencyMs !== undefined) a.faults.latencyMs = b.data.latencyMs;
    if (b.data.deleteAfterPage !== undefined) a.faults.deleteAfterPage = b.data.deleteAfterPage;
    return c.json({ ...a.faults }, 200);
  })
  .post("/accounts/:sub/delete", async (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const b = await body(c, deleteSchema);
    if (!b.ok) return c.json({ error: b.error }, 400);
    const unknown = b.data.contacts.filter((id) => !a.contact(id));
    if (unknown.length) return c.json({ error: "unknown contacts", unknown }, 404);
    return c.json({ deleted: a.remove(b.data.contacts) }, 200);
  })
  .get("/accounts/:sub/stats", (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    const now = c.env.sandbox.now();
    return c.json(a.stats.snapshot(now, a.throttle.isBlocked(now)), 200);
  })
  .post("/accounts/:sub/stats/reset", (c) => {
    const a = found(c);
    if (a instanceof Response) return a;
    a.resetTraffic();
    return c.json({ ok: true }, 200);
  });
