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
  /** After a failed sync, the fast endpoint waits this long before it triggers another. */
  SYNC_FAILURE_BACKOFF_SECONDS: z.coerce.number().int().min(0).default(60),
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
