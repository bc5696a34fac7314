// POST /oauth2/access_token: the refresh_token grant (AmoCRM's OAuth documentation). The account is
// the one named by the host, else by client_id; errors are 400 problem+json with a `hint`.
import type { AmoAccount, AmoAccounts } from "./accounts";
import { arrivalTime } from "../arrival";
import { amoErrors, problem } from "./envelope";
import { amoGate, hostSubdomain, tooLong } from "./gate";

const oauthError = (hint: string, detail: string) => problem(400, "Bad Request", detail, { hint });

const str = (body: Record<string, unknown>, key: string): string | undefined =>
  typeof body[key] === "string" ? body[key] : undefined;

function exchange(account: AmoAccount, body: Record<string, unknown> | undefined, now: number): Response {
  if (!body) return oauthError("Request body must be a JSON object", "The request is missing a required parameter.");
  const grant = str(body, "grant_type");
  if (grant !== "refresh_token" && grant !== "authorization_code") {
    return oauthError("Only the refresh_token and authorization_code grants are simulated", "The authorization grant type is not supported.");
  }
  if (str(body, "client_id") !== account.tokens.clientId || str(body, "client_secret") !== account.tokens.clientSecret) {
    return oauthError("Client authentication failed", "Client authentication failed.");
  }
  let out: ReturnType<typeof account.tokens.exchange>;
  if (grant === "authorization_code") {
    const code = str(body, "code");
    if (!code) return oauthError("Check the `code` parameter", "The request is missing a required parameter.");
    out = account.tokens.exchangeCode(code, str(body, "redirect_uri"), now);
  } else {
    if (str(body, "redirect_uri") !== account.tokens.redirectUri) return oauthError("redirect_uri mismatch", "The redirect_uri is invalid.");
    const refresh = str(body, "refresh_token");
    if (!refresh) return oauthError("Check the `refresh_token` parameter", "The request is missing a required parameter.");
    out = account.tokens.exchange(refresh, now);
  }
  if (!out.ok) return oauthError(out.hint, out.detail);
  const payload = { token_type: "Bearer", expires_in: out.expiresIn, server_time: Math.floor(now / 1000),
    access_token: out.accessToken, refresh_token: out.refreshToken };
  return new Response(JSON.stringify(payload), { status: 200, headers: { "content-type": "application/json" } });
}

export async function handleToken(accounts: AmoAccounts, req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (req.method !== "POST") return problem(405, "Method Not Allowed", "Use POST");
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(await req.text());
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch { body = undefined; }
  const sub = hostSubdomain(url.hostname);
  const clientId = body ? str(body, "client_id") : undefined;
  const account = sub !== undefined ? accounts.get(sub) : clientId ? accounts.byClientId(clientId) : undefined;
  const now = accounts.now();
  if (!account) {
    if (tooLong(req.url)) return amoErrors.plain(414, "Request-URI Too Large");
    return body ? oauthError("Client authentication failed", "Client authentication failed.")
      : oauthError("Request body must be a JSON object", "The request is missing a required parameter.");
  }
  return amoGate(account, req, arrivalTime(req, now), () => exchange(account, body, now));
}
