// Per-location import quotas: imports running at once (IMPORT_MAX_CONCURRENT), CSV rows accepted
// per UTC day (IMPORT_ROWS_PER_DAY) and contacts stored (LOCATION_MAX_CONTACTS). Checked before an
// upload is read (with what is known) and again once its line count is known.
import type { Config } from "../config";
import { importUsage } from "../db/import-quotas";
import type { Db } from "../env";
import { AppError } from "../http/errors";

const DAY_MS = 86_400_000;

export type QuotaConfig = Pick<Config, "IMPORT_MAX_CONCURRENT" | "IMPORT_ROWS_PER_DAY" | "LOCATION_MAX_CONTACTS">;

/** Throws the quota's 429/413 when `rows` more rows would not fit. */
export async function checkImportQuotas(db: Db, config: QuotaConfig, locationId: string, rows: number, now: number): Promise<void> {
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const usage = await importUsage(db, locationId, dayStart);
  if (usage.active >= config.IMPORT_MAX_CONCURRENT) {
    throw new AppError(
      "too_many_imports",
      `This location already has ${usage.active} imports queued or running (at most ${config.IMPORT_MAX_CONCURRENT}): wait for one to finish.`,
      undefined,
      30,
    );
  }
  if (usage.rowsToday + rows > config.IMPORT_ROWS_PER_DAY) {
    const resetIn = Math.ceil((dayStart + DAY_MS - now) / 1000);
    throw new AppError(
      "import_rows_quota_exceeded",
      `This location may import ${config.IMPORT_ROWS_PER_DAY} rows a day; ${usage.rowsToday} are taken today and this file has ${rows}. The quota resets at 00:00 UTC.`,
      undefined,
      resetIn,
    );
  }
  if (usage.contacts + rows > config.LOCATION_MAX_CONTACTS) {
    throw new AppError(
      "contacts_quota_exceeded",
      `This location stores ${usage.contacts} contacts; with this file it could pass its quota of ${config.LOCATION_MAX_CONTACTS}.`,
    );
  }
}
