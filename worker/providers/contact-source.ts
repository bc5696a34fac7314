// Picks the upstream client for a location: the sync engine only sees `ContactSource`.
import type { LocationRow } from "../../shared/db/schema";
import type { Credentials } from "../../shared/schemas/locations";
import type { Config } from "../config";
import { GHL_MAX_PAGE, GhlClient } from "./ghl";
import type { ContactPage } from "./types";
import { UpstreamError } from "./upstream";

export interface ContactSource {
  readonly pageSize: number;
  fetchPage(cursor: unknown | null, signal?: AbortSignal): Promise<ContactPage>;
}

export function contactSourceFor(location: LocationRow, credentials: Credentials, config: Config): ContactSource {
  switch (location.provider) {
    case "ghl": {
      const client = new GhlClient({
        baseUrl: location.baseUrl ?? config.GHL_BASE_URL,
        locationId: location.accountId,
        accessToken: credentials.access_token,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      });
      return {
        pageSize: GHL_MAX_PAGE,
        fetchPage: (cursor, signal) => client.searchContacts({ pageLimit: GHL_MAX_PAGE, searchAfter: cursor, signal }),
      };
    }
    case "amocrm":
      throw new UpstreamError("client", "AmoCRM sync is not available yet (issue #4).");
  }
}
