// Typed, validated view of the Worker's vars. A bad value is a deployment error, said once, clearly.
import { z } from "zod";
import { parseAllowedOrigins } from "./http/embed-headers";

const configSchema = z.object({
  GHL_BASE_URL: z.url().default("https://services.leadconnectorhq.com"),
  SYNC_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
  FRESH_DEADLINE_MS: z.coerce.number().int().min(0).max(120_000).default(25_000),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
  /** A queued or running sync whose last heartbeat is older than this is taken as crashed. */
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
  /** Origins that may frame the widget (comma-separated; `https://*.example.com` for subdomains). */
  EMBED_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value, ctx) => {
      try {
        return parseAllowedOrigins(value);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
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
