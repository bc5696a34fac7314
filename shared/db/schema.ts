// The one Drizzle schema for D1. drizzle-kit generates drizzle/ from this file and the worker's
// queries are typed by it. The API schemas in shared/schemas reuse its enums (PROVIDERS, SYNC_KINDS…)
// but are written in zod by hand: the API's shapes (snake_case views, ISO times, no secrets) are not
// the rows', so deriving them (drizzle-zod) would mean overriding nearly every field.
// Times are integer epoch milliseconds. Upstream records are keyed by (location_id, external_id).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const PROVIDERS = ["ghl", "amocrm"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** GHL syncs contacts, conversations and opportunities; AmoCRM contacts, companies, notes and tasks. */
export const SYNC_KINDS = ["contacts", "conversations", "opportunities", "companies", "notes", "tasks"] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/**
 * full: everything, then a reconcile marks what upstream no longer has as deleted; incremental:
 * records updated since the last mark; filtered: AmoCRM's company-filtered import (kind companies).
 */
export const SYNC_MODES = ["full", "incremental", "filtered"] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export const SYNC_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** What a full pass's reconcile did: marked what upstream no longer has, or refused to (with a reason). */
export const RECONCILE_OUTCOMES = ["done", "skipped"] as const;
export type ReconcileOutcome = (typeof RECONCILE_OUTCOMES)[number];

/**
 * Why the cron and the queue leave a location alone: its credentials were refused (until an
 * operator replaces them), or its upstream's daily quota is spent (until `parked_until`).
 */
