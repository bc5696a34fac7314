// TTL purges, run from the scheduled handler in bounded chunks: import data (imports/retention.ts),
// finished sync runs beyond the newest SYNC_RUNS_KEEP per (location, kind) and older than
// SYNC_RUNS_TTL_DAYS (an active run never goes), and contacts soft-deleted more than
// DELETED_CONTACTS_TTL_DAYS ago, expired token revocations and SSO confirmations, and webhook
// receipts past WEBHOOK_DEDUPE_TTL_SECONDS. One run spends at most RETENTION_STATEMENTS D1 statements (the
// scheduled invocation shares D1's 1,000 queries with the cron's other work) and 100 R2 calls.
import { readConfig } from "../config";
import { getDb } from "../db/client";
import { purgeRevocations } from "../db/revocations";
import { purgeConfirmations } from "../db/sso-confirmations";
import { purgeReceipts } from "../db/webhook-receipts";
import { deleteOldRuns, deleteSoftDeletedContacts } from "../db/sync-retention";
import { InvocationBudget } from "../imports/budget";
import { type Purged, purgeImports } from "../imports/retention";

const DAY_MS = 86_400_000;
const RUN_ROWS = 1000;
/** Contacts per statement: each deleted row also updates the search index. */
const CONTACT_ROWS = 1000;
const RECEIPT_ROWS = 5000;

async function drain(budget: InvocationBudget, purged: Purged, what: string, rows: number, step: () => Promise<number>): Promise<void> {
  while (budget.allows("d1", 2)) {
    budget.spend("d1", 2);
    const n = await step();
    if (n > 0) purged[what] = (purged[what] ?? 0) + n;
    if (n < rows) return;
  }
}

export async function runRetention(env: Env, now: number): Promise<Purged> {
  const config = readConfig(env);
  const db = getDb(env.DB);
  // Imports get up to 60% of the statements, so a large deleted list cannot starve the rest.
  const imports = new InvocationBudget({ d1: Math.floor(config.RETENTION_STATEMENTS * 0.6), subrequests: 100, wallMs: 10_000 });
  const purged = await purgeImports(db, env.UPLOADS, imports, config, now);
  const budget = new InvocationBudget({ d1: config.RETENTION_STATEMENTS - imports.snapshot().d1, subrequests: 0, wallMs: 10_000 });
  await drain(budget, purged, "sync_runs", RUN_ROWS, () => deleteOldRuns(db, now - config.SYNC_RUNS_TTL_DAYS * DAY_MS, config.SYNC_RUNS_KEEP, RUN_ROWS));
  await drain(budget, purged, "contacts", CONTACT_ROWS, () => deleteSoftDeletedContacts(db, now - config.DELETED_CONTACTS_TTL_DAYS * DAY_MS, CONTACT_ROWS));
  // Revocations no token they cover can outlive, and SSO confirmations past their cache time.
  await drain(budget, purged, "token_revocations", Number.POSITIVE_INFINITY, () => purgeRevocations(db, now));
  await drain(budget, purged, "sso_confirmations", Number.POSITIVE_INFINITY, () =>
    purgeConfirmations(db, now - config.SSO_CONFIRM_CACHE_SECONDS * 1000),
  );
  // Webhook deliveries remembered for dedupe, past their TTL.
  await drain(budget, purged, "webhook_receipts", RECEIPT_ROWS, () => purgeReceipts(db, now - config.WEBHOOK_DEDUPE_TTL_SECONDS * 1000, RECEIPT_ROWS));
  console.log(JSON.stringify({ event: "retention", purged, statements: imports.snapshot().d1 + budget.snapshot().d1 }));
  return purged;
}
