// A location's connection to its upstream, for operators and the widget's admin screen. No token
// ever appears here: only states and times.
import { z } from "zod";
import { PROVIDERS } from "../db/schema";

export const CONNECTION_STATES = ["connected", "expiring", "needs_reconnect", "disabled"] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const connectionSchema = z.object({
  location_id: z.string(),
  name: z.string(),
  provider: z.enum(PROVIDERS),
  account_id: z.string(),
  state: z.enum(CONNECTION_STATES),
  /** The agency grant its tokens come from (GHL Company installs), else null. */
  grant_id: z.string().nullable(),
  token_expires_at: z.string().nullable(),
  last_refresh_at: z.string().nullable(),
  last_error: z.string().nullable(),
  /** Where an admin (re)connects it: the install link of its provider, null when installs are not set up. */
  reconnect_url: z.string().nullable(),
});
export type Connection = z.infer<typeof connectionSchema>;
export const connectionsResponseSchema = z.object({ connections: z.array(connectionSchema) });

/** POST /api/oauth/ghl/app-events: what the event did. */
export const appEventAckSchema = z.object({
  ok: z.literal(true),
  action: z.string(),
  locations: z.number().int(),
}).loose();
