// Renders the app once a session is known: at once for a fragment token, after the parent's answer
// when framed. A failed handshake (say a tampered GHL payload) shows why, instead of the app.
// A session the host page handed over is renewed through the same handshake before its token
// expires (GoHighLevel SSO tokens live minutes), and again if the API refuses it anyway.
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { Session } from "../auth";
import { readClaims } from "../session/claims";
import { type SessionOutcome, renewFromHost } from "./connect";
import { embedText } from "./messages";

/** At most one renewal per this interval: a host that keeps handing out refused tokens is not asked in a loop. */
export const RENEW_INTERVAL_MS = 60_000;
/** Renew this long before expiry at most (a fifth of the lifetime for short ones). */
const RENEW_AHEAD_MS = 60_000;

/** When to ask the host for a new token: ahead of `exp`, never sooner than now. */
export function renewalDelay(token: string | null, now: number): number | null {
  const { issuedAt, expiresAt } = readClaims(token);
  if (expiresAt === null) return null;
  const lifetime = issuedAt === null ? RENEW_AHEAD_MS * 5 : expiresAt - issuedAt;
  const ahead = Math.min(RENEW_AHEAD_MS, Math.max(1000, lifetime / 5));
  return Math.max(0, expiresAt - ahead - now);
}

export function SessionGate({
  pending,
  render,
  renew = renewFromHost,
}: {
  pending: SessionOutcome | Promise<SessionOutcome>;
  /** `onRefused`: the API answered 401 to this session's token. */
  render: (session: Session, onRefused: () => void) => ReactNode;
  renew?: () => Promise<SessionOutcome>;
}) {
  const [outcome, setOutcome] = useState<SessionOutcome | null>(pending instanceof Promise ? null : pending);
  // Only a session the host page handed over can be renewed by asking it (a #token cannot).
  const fromHost = pending instanceof Promise;
  const lastRenewal = useRef(Number.NEGATIVE_INFINITY);
  const renewNow = useCallback(() => {
    const now = Date.now();
    if (!fromHost || now - lastRenewal.current < RENEW_INTERVAL_MS) return;
    lastRenewal.current = now;
    // A failed renewal keeps the current session: the app goes on, and shows a 401 if it comes.
    void renew().then((next) => next.ok && setOutcome(next));
  }, [fromHost, renew]);
  useEffect(() => {
    if (!(pending instanceof Promise)) return;
    let live = true;
    void pending.then((o) => live && setOutcome(o));
    return () => {
      live = false;
    };
  }, [pending]);
  // Ahead of expiry, while the page is open (timers are throttled, not lost, in hidden tabs).
  const token = outcome?.ok ? outcome.session.token : null;
  useEffect(() => {
    if (!fromHost || !token) return;
    const delay = renewalDelay(token, Date.now());
    if (delay === null) return;
    const timer = setTimeout(renewNow, delay);
    return () => clearTimeout(timer);
  }, [fromHost, token, renewNow]);

  if (!outcome) {
    return (
      <main className="widget">
        <p className="state" role="status" data-testid="embed-connecting">
          {embedText.connecting}
        </p>
      </main>
    );
  }
  if (!outcome.ok) {
    const { code, message } = outcome.error;
    return (
      <main className="widget">
        <div className="state state-error" role="alert" data-testid="embed-error" data-code={code}>
          <p>
            <strong>{embedText.title}</strong> {embedText.byCode[code] ?? embedText.fallback(message)}
          </p>
        </div>
      </main>
    );
  }
  return render(outcome.session, renewNow);
}
