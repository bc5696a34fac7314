// AmoCRM OAuth over HTTP: the token endpoint on the account's own host (JSON body; the
// authorization_code and refresh_token grants). Every new refresh token is single use.
import { UpstreamError, sendJson, type UpstreamContext } from "../upstream";
import { tokenResponseSchema } from "./schemas";

export type AmoApp = { clientId: string; clientSecret: string; redirectUri: string };
export type AmoToken = { access_token: string; refresh_token: string; expires_in: number; server_time?: number | null };

export async function amoTokenGrant(baseUrl: string, app: AmoApp, ctx: UpstreamContext, grant: { code: string } | { refreshToken: string }): Promise<AmoToken> {
  const body = {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uri: app.redirectUri,
    ...("code" in grant ? { grant_type: "authorization_code", code: grant.code } : { grant_type: "refresh_token", refresh_token: grant.refreshToken }),
  };
  const res = await sendJson({ url: `${baseUrl}/oauth2/access_token`, method: "POST", headers: {}, body }, tokenResponseSchema, { ...ctx, isThrottle: (r) => r.status === 403 });
  if (!res) throw new UpstreamError("malformed", "AmoCRM answered the token request with an empty body.");
  return res;
}
