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
import type { KindPage, SyncSource } from "./source";
import type { ContactRecord } from "./types";
import { UpstreamError } from "./upstream";

export type { KindPage, SyncSource };

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
    async contactsById(ctx, ids) {
      const found: ContactRecord[] = [];
      for (const id of ids) {
        const record = await client.contact(ctx, id);
        if (record) found.push(record);
      }
      return found;
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