export const PARK_REASONS = ["auth", "daily_quota"] as const;
export type ParkReason = (typeof PARK_REASONS)[number];

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const locations = sqliteTable(
  "locations",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull().default(""),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    accountId: text("account_id").notNull(),
    baseUrl: text("base_url"),
    // GoHighLevel: the agency (company) the location belongs to, pinned once known (an install or a
    // confirmed SSO user of the location); an SSO payload naming another company is refused.
    companyId: text("company_id"),
    // AES-GCM ciphertext (base64 of iv || ciphertext), bound to the location id as associated data.
    credentialsEnc: text("credentials_enc"),
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    lastSyncedAt: integer("last_synced_at"),
    // Bumped on every write to the location's contacts: the list endpoints' ETag derives from it.
    dataVersion: integer("data_version").notNull().default(0),
    // Live contacts, kept by increments in the batches that change them (never recounted).
    contactCount: integer("contact_count").notNull().default(0),
    // The cron's fairness: consecutive failed runs, and not before this time (failure backoff).
    failureCount: integer("failure_count").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    // Left alone by the cron and the sync queue: credentials refused (until replaced) or the
    // upstream's daily quota spent (until parked_until).
    parkedReason: text("parked_reason", { enum: PARK_REASONS }),
    parkedUntil: integer("parked_until"),
    parkedDetail: text("parked_detail"),
    // OAuth connections (worker/tokens/): the access token's expiry, its last refresh, the last
    // refusal; the agency grant its tokens are minted from (GHL Company installs); and when the
    // app was uninstalled (credentials wiped, syncing stops until a new install).
    tokenExpiresAt: integer("token_expires_at"),
    tokenRefreshedAt: integer("token_refreshed_at"),
    tokenError: text("token_error"),
    grantId: text("grant_id"),
    disabledAt: integer("disabled_at"),
    // When the last upstream webhook for this location was taken: while they flow, the periodic
    // sync runs on the longer WEBHOOK_SYNC_TTL_SECONDS (the reconcile stays the safety net).
    webhooksAt: integer("webhooks_at"),
    // AmoCRM: SHA-256 (base64url) of the secret in the location's webhook URL; null: no webhook.
    webhookSecretHash: text("webhook_secret_hash"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  // GHL SSO finds a location by its upstream account.
  (t) => [index("locations_by_account").on(t.provider, t.accountId)],
);

export const contacts = sqliteTable(
  "contacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    locationId: text("location_id").notNull().references(() => locations.id),
    externalId: text("external_id").notNull(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    name: text("name").notNull().default(""),
    // Lower-cased name for ordering; search_text holds name, email, phone and company lower-cased.
    sortName: text("sort_name").notNull().default(""),
    searchText: text("search_text").notNull().default(""),
    email: text("email"),
    // The address's identity for dedupe (lower case, ASCII domain: validation/syntax.ts), or null
    // when it is not a well-formed address. CSV imports find a location's contacts by it.
    emailKey: text("email_key"),
    phone: text("phone"),
    companyName: text("company_name"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    dateAdded: integer("date_added").notNull(),
    dateUpdated: integer("date_updated").notNull(),
    // The API representation, serialised once at write time so list reads concatenate, not re-encode.
    payload: text("payload").notNull(),
    deleted: integer("deleted", { mode: "boolean" }).notNull().default(false),
    // Tombstone: when the record was found gone (upstream, or by a webhook's event time), null while
    // live. Kept by triggers when a writer sets only `deleted` (migration 0010); retention purges
    // soft-deleted contacts this old.
    deletedAt: integer("deleted_at"),
    syncedAt: integer("synced_at").notNull(),
    // When this contact's tasks and notes were last fetched (GHL has no bulk endpoint for them).
    relatedSyncedAt: integer("related_synced_at"),
  },
  (t) => [
    uniqueIndex("contacts_location_external").on(t.locationId, t.externalId),
    index("contacts_by_name").on(t.locationId, t.deleted, t.sortName, t.id),
    index("contacts_by_added").on(t.locationId, t.deleted, t.dateAdded, t.id),
    index("contacts_by_updated").on(t.locationId, t.deleted, t.dateUpdated, t.id),
    index("contacts_by_email_key").on(t.locationId, t.emailKey),
    index("contacts_deleted_at").on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

export const companies = sqliteTable(
  "companies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    locationId: text("location_id").notNull().references(() => locations.id),
    externalId: text("external_id").notNull(),
    name: text("name").notNull().default(""),
    payload: text("payload").notNull(),
    dateUpdated: integer("date_updated").notNull(),
    deleted: integer("deleted", { mode: "boolean" }).notNull().default(false),
    deletedAt: integer("deleted_at"),
    // Set by every sync that sees the company: a completed full pass deletes what it did not see.
    syncedAt: integer("synced_at").notNull().default(0),
  },
  (t) => [uniqueIndex("companies_location_external").on(t.locationId, t.externalId)],
);

export const contactCompanies = sqliteTable(
  "contact_companies",
  {
    locationId: text("location_id").notNull().references(() => locations.id),
    contactExternalId: text("contact_external_id").notNull(),
    companyExternalId: text("company_external_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.contactExternalId, t.companyExternalId] }),
    index("contact_companies_by_company").on(t.locationId, t.companyExternalId),
  ],
);

/** Columns shared by the records that hang off a contact (tasks, notes, conversations, opportunities). */
function relatedColumns() {
  return {
    id: integer("id").primaryKey({ autoIncrement: true }),
    locationId: text("location_id").notNull().references(() => locations.id),
    externalId: text("external_id").notNull(),
    contactExternalId: text("contact_external_id"),
    payload: text("payload").notNull(),
    dateUpdated: integer("date_updated").notNull(),
    deleted: integer("deleted", { mode: "boolean" }).notNull().default(false),
    deletedAt: integer("deleted_at"),
    // Set by every sync that sees the record: a completed full pass deletes what it did not see.
    syncedAt: integer("synced_at").notNull().default(0),
  };
}

export const tasks = sqliteTable("tasks", relatedColumns(), (t) => [
  uniqueIndex("tasks_location_external").on(t.locationId, t.externalId),
  index("tasks_by_contact").on(t.locationId, t.contactExternalId),
]);

export const notes = sqliteTable("notes", relatedColumns(), (t) => [
  uniqueIndex("notes_location_external").on(t.locationId, t.externalId),
  index("notes_by_contact").on(t.locationId, t.contactExternalId),
]);

export const conversations = sqliteTable("conversations", relatedColumns(), (t) => [
  uniqueIndex("conversations_location_external").on(t.locationId, t.externalId),
  index("conversations_by_contact").on(t.locationId, t.contactExternalId),
]);

export const opportunities = sqliteTable("opportunities", relatedColumns(), (t) => [
  uniqueIndex("opportunities_location_external").on(t.locationId, t.externalId),
  index("opportunities_by_contact").on(t.locationId, t.contactExternalId),
]);

export const syncRuns = sqliteTable(
  "sync_runs",
  {
    id: text("id").primaryKey(),
    locationId: text("location_id").notNull().references(() => locations.id),
    kind: text("kind", { enum: SYNC_KINDS }).notNull(),
    mode: text("mode", { enum: SYNC_MODES }).notNull().default("full"),
    // What the run was asked for beyond kind and mode (a filtered import's filter, dry_run).
    options: text("options", { mode: "json" }).$type<Record<string, unknown>>(),
    status: text("status", { enum: SYNC_STATUSES }).notNull().default("queued"),
    trigger: text("trigger").notNull().default("api"),
    // Checkpoint: the upstream cursor after the last applied page, and how many pages are applied.
    cursor: text("cursor", { mode: "json" }).$type<unknown>(),
    pagesDone: integer("pages_done").notNull().default(0),
    // Set once the message for page `pages_done` is on the queue, so a redelivery does not send it twice.
    continuationSent: integer("continuation_sent", { mode: "boolean" }).notNull().default(false),
    entitiesSeen: integer("entities_seen").notNull().default(0),
    // Upstream's own count of what this run will see (for progress and ETA), when it says.
    totalEstimate: integer("total_estimate"),
    // The count upstream reported on the pass's first page: a full pass that saw fewer deletes nothing.
    expectedTotal: integer("expected_total"),
    // A full pass's reconcile: done or skipped, and why it was skipped (or why the pass is
    // incomplete, noted by the page that found out).
    reconcile: text("reconcile", { enum: RECONCILE_OUTCOMES }),
    reconcileReason: text("reconcile_reason"),
    requests: integer("requests").notNull().default(0),
    throttled: integer("throttled").notNull().default(0),
    // Incremental runs read records updated at or after `since`; `high_water_mark` is the newest
    // upstream update time this run has seen.
    since: integer("since"),
    highWaterMark: integer("high_water_mark"),
    // Whoever drives the run (a queue message or the fresh endpoint) holds this lease while it does.
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    metrics: text("metrics", { mode: "json" }).$type<Record<string, unknown>>(),
    queuedAt: integer("queued_at").notNull(),
    startedAt: integer("started_at"),
    heartbeatAt: integer("heartbeat_at"),
    // Last applied page (or written chunk): the cron's watchdog fails runs that stopped progressing.
    progressAt: integer("progress_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    // Single-flight: at most one queued or running run per (location, kind).
    uniqueIndex("sync_runs_active")
      .on(t.locationId, t.kind)
      .where(sql`status in ('queued', 'running')`),
    index("sync_runs_by_location").on(t.locationId, t.kind, t.queuedAt),
  ],
);

/** Per (location, kind): where incremental syncs resume and when the last full reconcile ran. */
export const syncCursors = sqliteTable(
  "sync_cursors",
  {
    locationId: text("location_id").notNull().references(() => locations.id),
    kind: text("kind", { enum: SYNC_KINDS }).notNull(),
    highWaterMark: integer("high_water_mark"),
    lastFullAt: integer("last_full_at"),
    lastSuccessAt: integer("last_success_at"),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.kind] })],
);

export type LocationRow = typeof locations.$inferSelect;

export const GRANT_STATES = ["connected", "needs_reconnect", "disabled"] as const;
export type GrantState = (typeof GRANT_STATES)[number];

/**
 * An agency's OAuth grant (a GoHighLevel Company token): its refresh pair, sealed like a
 * location's credentials (associated data `grant:<id>`). Location tokens are minted from it.
 */
export const oauthGrants = sqliteTable("oauth_grants", {
  id: text("id").primaryKey(),
  provider: text("provider", { enum: PROVIDERS }).notNull(),
  companyId: text("company_id").notNull(),
  credentialsEnc: text("credentials_enc"),
  state: text("state", { enum: GRANT_STATES }).notNull().default("connected"),
  tokenExpiresAt: integer("token_expires_at"),
  tokenRefreshedAt: integer("token_refreshed_at"),
  tokenError: text("token_error"),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});
export type OAuthGrantRow = typeof oauthGrants.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type NewContactRow = typeof contacts.$inferInsert;
export type SyncRunRow = typeof syncRuns.$inferSelect;
