// What a token may do. Every route declares the scope it needs (worker/http/access.ts); the widget
// reads a token's scopes to show only what its holder may use. No zod here: the widget imports it.
//   read   — list and view contacts, lists, import tasks and sync status
//   import — create, rename and delete lists, upload CSVs, cancel or resume one's own import tasks
//   sync   — start syncs with the location's own settings
//   admin  — everything above, plus other people's import tasks and sync requests that change
//            what the cache holds (an AmoCRM company filter of one's own, a different mode)

export const SCOPES = ["read", "import", "sync", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** `admin` implies every other scope. */
export function hasScope(granted: readonly string[], needed: Scope): boolean {
  return granted.includes(needed) || granted.includes("admin");
}
