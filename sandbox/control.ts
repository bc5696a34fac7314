// /__sandbox: the control API tests and benches use to shape the simulator. No auth: local only.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { amoControl } from "./amocrm/control";
import { ghlOAuthControl } from "./ghl/oauth-control";
import { UnknownContactsError } from "./data/store";
import type { RateConfig } from "./limits";
import { TokenConflictError, type Location, type Sandbox } from "./sandbox";

type ControlEnv = { Bindings: { sandbox: Sandbox } };

const rateSchema = z.object({
  max: z.number().int().min(1),
  intervalMs: z.number().int().min(1),
  daily: z.number().int().min(1).optional(),
  retryAfter: z.boolean().optional(),
});

const locationSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "id must be 1-64 chars of [A-Za-z0-9_-]"),
  contacts: z.number().int().min(0).max(1_000_000).optional(),
  seed: z.number().int().optional(),
  token: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  rate: rateSchema.optional(),
});

const userSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().max(200).optional(),
  email: z.string().max(200).optional(),
  companyId: z.string().min(1).optional(),
  type: z.enum(["agency", "account"]).optional(),
  role: z.enum(["admin", "user"]).optional(),
  locationIds: z.array(z.string()).optional(),
  restrictSubAccount: z.boolean().optional(),
  deleted: z.boolean().optional(),
});

const idsOrCount = z.union([z.number().int().min(0), z.array(z.string())]);
const mutateSchema = z.object({ update: idsOrCount.optional(), delete: idsOrCount.optional(), create: z.number().int().min(0).max(100_000).optional() });

const webhookSchema = z.object({
  url: z.string().url().nullable().optional(),
  faults: z
    .object({
      dropRate: z.number().min(0).max(1),
      duplicateRate: z.number().min(0).max(1),
      reorder: z.boolean(),
      delayMs: z.number().int().min(0).max(60_000),
      badSignatureRate: z.number().min(0).max(1),
      staleRate: z.number().min(0).max(1),
    })
    .partial()
    .optional(),
});

const faultsSchema = z.object({
  error5xxRate: z.number().min(0).max(1),
  latencyMs: z.number().int().min(0).max(120_000),
  malformedRate: z.number().min(0).max(1),
  burst429: z.number().int().min(0),
  error5xxNext: z.number().int().min(0),
  retryAfterS: z.number().int().min(0).max(7 * 86_400),
  emptyPageAt: z.number().int().min(0),
  emptyPageTimes: z.number().int().min(1),
  emptyPageAs: z.enum(["empty", "204", "blank"]),
}).partial();

const bad = (c: Context<ControlEnv>, error: string) => c.json({ error }, 400);

