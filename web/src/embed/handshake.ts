// Getting a token from the parent frame: our own hello/token exchange (embed.js and compatible
// hosts) and GoHighLevel's REQUEST_USER_DATA SSO, both asked at once; the first usable answer wins.
// Only messages from window.parent whose origin is on the allowlist are read; everything else is
// ignored, so another frame or a non-allowlisted parent cannot hand us a token.
import { GHL_REQUEST, HELLO, asGhlResponse, asTokenMessage } from "./protocol";
import { originAllowed } from "./origins";
import { exchangeGhlPayload } from "./sso";

export type HandshakeFailure = { code: string; message: string; status: number };

export type HandshakeOutcome =
  | { ok: true; token: string; locationId: string | null; parentOrigin: string; via: "postMessage" | "ghl-sso" }
  | ({ ok: false } & HandshakeFailure);

export type HandshakeOptions = {
  allowed: readonly string[];
  /** Where to post the hello before the parent has answered: its origin when known, else "*". */
  targetOrigin: string;
  timeoutMs?: number;
};

export function handshakeWithParent(opts: HandshakeOptions): Promise<HandshakeOutcome> {
  const parent = window.parent;
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: HandshakeOutcome) => {
      if (done) return;
      done = true;
      window.removeEventListener("message", onMessage);
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, status: 0, code: "no_token", message: "The host page sent no token." }),
      opts.timeoutMs ?? 15_000,
    );
    let exchanging = false;
    function onMessage(event: MessageEvent) {
      if (event.source !== parent || !originAllowed(event.origin, opts.allowed)) return;
      const token = asTokenMessage(event.data);
      if (token) {
        finish({ ok: true, token: token.token, locationId: token.location_id ?? null, parentOrigin: event.origin, via: "postMessage" });
        return;
      }
      const ghl = asGhlResponse(event.data);
      if (ghl && !exchanging) {
        exchanging = true;
        void exchangeGhlPayload(ghl.payload).then((r) =>
          finish(
            r.ok
              ? { ok: true, token: r.token, locationId: r.locationId, parentOrigin: event.origin, via: "ghl-sso" }
              : { ok: false, status: r.status, code: r.code, message: r.message },
          ),
        );
      }
    }
    window.addEventListener("message", onMessage);
    // Neither message carries anything secret; the answers are what we check.
    parent.postMessage({ type: HELLO }, opts.targetOrigin);
    parent.postMessage({ message: GHL_REQUEST }, opts.targetOrigin);
  });
}
