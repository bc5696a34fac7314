// Renders the app once a session is known: at once for a fragment token, after the parent's answer
// when framed. A failed handshake (say a tampered GHL payload) shows why, instead of the app.
import { type ReactNode, useEffect, useState } from "react";
import type { Session } from "../auth";
import type { SessionOutcome } from "./connect";
import { embedText } from "./messages";

export function SessionGate({
  pending,
  render,
}: {
  pending: SessionOutcome | Promise<SessionOutcome>;
  render: (session: Session) => ReactNode;
}) {
  const [outcome, setOutcome] = useState<SessionOutcome | null>(pending instanceof Promise ? null : pending);
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
  return render(outcome.session);
}
