// What the sync engine sees of a location's upstream: one fetch per kind and page, the per-contact
// related lists, and the key of the account's shared rate-limit bucket.
import type { LocationRow, SyncKind } from "../../shared/db/schema";
import type { Credentials } from "../../shared/schemas/locations";
import type { Config } from "../config";
import { GHL_PAGE, GhlClient } from "./ghl";
import type { ContactRecord, Page, RelatedRecord } from "./types";
import { UpstreamError, type UpstreamContext } from "./upstream";

export type KindPage =
  | { kind: "contacts"; page: Page<ContactRecord> }
  | { kind: "conversations" | "opportunities"; page: Page<RelatedRecord> };

export interface SyncSource {
  readonly kinds: readonly SyncKind[];
  pageSize(kind: SyncKind): number;
  fetch(kind: SyncKind, ctx: UpstreamContext, cursor: unknown | null, since: number | null): Promise<KindPage>;
  /** Tasks and notes of one contact, for providers without a bulk endpoint (GHL). */
  contactRelated?(ctx: UpstreamContext, contactId: string): Promise<{ tasks: RelatedRecord[]; notes: RelatedRecord[] }>;
}

/** The bucket every caller of one upstream account shares (overridable per location). */
export function rateLimitKey(location: LocationRow): string {
  const custom = location.settings.rate_limit_key;
  return typeof custom === "string" && custom ? custom : `${location.provider}:${location.accountId}`;
}

function ghlSource(location: LocationRow, credentials: Credentials, config: Config): SyncSource {
  const client = new GhlClient({
    baseUrl: location.baseUrl ?? config.GHL_BASE_URL,
    locationId: location.accountId,
    accessToken: credentials.access_token,
  });
  return {
    kinds: ["contacts", "conversations", "opportunities"],
    pageSize: (kind) => GHL_PAGE[kind],
    async fetch(kind, ctx, cursor, since) {
      switch (kind) {
        case "contacts":
          return { kind, page: await client.contacts(ctx, cursor, since) };
        case "conversations":
          return { kind, page: await client.conversations(ctx, cursor, since) };
        case "opportunities":
          return { kind, page: await client.opportunities(ctx, cursor) };
      }
    },
    async contactRelated(ctx, contactId) {
      const [tasks, notes] = await Promise.all([client.tasks(ctx, contactId), client.notes(ctx, contactId)]);
      return { tasks, notes };
    },
  };
}

export function syncSourceFor(location: LocationRow, credentials: Credentials, config: Config): SyncSource {
  switch (location.provider) {
    case "ghl":
      return ghlSource(location, credentials, config);
    case "amocrm":
      throw new UpstreamError("client", "AmoCRM sync is not available yet (issue #4).");
  }
}
