// What a provider client sees of its credentials: a token to send, and a way to replace one the
// upstream refused. Who refreshes, and how only one refresh ever runs per account, is the token
// broker's business (worker/tokens/); a static token simply has no replacement.
import { UpstreamError } from "./upstream";

export interface AccessTokens {
  /** False for a static token: a 401 is final, and the upstream's own answer is the error. */
  readonly renewable: boolean;
  /** A token to send now (one about to expire is replaced first). */
  current(): Promise<string>;
  /** The upstream answered 401 to `failed`: a replacement, or an UpstreamError "auth" when there is none. */
  replace(failed: string): Promise<string>;
}

/** A token that never changes (GHL Private Integration Token, AmoCRM long-lived token). */
export function staticTokens(token: string, what: string): AccessTokens {
  return {
    renewable: false,
    current: async () => token,
    replace: async () => {
      throw new UpstreamError("auth", `${what} refused the access token and it cannot be refreshed: issue a new token or reconnect.`, 401);
    },
  };
}

/** Sends with the current token; on a 401, once more with its replacement. */
export async function withToken<T>(tokens: AccessTokens, send: (token: string) => Promise<T>): Promise<T> {
  const token = await tokens.current();
  try {
    return await send(token);
  } catch (err) {
    if (!(err instanceof UpstreamError && err.kind === "auth" && err.status === 401) || !tokens.renewable) throw err;
    return send(await tokens.replace(token));
  }
}
