// GoHighLevel's OAuth endpoints (apps/oauth.json in GHL's OpenAPI):
//   POST /oauth/token              form-urlencoded; authorization_code | refresh_token
//   POST /oauth/locationToken      form-urlencoded companyId, locationId; a Company bearer; Version 2021-07-28
//   GET  /oauth/installedLocations companyId, appId, skip, limit, isInstalled; a Company bearer
//   GET  /oauth/chooselocation     the Marketplace's install page, simulated: it installs the app on
//                                  the agency `sbx-company` (the seeded locations) and redirects
//                                  to redirect_uri with a code, as the real page does after a click.
import type { Sandbox } from "../sandbox";
import { ghlErrors, json } from "./errors";
import type { Grant } from "./oauth-state";

export const isGhlOAuthPath = (pathname: string): boolean => pathname.startsWith("/oauth/");

export const SANDBOX_COMPANY = "sbx-company";

const oauthError = (error: string, description: string, status = 400) => json({ error, error_description: description }, status);

async function form(req: Request): Promise<URLSearchParams | null> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  return new URLSearchParams(await req.text());
}

function bearer(req: Request): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1] ?? null;
}

async function token(sandbox: Sandbox, req: Request): Promise<Response> {
  const body = await form(req);
  if (!body) return ghlErrors.unprocessable(["Content-Type must be application/x-www-form-urlencoded"]);
  const oauth = sandbox.ghlOAuth;
  if (oauth.tokenLatencyMs > 0) await sandbox.sleep(oauth.tokenLatencyMs);
  if (body.get("client_id") !== oauth.clientId || body.get("client_secret") !== oauth.clientSecret) {
    return oauthError("invalid_client", "Client authentication failed", 401);
  }
  const now = sandbox.now();
  const grant = body.get("grant_type");
  const out =
    grant === "authorization_code"
      ? oauth.exchangeCode(body.get("code") ?? "", now)
      : grant === "refresh_token"
        ? oauth.exchangeRefresh(body.get("refresh_token") ?? "", now)
        : { error: "unsupported_grant_type", description: `grant_type ${grant ?? "(missing)"} is not supported` };
  return "error" in out ? oauthError(out.error, out.description) : json(out, 200);
}

function companyOf(sandbox: Sandbox, req: Request): Grant | Response {
  const t = bearer(req);
  const grant = t ? sandbox.ghlOAuth.resolve(t, sandbox.now()) : undefined;
  if (!grant || grant === "expired") return ghlErrors.unauthorized();
  if (grant.userType !== "Company") return json({ statusCode: 401, message: "This authClass type is not allowed to access this scope." }, 401);
  if (req.headers.get("version") !== "2021-07-28") return ghlErrors.badRequest("Version header was not found");
  return grant;
}

async function locationToken(sandbox: Sandbox, req: Request): Promise<Response> {
  const grant = companyOf(sandbox, req);
  if (grant instanceof Response) return grant;
  const body = await form(req);
  if (!body) return ghlErrors.unprocessable(["Content-Type must be application/x-www-form-urlencoded"]);
  const companyId = body.get("companyId");
  const locationId = body.get("locationId");
  if (!companyId || !locationId) return ghlErrors.unprocessable(["companyId and locationId should not be empty"]);
  if (companyId !== grant.companyId) return ghlErrors.forbidden();
  if (!(sandbox.ghlOAuth.companies.get(companyId) ?? []).includes(locationId)) {
    return ghlErrors.badRequest("The app is not installed on this location");
  }
  const { refresh_token: _none, ...pair } = sandbox.ghlOAuth.mintLocationToken(grant, locationId, sandbox.now());
  return json({ ...pair, planId: "sbx-plan" }, 200);
}

function installedLocations(sandbox: Sandbox, req: Request): Response {
  const grant = companyOf(sandbox, req);
  if (grant instanceof Response) return grant;
  const q = new URL(req.url).searchParams;
  const companyId = q.get("companyId");
  if (!companyId || !q.get("appId")) return ghlErrors.unprocessable(["companyId should not be empty", "appId should not be empty"]);
  if (companyId !== grant.companyId) return ghlErrors.forbidden();
  sandbox.ghlOAuth.stats.installedLocationsCalls++; // global only: a company's listing is not a grant's traffic
  const skip = Math.max(0, Number(q.get("skip") ?? 0) || 0);
  const limit = Math.min(100, Math.max(1, Number(q.get("limit") ?? 20) || 20));
  const all = sandbox.ghlOAuth.companies.get(companyId) ?? [];
  const locations = all.slice(skip, skip + limit).map((id) => ({ _id: id, name: `Sandbox ${id}`, address: "", isInstalled: true }));
  return json({ locations, count: all.length, installToFutureLocations: false }, 200);
}

/** The Marketplace page: "install on the seeded locations (agency sbx-company)", then back to the app with a code. */
function chooseLocation(sandbox: Sandbox, req: Request): Response {
  const q = new URL(req.url).searchParams;
  const redirect = q.get("redirect_uri");
  if (q.get("client_id") !== sandbox.ghlOAuth.clientId || !redirect) return new Response("Unknown app or missing redirect_uri", { status: 400 });
  const ids = sandbox.options.seedLocations.map((l) => l.id).filter((id) => sandbox.locations.has(id));
  sandbox.ghlOAuth.companies.set(SANDBOX_COMPANY, ids);
  for (const id of ids) sandbox.users.setCompany(id, SANDBOX_COMPANY);
  const code = sandbox.ghlOAuth.issueCode({ userType: "Company", companyId: SANDBOX_COMPANY, locationId: null }, sandbox.now());
  const back = new URL(redirect);
  back.searchParams.set("code", code);
  const state = q.get("state");
  if (state) back.searchParams.set("state", state);
  return Response.redirect(back.toString(), 302);
}

export async function handleGhlOAuth(sandbox: Sandbox, req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  if (pathname === "/oauth/token" && req.method === "POST") return token(sandbox, req);
  if (pathname === "/oauth/locationToken" && req.method === "POST") return locationToken(sandbox, req);
  if (pathname === "/oauth/installedLocations" && req.method === "GET") return installedLocations(sandbox, req);
  if (pathname === "/v2/oauth/chooselocation" || pathname === "/oauth/chooselocation") return chooseLocation(sandbox, req);
  return json({ statusCode: 404, message: `Cannot ${req.method} ${pathname}`, error: "Not Found" }, 404);
}
