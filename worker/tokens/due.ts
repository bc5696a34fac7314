// When a token is renewed: ahead of its expiry, by a fifth of its lifetime (at most 5 minutes,
// at least 1 second), so a call never leaves with a token about to die. Tokens with no known
// expiry (static ones) are renewed only when the upstream refuses them.
import type { Credentials } from "../../shared/schemas/locations";

const MAX_MARGIN_MS = 300_000;
/** Without the issue time (tokens stored before it was kept), the margin AmoCRM refreshes used. */
const DEFAULT_MARGIN_MS = 60_000;

export function renewAt(c: Pick<Credentials, "expires_at" | "issued_at">): number | null {
  if (c.expires_at === undefined) return null;
  const expires = c.expires_at * 1000;
  const margin = c.issued_at !== undefined ? Math.max(1000, Math.min(MAX_MARGIN_MS, (expires - c.issued_at * 1000) / 5)) : DEFAULT_MARGIN_MS;
  return expires - margin;
}

/** Whether the broker can replace this token at all (a refresh pair, or an agency grant to mint from). */
export function renewable(c: Credentials): boolean {
  return Boolean(c.company_grant) || (!c.long_lived && Boolean(c.refresh_token && c.client_id && c.client_secret));
}
