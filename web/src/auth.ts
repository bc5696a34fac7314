// Where the widget's token comes from. Two ways in, both kept in memory only (no storage, no
// third-party cookies: Safari blocks those in iframes):
// 1. The CRM opens the widget as `/#token=…&location_id=…`. The fragment never reaches a server or a
//    Referer header; we read it once and then scrub it from the address bar and history so the token
//    cannot leak through copy-paste or a later navigation.
// 2. Framed without a fragment token: the parent hands one over by postMessage (web/public/embed.js,
//    or GoHighLevel's custom-page SSO exchanged at /api/auth/ghl-sso), see src/embed/.
import { type SessionOutcome, connectToHost } from "./embed/connect";
import type { Session } from "./session/session";

export type { Session, SessionOutcome };

export function takeSessionFromUrl(): Session {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const token = params.get("token");
  const locationId = params.get("location_id");
  if (params.has("token") || params.has("location_id")) {
    params.delete("token");
    params.delete("location_id");
    const rest = params.toString();
    const url = `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ""}`;
    window.history.replaceState(window.history.state, "", url);
  }
  return { token: token || null, locationId: locationId || null };
}

/**
 * The session, synchronously when the URL carries it (or when not framed: the app then says the
 * token is missing), else a promise of the parent's answer. Call once, before rendering.
 */
export function startSession(): SessionOutcome | Promise<SessionOutcome> {
  return connectToHost(takeSessionFromUrl());
}
