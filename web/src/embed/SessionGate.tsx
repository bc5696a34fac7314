// Renders the app once a session is known: at once for a fragment token, after the parent's answer
// when framed. A failed handshake (say a tampered GHL payload) shows why, instead of the app. When
// the API refuses a token the host page gave (it expired), the host is asked for a new one.
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { Session } from "../auth";
import { type SessionOutcome, renewFromHost } from "./connect";
import { embedText } from "./messages";

/** At most one renewal per this interval: a host that keeps handing out refused tokens is not asked in a loop. */
export const RENEW_INTERVAL_MS = 60_000;

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
  const onRefused = useCallback(() => {
    const now = Date.now();
    if (!fromHost || now - lastRenewal.current < RENEW_INTERVAL_MS) return;
    lastRenewal.current = now;
    // A failed renewal keeps the current session: the app goes on showing the 401.
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
  return render(outcome.session, onRefused);
}
