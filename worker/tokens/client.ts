// The AccessTokens a provider client gets for a location: a static token as it is, or one the
// location's token broker renews. The token and when it is due are kept here, so the broker is
// asked only when a renewal is due or the upstream refused the token (a DO call in hours, not
// per request).
import type { Credentials } from "../../shared/schemas/locations";
import type { TokenOwner } from "../db/oauth-tokens";
import { type AccessTokens, staticTokens } from "../providers/access-tokens";
import { UpstreamError } from "../providers/upstream";
import type { TokenAnswer } from "./broker";
import { brokerFor } from "./stub";
import { renewAt, renewable } from "./due";

function unwrap(answer: TokenAnswer): { token: string; renewAt: number | null } {
  if (answer.ok) return answer;
  // needs_reconnect fails the run as refused credentials (the location is parked already);
  // unavailable is a passing fault: the queue retries the message.
  if (answer.reason === "needs_reconnect") throw new UpstreamError("auth", answer.message, 401);
  throw new UpstreamError("server", answer.message);
}

export function brokeredTokens(env: Pick<Env, "TOKEN_BROKER">, owner: TokenOwner, credentials: Credentials, now: () => number = Date.now): AccessTokens {
  let token = credentials.access_token;
  let due = renewAt(credentials);
  const ask = async (failed: string | null) => {
    const next = unwrap(await brokerFor(env, owner).token(owner, failed));
    token = next.token;
    due = next.renewAt;
    return token;
  };
  return {
    renewable: true,
    current: () => (due !== null && due <= now() ? ask(null) : Promise.resolve(token)),
    replace: (failed) => ask(failed),
  };
}

/** A location's tokens: brokered when they can be renewed, else static. */
export function locationTokens(env: Pick<Env, "TOKEN_BROKER">, locationId: string, credentials: Credentials, what: string): AccessTokens {
  return renewable(credentials) ? brokeredTokens(env, { kind: "location", id: locationId }, credentials) : staticTokens(credentials.access_token, what);
}