async function body<T>(c: Context<ControlEnv>, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  let raw: unknown;
  try { raw = await c.req.json(); } catch { return { ok: false, error: "body must be JSON" }; }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

function fullRate(sandbox: Sandbox, r: z.infer<typeof rateSchema>, base?: RateConfig): RateConfig {
  const d = base ?? sandbox.options.rate;
  return { max: r.max, intervalMs: r.intervalMs, daily: r.daily ?? d.daily, retryAfter: r.retryAfter ?? d.retryAfter };
}

function summary(sandbox: Sandbox, loc: Location) {
  const { conversations, opportunities } = loc.store.related();
  return {
    id: loc.store.id, token: loc.token, accountId: loc.accountId, seed: loc.store.seed,
    contacts: loc.store.size, deleted: loc.store.deleted.length,
    conversations: conversations.length, opportunities: opportunities.length,
    rate: sandbox.accountOf(loc).limiter.config, faults: loc.faults.get(),
  };
}

/** Looks the location up or answers 404; every /locations/:id route starts with this. */
function located(c: Context<ControlEnv>): Location | Response {
  return c.env.sandbox.locations.get(c.req.param("id") ?? "") ?? c.json({ error: "unknown location" }, 404);
}

export const control = new Hono<ControlEnv>()
  .get("/health", (c) => c.json({ ok: true }, 200))
  // An answer that points elsewhere: callers must refuse it, never follow it (credentials would go along).
  .all("/redirect", (c) => c.redirect("https://attacker.example/steal", 302))
  .post("/reset", (c) => { c.env.sandbox.reset(); return c.json({ ok: true }, 200); })
  .route("/amocrm", amoControl)
  .route("/ghl/oauth", ghlOAuthControl)
  // GoHighLevel users (GET /users/:id answers from here) and the company of a location.
  .get("/users", (c) => c.json(c.env.sandbox.users.list(), 200))
  .post("/users", async (c) => {
    const b = await body(c, userSchema);
    if (!b.ok) return bad(c, b.error);
    return c.json(c.env.sandbox.users.put(b.data), 200);
  })
  .delete("/users/:id", (c) => c.json({ deleted: c.env.sandbox.users.remove(c.req.param("id")) }, 200))
  .put("/locations/:id/company", async (c) => {
    const b = await body(c, z.object({ companyId: z.string().min(1) }));
    if (!b.ok) return bad(c, b.error);
    c.env.sandbox.users.setCompany(c.req.param("id"), b.data.companyId);
    return c.json({ id: c.req.param("id"), companyId: b.data.companyId }, 200);
  })
  .get("/locations", (c) => c.json([...c.env.sandbox.locations.values()].map((l) => summary(c.env.sandbox, l)), 200))
  .post("/locations", async (c) => {
    const b = await body(c, locationSchema);
    if (!b.ok) return bad(c, b.error);
    const { rate, ...init } = b.data;
    try {
      const loc = c.env.sandbox.upsert({ ...init, rate: rate ? fullRate(c.env.sandbox, rate) : undefined });
      const s = summary(c.env.sandbox, loc);
      return c.json({ id: s.id, token: s.token, accountId: s.accountId, contacts: s.contacts,
        conversations: s.conversations, opportunities: s.opportunities }, 200);
    } catch (e) {
      if (e instanceof TokenConflictError) return c.json({ error: e.message }, 409);
      throw e;
    }
  })
  .get("/locations/:id", (c) => {
    const loc = located(c);
    return loc instanceof Response ? loc : c.json(summary(c.env.sandbox, loc), 200);
  })
  .delete("/locations/:id", (c) => c.json({ deleted: c.env.sandbox.remove(c.req.param("id")) }, 200))
  .get("/locations/:id/truth", (c) => {
    const loc = located(c);
    if (loc instanceof Response) return loc;
    const { conversations, opportunities } = loc.store.related();
    const contacts = loc.store.sorted([{ field: "dateAdded", dir: 1 }]).map(({ c: x }) => ({
      id: x.id, dateUpdated: x.dateUpdated, email: x.email ?? null, firstName: x.firstName ?? null,
      lastName: x.lastName ?? null, companyName: x.companyName ?? null, phone: x.phone ?? null,
    }));
    return c.json({ contacts, deleted: loc.store.deleted, conversations: conversations.length,
      opportunities: opportunities.length }, 200);
  })
  .post("/locations/:id/mutate", async (c) => {
    const loc = located(c);
    if (loc instanceof Response) return loc;
    const b = await body(c, mutateSchema);
    if (!b.ok) return bad(c, b.error);
    try {
      const result = loc.store.mutate(b.data);
      const contact = (id: string) => loc.store.get(id)?.c;
      await c.env.sandbox.webhooks.deliver([
        ...result.created.flatMap((id) => (contact(id) ? [{ type: "ContactCreate" as const, locationId: loc.store.id, contact: contact(id)! }] : [])),
        ...result.updated.flatMap((id) => (contact(id) ? [{ type: "ContactUpdate" as const, locationId: loc.store.id, contact: contact(id)! }] : [])),
        ...loc.store.lastRemoved.map((r) => ({ type: "ContactDelete" as const, locationId: loc.store.id, contact: r.c })),
      ]);
      return c.json(result, 200);
    } catch (e) {
      if (e instanceof UnknownContactsError) return c.json({ error: e.message, unknown: e.ids }, 404);
      throw e;
    }
  })
  // GoHighLevel webhooks on mutate: where they go (null: outbox only) and their faults.
  .get("/webhooks", (c) => {
    const w = c.env.sandbox.webhooks;
    return c.json({ url: w.url, faults: w.faults, stats: w.stats }, 200);
  })
  .put("/webhooks", async (c) => {
    const b = await body(c, webhookSchema);
    if (!b.ok) return bad(c, b.error);
    const w = c.env.sandbox.webhooks;
    if (b.data.url !== undefined) w.url = b.data.url;
    if (b.data.faults) w.faults = { ...w.faults, ...b.data.faults };
    return c.json({ url: w.url, faults: w.faults }, 200);
  })
  .post("/webhooks/drain", (c) => c.json({ deliveries: c.env.sandbox.webhooks.drain() }, 200))
  .get("/locations/:id/faults", (c) => {
    const loc = located(c);
    return loc instanceof Response ? loc : c.json(loc.faults.get(), 200);
  })
  .put("/locations/:id/faults", async (c) => {
    const loc = located(c);
    if (loc instanceof Response) return loc;
    const b = await body(c, faultsSchema);
    if (!b.ok) return bad(c, b.error);
    const patch = Object.fromEntries(Object.entries(b.data).filter(([, v]) => v !== undefined));
    return c.json(loc.faults.set(patch), 200);
  })
  .delete("/locations/:id/faults", (c) => {
    const loc = located(c);
    return loc instanceof Response ? loc : c.json(loc.faults.clear(), 200);
  })
  .get("/locations/:id/rate", (c) => {
    const loc = located(c);
    return loc instanceof Response ? loc : c.json(c.env.sandbox.accountOf(loc).limiter.config, 200);
  })
  .put("/locations/:id/rate", async (c) => {
    const loc = located(c);
    if (loc instanceof Response) return loc;
    const b = await body(c, rateSchema);
    if (!b.ok) return bad(c, b.error);
    const limiter = c.env.sandbox.accountOf(loc).limiter;
    limiter.config = fullRate(c.env.sandbox, b.data, limiter.config);
    limiter.reset(); // a new policy starts with an empty window
    return c.json(limiter.config, 200);
  })
  .get("/stats", (c) => {
    const sandbox = c.env.sandbox;
    const id = c.req.query("account");
    const now = sandbox.now();
    if (id === undefined) {
      return c.json(Object.fromEntries([...sandbox.accounts].map(([k, a]) => [k, a.stats.snapshot(now)])), 200);
    }
    const account = sandbox.findAccount(id);
    return account ? c.json(account.stats.snapshot(now), 200) : c.json({ error: "unknown account or location" }, 404);
  })
  .post("/stats/reset", (c) => {
    const id = c.req.query("account");
    const sandbox = c.env.sandbox;
    const targets = id === undefined ? [...sandbox.accounts.values()] : [sandbox.findAccount(id)].filter((a) => a !== undefined);
    if (id !== undefined && !targets.length) return c.json({ error: "unknown account or location" }, 404);
    for (const a of targets) a.resetTraffic();
    return c.json({ ok: true, reset: targets.map((a) => a.id) }, 200);
  });
