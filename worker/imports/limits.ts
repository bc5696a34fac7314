// Import limits and batch sizes. IMPORT_MAX_BYTES and DOH_URL come from wrangler.toml; the rest
// are optional vars with defaults here, so a deployment can tune them without a code change.

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
};

function positive(raw: unknown, fallback: number): number {
  const n = Number(raw);
  return typeof raw === "string" && Number.isInteger(n) && n > 0 ? n : fallback;
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
  };
}
