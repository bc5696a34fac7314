// What a token may do. Every route declares the scope it needs (worker/http/access.ts); the widget
// reads a token's scopes to show only what its holder may use.
//   read   — list and view contacts, lists, import tasks and sync status
//   import — create lists, upload CSVs, delete lists, cancel or resume one's own import tasks
//   sync   — start syncs with the location's own settings
//   admin  — everything above, plus other people's import tasks and sync requests that change
//            what the cache holds (an AmoCRM company filter of one's own, a different mode)
import { z } from "zod";

export const SCOPES = ["read", "import", "sync", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
export const scopeSchema = z.enum(SCOPES);

/** `admin` implies every other scope. */
export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes(needed) || granted.includes("admin");
}
