// Sync API shapes: requests to start runs, and runs as the API shows them.
import { z } from "zod";
import { PARK_REASONS, RECONCILE_OUTCOMES, SYNC_KINDS, SYNC_MODES, SYNC_STATUSES } from "../db/schema";
import { companyFilterSchema } from "./amocrm";

/**
 * `kinds` defaults to every kind the location's provider syncs. `filtered` (AmoCRM) imports the
 * companies matching `filter` (or the location's `settings.company_filter`) with their contacts,
 * notes and tasks; `dry_run` computes everything and writes no records.
 */
export const syncRequestSchema = z
  .object({
    kinds: z.array(z.enum(SYNC_KINDS)).min(1).max(SYNC_KINDS.length).optional(),
    mode: z.enum(SYNC_MODES).optional(),
    filter: companyFilterSchema.optional(),
    dry_run: z.boolean().optional(),
    /** Filtered imports only: fetch what changed since the last filtered import that wrote. */
    incremental: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.mode === "filtered" || (r.filter === undefined && r.dry_run === undefined && r.incremental === undefined), {
    message: "filter, dry_run and incremental apply only to mode 'filtered'",
  });
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const syncRunViewSchema = z.object({
  id: z.string(),
  location_id: z.string(),
  kind: z.enum(SYNC_KINDS),
  mode: z.enum(SYNC_MODES),
  status: z.enum(SYNC_STATUSES),
  /** waiting (queued), fetching (running), done, failed, cancelled */
  phase: z.string(),
  trigger: z.string(),
  pages_done: z.number().int(),
  entities_seen: z.number().int(),
  total_estimate: z.number().int().nullable(),
  requests: z.number().int(),
  throttled: z.number().int(),
  /** Requests per second over the last few seconds of this run. */
  current_rps: z.number(),
  eta_seconds: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /**
   * Full passes: "done" (records upstream no longer has were marked deleted) or "skipped" (the
   * pass was incomplete or implausible, so nothing was deleted; `reconcile_reason` says why).
   * Null for incremental runs and filtered imports.
   */
  reconcile: z.enum(RECONCILE_OUTCOMES).nullable(),
  reconcile_reason: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type SyncRunView = z.infer<typeof syncRunViewSchema>;

/**
 * Why syncing of a location is on hold, if it is: "auth" (its credentials were refused; until an
 * operator replaces them) or "daily_quota" (the upstream's daily quota is at its reserve; until
 * `until`, when it resets).
 */
export const parkedViewSchema = z.object({
  reason: z.enum(PARK_REASONS),
  until: z.string().nullable(),
  message: z.string().nullable(),
});
export type ParkedView = z.infer<typeof parkedViewSchema>;

/** GET /locations/:id/sync-status: the latest run of each kind the location's provider syncs. */
export const syncStatusSchema = z.object({
  success: z.literal(true),
  location_id: z.string(),
  syncing: z.boolean(),
  last_synced_at: z.string().nullable(),
  /**
   * Requests per second this location's syncs may send upstream: the deployment's RATE_LIMIT_RPS,
   * or the location's own `settings.rate_limit_rps`. null when that override is invalid (its syncs
   * fail and say why).
   */
  rate_limit_rps: z.number().positive().nullable(),
  /** Syncing on hold (credentials refused, or the daily quota at its reserve), or null. */
  parked: parkedViewSchema.nullable(),
  runs: z.array(syncRunViewSchema),
});
export type SyncStatusResponse = z.infer<typeof syncStatusSchema>;

export const startedRunSchema = z.object({
  kind: z.enum(SYNC_KINDS),
  run_id: z.string(),
  mode: z.string(),
  status: z.string(),
  /** true: a run of this kind was already queued or running, and this request joined it. */
  joined: z.boolean(),
});
export type StartedRun = z.infer<typeof startedRunSchema>;

/** POST /locations/:id/sync. */
export const syncStartedSchema = z.object({ success: z.literal(true), location_id: z.string(), runs: z.array(startedRunSchema) });
/** GET /locations/:id/sync-runs: the latest runs, newest first. */
export const syncRunsSchema = z.object({ success: z.literal(true), location_id: z.string(), runs: z.array(syncRunViewSchema) });
