// Typed, validated view of the Worker's vars. A bad value is a deployment error, said once, clearly.
import { z } from "zod";
import { SCOPES } from "../shared/schemas/scopes";
import { parseAllowedOrigins } from "./http/origins";

/** "N/seconds": at most N in any window of that many seconds (a token bucket of N refilled over it). */
const rule = z
  .string()
  .regex(/^\d+\/\d+$/, "write N/seconds, e.g. 30/60")
  .transform((v) => {
    const [limit, seconds] = v.split("/").map(Number) as [number, number];
    return { limit, windowMs: seconds * 1000 };
  })
  .refine((r) => r.limit >= 1 && r.windowMs >= 1000, "N and seconds must be at least 1");
export type LimitRule = z.infer<typeof rule>;

const scopeList = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.enum(SCOPES)));

const flag = z.enum(["0", "1", "false", "true", ""]).transform((v) => v === "1" || v === "true");

const configSchema = z
  .object({
    /**
     * Development only (`npm start` and the tests set it; never set it in production): upstream
     * base URLs and embedding origins may be plain http and loopback.
     */
    DEV_MODE: flag.default(false),
    GHL_BASE_URL: z.url().default("https://services.leadconnectorhq.com"),
    SYNC_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
    FRESH_DEADLINE_MS: z.coerce.number().int().min(0).max(120_000).default(25_000),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    /** Default lifetime of tokens minted by POST /api/admin/tokens (which caps them at 24 h). */
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    /** Lifetime of GoHighLevel SSO tokens: minutes; the widget renews them through the handshake. */
    SSO_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
    /** How long a user confirmed upstream (exists, has access to the location) stays confirmed. */
    SSO_CONFIRM_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
    /** Every failed SSO exchange answers no sooner than this after it arrived (timing is no oracle). */
    SSO_FAILURE_FLOOR_MS: z.coerce.number().int().min(0).max(5000).default(250),
    /** Scopes of a GoHighLevel user whose role is `user` (admins get every scope). */
    GHL_USER_SCOPES: scopeList.default(["read"]),
    /** How long an isolate may trust its last look at the revocation list (the bound on a revoked token's reuse). */
    REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    SSO_FAILURES_PER_IP: rule.default({ limit: 20, windowMs: 600_000 }),
    SSO_ATTEMPTS_PER_LOCATION: rule.default({ limit: 300, windowMs: 600_000 }),
    /** Calls that spend upstream requests (sync start, fresh pull, contact refresh), per token and per location. */
    UPSTREAM_CALLS_PER_TOKEN: rule.default({ limit: 30, windowMs: 60_000 }),
    UPSTREAM_CALLS_PER_LOCATION: rule.default({ limit: 120, windowMs: 60_000 }),
    /** Quotas per location: contacts stored (imports stop there), CSV rows a day, imports at once. */
    LOCATION_MAX_CONTACTS: z.coerce.number().int().min(1).default(2_000_000),
    IMPORT_ROWS_PER_DAY: z.coerce.number().int().min(1).default(2_000_000),
    IMPORT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(3),
    SYNC_STALE_SECONDS: z.coerce.number().int().min(10).default(300),
    /**
     * How long an isolate may answer from its remembered copy of a location's state (data version,
     * last sync) before reading D1 again: the bound on how stale a hot read can be.
     */
    LOCATION_STATE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** A full pass (which also detects upstream deletes) at least this often; incremental between. */
    FULL_RECONCILE_HOURS: z.coerce.number().min(0).default(24),
    /** How long one queue message drives a run before handing over to a continuation. */
    SYNC_SLICE_SECONDS: z.coerce.number().int().min(1).max(600).default(120),
    /**
     * After a failed sync, the fast endpoint waits this long before it triggers another; the cron
     * waits this long after a location's first failure, doubling with each further one (up to 6 h).
     */
    SYNC_FAILURE_BACKOFF_SECONDS: z.coerce.number().int().min(0).default(60),
    /** How long a driver's claim on a run lasts without renewal (every page and chunk renews it). */
    SYNC_LEASE_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
    /** The most a full pass's reconcile may delete, in % of the kind's live rows; above, it deletes nothing. */
    RECONCILE_MAX_DELETE_PCT: z.coerce.number().min(0).max(100).default(5),
    /** Deleting up to this many rows is allowed whatever the percentage (small locations). */
    RECONCILE_MIN_DELETE_ROWS: z.coerce.number().int().min(0).default(10),
    /**
     * Per invocation of the sync consumer and the cron: subrequests (fetches, Durable Object calls,
     * queue sends) and D1 statements that may be used before work is handed over. Below the
     * platform's 10,000 subrequests and 1,000 D1 queries per invocation (docs/architecture.md).
     */
    INVOCATION_MAX_SUBREQUESTS: z.coerce.number().int().min(10).default(5000),
    INVOCATION_MAX_D1_STATEMENTS: z.coerce.number().int().min(10).default(800),
    /** Requests of an upstream's daily quota (GHL) kept for people opening contacts: syncing stops at this many left. */
    UPSTREAM_DAILY_RESERVE: z.coerce.number().int().min(0).default(2000),
    /** An import task queued or running with no progress this long is revived by the watchdog. */
    IMPORT_STALL_SECONDS: z.coerce.number().int().min(60).default(1800),
    /** Revivals before the watchdog fails the task instead (`stalled`; resume to try again). */
    IMPORT_WATCHDOG_RESUMES: z.coerce.number().int().min(0).default(3),
    /** Retention (days after an import task finished): its R2 original, its rejects, then the task. */
    IMPORT_ORIGINAL_TTL_DAYS: z.coerce.number().min(0).default(7),
    IMPORT_REJECTS_TTL_DAYS: z.coerce.number().min(0).default(30),
    IMPORT_TASK_TTL_DAYS: z.coerce.number().min(0).default(90),
    /** Finished sync runs older than this are removed, except the newest SYNC_RUNS_KEEP per kind. */
    SYNC_RUNS_TTL_DAYS: z.coerce.number().min(0).default(30),
    SYNC_RUNS_KEEP: z.coerce.number().int().min(1).default(20),
    /** Contacts soft-deleted (gone upstream) this long ago are removed for good. */
    DELETED_CONTACTS_TTL_DAYS: z.coerce.number().min(0).default(30),
    /** D1 statements one scheduled run may spend on retention (D1 allows 1,000 per invocation). */
    RETENTION_STATEMENTS: z.coerce.number().int().min(10).max(900).default(200),
    /** GoHighLevel Marketplace app (its secret is the GHL_CLIENT_SECRET secret); empty: installs are off. */
    GHL_CLIENT_ID: z.string().default(""),
    GHL_APP_SCOPES: z.string().default("contacts.readonly conversations.readonly opportunities.readonly users.readonly locations.readonly oauth.readonly oauth.write"),
    /** Where the install link sends an agency admin (white-label: marketplace.leadconnectorhq.com). */
    GHL_MARKETPLACE_URL: z.url().default("https://marketplace.gohighlevel.com"),
    /** AmoCRM integration (its secret is AMOCRM_CLIENT_SECRET); empty: installs are off. */
    AMOCRM_CLIENT_ID: z.string().default(""),
    /**
     * GoHighLevel's webhook public keys (PEM): RSA for x-wh-signature, Ed25519 for x-ghl-signature.
     * Empty: the keys GoHighLevel publishes (worker/webhooks/ghl-keys.ts). Tests and the sandbox set their own.
     */
    GHL_WEBHOOK_PUBLIC_KEY: z.string().default(""),
    GHL_WEBHOOK_ED25519_PUBLIC_KEY: z.string().default(""),
    /** A signed delivery whose timestamp is further than this from now is refused (replay window). */
    WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    /** How long a delivery's id is remembered (duplicates have no second effect); above the max age. */
    WEBHOOK_DEDUPE_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
    /** A location that took a webhook within WEBHOOK_FLOWING_SECONDS syncs on this TTL instead of SYNC_TTL_SECONDS. */
    WEBHOOK_SYNC_TTL_SECONDS: z.coerce.number().int().min(0).default(3600),
    WEBHOOK_FLOWING_SECONDS: z.coerce.number().int().min(0).default(86_400),
    /** Origins that may frame the widget (comma-separated; `https://*.example.com` for subdomains). */
    EMBED_ALLOWED_ORIGINS: z.string().default(""),
  })
  .transform((raw, ctx) => {
    if (!raw.DEV_MODE && !raw.GHL_BASE_URL.startsWith("https://")) {
      ctx.addIssue({ code: "custom", path: ["GHL_BASE_URL"], message: "must be https:// (plain http is for development, DEV_MODE=1)" });
      return z.NEVER;
    }
    try {
      return { ...raw, EMBED_ALLOWED_ORIGINS: parseAllowedOrigins(raw.EMBED_ALLOWED_ORIGINS, { allowHttp: raw.DEV_MODE }) };
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["EMBED_ALLOWED_ORIGINS"], message: (err as Error).message });
      return z.NEVER;
    }
  });

export type Config = z.infer<typeof configSchema>;

const cache = new WeakMap<object, Config>();

export function readConfig(env: Env): Config {
  let config = cache.get(env);
  if (!config) {
    const parsed = configSchema.safeParse(env);
    if (!parsed.success) {
      throw new Error(`Invalid Worker configuration: ${z.prettifyError(parsed.error)}`);
    }
    config = parsed.data;
    cache.set(env, config);
  }
  return config;
}
