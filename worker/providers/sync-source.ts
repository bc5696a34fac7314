// What the sync engine sees of a location's upstream: one fetch per kind and page, the per-contact
// related lists, and the key of the account's shared rate-limit bucket.
import type { CountryCode } from "libphonenumber-js/min";
import type { LocationRow, SyncKind } from "../../shared/db/schema";
import { amocrmSettingsSchema } from "../../shared/schemas/amocrm";
import type { Config } from "../config";
import type { AccessTokens } from "./access-tokens";
import { AMO_PAGE, AmoClient, amoBaseUrl } from "./amocrm/client";
import { AMO_KINDS, amoSource } from "./amocrm/source";
import { GHL_PAGE, GhlClient } from "./ghl";
import type { CompanyRecord, ContactRecord, Page, RelatedRecord } from "./types";
import { UpstreamError, type UpstreamContext } from "./upstream";

export type KindPage =
  | { kind: "contacts"; page: Page<ContactRecord> }
  | { kind: "companies"; page: Page<CompanyRecord> }
  | { kind: "conversations" | "opportunities" | "notes" | "tasks"; page: Page<RelatedRecord> };

export interface SyncSource {
  readonly kinds: readonly SyncKind[];
  pageSize(kind: SyncKind): number;
  fetch(kind: SyncKind, ctx: UpstreamContext, cursor: unknown | null, since: number | null): Promise<KindPage>;
  /**
   * Page-numbered sources: the cursor of the page after `cursor`, named before any answer says
   * that page exists (past the end it is an empty last page). Absent for cursor-chained ones.
   */
  cursorAfter?(cursor: unknown): unknown;
  /**
   * The records among `ids` upstream still has, asked by id: a full pass's reconcile deletes only
   * the candidates this does not return. Absent where asking by id costs a request per record (GHL).
   */
  present?(kind: SyncKind, ctx: UpstreamContext, ids: readonly string[]): Promise<KindPage>;
  /** Tasks and notes of one contact, for providers without a bulk endpoint (GHL). */
  contactRelated?(ctx: UpstreamContext, contactId: string): Promise<{ tasks: RelatedRecord[]; notes: RelatedRecord[] }>;
}

/** The kinds each provider syncs in bulk, and the page size of each (progress and ETA). */
export const PROVIDER_KINDS = {
  ghl: ["contacts", "conversations", "opportunities"],
  amocrm: AMO_KINDS,
} as const satisfies Record<LocationRow["provider"], readonly SyncKind[]>;

export function pageSizeOf(provider: LocationRow["provider"], kind: SyncKind): number {
  if (provider === "amocrm") return AMO_PAGE;
  return kind in GHL_PAGE ? GHL_PAGE[kind as keyof typeof GHL_PAGE] : 100;
}

/** The bucket every caller of one upstream account shares (overridable per location). */
export function rateLimitKey(location: Pick<LocationRow, "settings" | "provider" | "accountId">): string {
  const custom = location.settings.rate_limit_key;
  return typeof custom === "string" && custom ? custom : `${location.provider}:${location.accountId}`;
}

function ghlSource(location: LocationRow, tokens: AccessTokens, config: Config): SyncSource {
  const client = new GhlClient({
    baseUrl: location.baseUrl ?? config.GHL_BASE_URL,
    locationId: location.accountId,
    tokens,
  });
  return {
    kinds: PROVIDER_KINDS.ghl,
    pageSize: (kind) => pageSizeOf("ghl", kind),
    async fetch(kind, ctx, cursor, since): Promise<KindPage> {
      switch (kind) {
        case "contacts":
          return { kind, page: await client.contacts(ctx, cursor, since) };
        case "conversations":
          return { kind, page: await client.conversations(ctx, cursor, since) };
        case "opportunities":
          return { kind, page: await client.opportunities(ctx, cursor) };
        default:
          throw new UpstreamError("client", `GoHighLevel has no bulk '${kind}' sync.`);
      }
    },
    async contactRelated(ctx, contactId) {
      const [tasks, notes] = await Promise.all([client.tasks(ctx, contactId), client.notes(ctx, contactId)]);
      return { tasks, notes };
    },
  };
}

/** What an AmoCRM location needs besides its row: its tokens (renewed by the token broker). */
export function amoClientFor(location: LocationRow, tokens: AccessTokens): AmoClient {
  return new AmoClient(amoBaseUrl(location.accountId, location.baseUrl), tokens);
}

export function phoneRegion(location: LocationRow): CountryCode {
  const settings = amocrmSettingsSchema.safeParse(location.settings);
  return (settings.success ? settings.data.phone_region : undefined) as CountryCode | undefined ?? "RU";
}

export function syncSourceFor(location: LocationRow, tokens: AccessTokens, config: Config): SyncSource {
  switch (location.provider) {
    case "ghl":
      return ghlSource(location, tokens, config);
    case "amocrm":
      return amoSource(amoClientFor(location, tokens), phoneRegion(location));
  }
}
