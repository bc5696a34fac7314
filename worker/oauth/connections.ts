// A location's connection state: disabled (uninstalled), needs_reconnect (refused credentials, or
// none), expiring (its token ends within 10 minutes and was not renewed: nothing has used it, or
// renewals fail), else connected; and the link that (re)connects it.
import type { Connection, ConnectionState } from "../../shared/schemas/connections";
import type { Config } from "../config";
import type { ConnectionRow } from "../db/connections";

export const EXPIRING_WITHIN_MS = 10 * 60_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function connectionState(row: ConnectionRow, now: number): ConnectionState {
  if (row.disabledAt !== null) return "disabled";
  if (!row.hasCredentials || row.parkedReason === "auth") return "needs_reconnect";
  if (row.tokenExpiresAt !== null && row.tokenExpiresAt - now <= EXPIRING_WITHIN_MS) return "expiring";
  return "connected";
}

export function reconnectUrl(provider: "ghl" | "amocrm", config: Config, origin: string): string | null {
  if (provider === "ghl") return config.GHL_CLIENT_ID ? `${origin}/api/oauth/ghl/install` : null;
  return config.AMOCRM_CLIENT_ID ? `https://www.amocrm.ru/oauth?client_id=${encodeURIComponent(config.AMOCRM_CLIENT_ID)}&mode=popup` : null;
}

export function toConnection(row: ConnectionRow, config: Config, origin: string, now: number): Connection {
  return {
    location_id: row.id,
    name: row.name,
    provider: row.provider,
    account_id: row.accountId,
    state: connectionState(row, now),
    grant_id: row.grantId,
    token_expires_at: iso(row.tokenExpiresAt),
    last_refresh_at: iso(row.tokenRefreshedAt),
    last_error: row.tokenError ?? (row.parkedReason === "auth" ? row.parkedDetail : null),
    reconnect_url: reconnectUrl(row.provider, config, origin),
  };
}
