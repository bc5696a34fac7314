// Runs pages of a sync: the queue consumer runs one per message; the fresh endpoint runs them
// inline until its deadline. Both go through here so a page is applied the same way everywhere.
import type { SyncPageMessage } from "../../shared/schemas/messages";
import { decryptCredentials } from "../auth/credentials";
import type { Config } from "../config";
import { getLocation } from "../db/location-queries";
import type { Db } from "../env";
import { contactSourceFor } from "../providers/contact-source";
import { UpstreamError } from "../providers/upstream";
import { applyContactsPage, type PageOutcome } from "./contacts-page";
import { getRun, markContinuationSent } from "./runs";

export type SyncDeps = { db: Db; env: Env; config: Config; now: () => number };

export async function runPage(deps: SyncDeps, runId: string, page: number, signal?: AbortSignal): Promise<PageOutcome> {
  const run = await getRun(deps.db, runId);
  if (!run) return { applied: false, reason: "not_active" };
  const location = await getLocation(deps.db, run.locationId);
  if (!location) throw new UpstreamError("client", `Location '${run.locationId}' no longer exists.`);
  if (!location.credentialsEnc) {
    throw new UpstreamError("auth", `Location '${location.id}' has no upstream credentials.`);
  }
  const credentials = await decryptCredentials(deps.env.CREDENTIALS_KEY, location.id, location.credentialsEnc);
  const source = contactSourceFor(location, credentials, deps.config);
  return applyContactsPage(deps.db, source, run, page, deps.now, signal);
}

/** Puts page `page` of a run on the queue, and notes that it did so. */
export async function enqueuePage(deps: SyncDeps, msg: Omit<SyncPageMessage, "type">): Promise<void> {
  const body: SyncPageMessage = { type: "sync.page", ...msg };
  await deps.env.SYNC_QUEUE.send(body, { contentType: "json" });
  if (msg.page > 0) await markContinuationSent(deps.db, msg.run_id, msg.page);
}
