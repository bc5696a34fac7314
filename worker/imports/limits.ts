// Import limits and batch sizes. IMPORT_MAX_BYTES and DOH_URL come from wrangler.toml; the rest
// are optional vars with defaults here, so a deployment can tune them without a code change.
import type { BudgetLimits } from "./budget";

export type ImportLimits = {
  maxBytes: number;
  /** Physical lines of the file, header included (an upper bound on records: cheap to count). */
  maxRows: number;
  maxColumns: number;
  /** Rows per queue message, and a byte cap on its JSON so it stays well under the 128 KB limit. */
  batchRows: number;
  batchBytes: number;
  dohUrl: string;
  dohTimeoutMs: number;
  /** Concurrent DoH lookups per batch. */
  dohConcurrency: number;
  /** What one consumer invocation may spend before it hands over (budget.ts). */
  budget: BudgetLimits;
  /** First retry delay of a failing message; doubles per attempt, at most 60 s. */
  retryBaseSeconds: number;
};

function positive(raw: unknown, fallback: number): number {
  const n = Number(raw);
  return typeof raw === "string" && Number.isInteger(n) && n > 0 ? n : fallback;
}

function nonNegative(raw: unknown, fallback: number): number {
  const n = Number(raw);
  return typeof raw === "string" && raw !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function importLimits(env: Env): ImportLimits {
  const vars = env as unknown as Record<string, unknown>;
  return {
    maxBytes: positive(env.IMPORT_MAX_BYTES, 50 * 1024 * 1024),
    maxRows: positive(vars.IMPORT_MAX_ROWS, 1_000_000),
    maxColumns: positive(vars.IMPORT_MAX_COLUMNS, 200),
    batchRows: positive(vars.IMPORT_BATCH_ROWS, 500),
    batchBytes: 96_000,
    dohUrl: env.DOH_URL || "https://cloudflare-dns.com/dns-query",
    dohTimeoutMs: positive(vars.DOH_TIMEOUT_MS, 3000),
    dohConcurrency: positive(vars.DOH_CONCURRENCY, 16),
    budget: {
      // D1 allows 1,000 queries per invocation (Workers Paid).
      d1: positive(vars.IMPORT_D1_BUDGET, 800),
      // 900 stays under every paid usage model's subrequest limit (1,000 on the older ones).
      subrequests: positive(vars.IMPORT_SUBREQUEST_BUDGET, 900),
      // Wall time per invocation, well inside the default 30 s of CPU (the split is mostly CPU).
      wallMs: positive(vars.IMPORT_SLICE_SECONDS, 20) * 1000,
    },
    retryBaseSeconds: nonNegative(vars.IMPORT_RETRY_BASE_SECONDS, 1),
  };
}
