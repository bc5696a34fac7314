// Where the widget's session comes from, in order: the URL fragment (`#token=…`), else — when framed —
// the parent, through the postMessage handshake or GoHighLevel SSO. Also starts the height reports
// once the parent's origin is known and allowlisted.
import type { Session } from "../session/session";
import { type HandshakeFailure, handshakeWithParent } from "./handshake";
import { startHeightReporter } from "./height";
import { guessParentOrigin, originAllowed, readAllowedOrigins } from "./origins";

export type SessionOutcome = { ok: true; session: Session } | { ok: false; error: HandshakeFailure };

export function connectToHost(fromUrl: Session): SessionOutcome | Promise<SessionOutcome> {
  const framed = window.parent !== window;
  if (!framed) return { ok: true, session: fromUrl };

  const allowed = readAllowedOrigins();
  const guess = guessParentOrigin();
  let reporting = false;
  const reportTo = (origin: string) => {
    if (reporting || !originAllowed(origin, allowed)) return;
    reporting = true;
    startHeightReporter(origin);
  };
  if (guess) reportTo(guess);
  if (fromUrl.token) return { ok: true, session: fromUrl };

  return askHost(allowed, guess, reportTo);
}

function askHost(allowed: readonly string[], guess: string | null, onParent: (origin: string) => void): Promise<SessionOutcome> {
  const target = guess && originAllowed(guess, allowed) ? guess : "*";
  return handshakeWithParent({ allowed, targetOrigin: target }).then((outcome): SessionOutcome => {
    if (!outcome.ok) return { ok: false, error: outcome };
    onParent(outcome.parentOrigin);
    return { ok: true, session: { token: outcome.token, locationId: outcome.locationId } };
  });
}

/**
 * A fresh token from the host page, for a session that came from it and was refused (expired):
 * the same handshake again (embed.js asks its getToken, GoHighLevel answers with a new payload).
 */
export function renewFromHost(): Promise<SessionOutcome> {
  return askHost(readAllowedOrigins(), guessParentOrigin(), () => {});
}
