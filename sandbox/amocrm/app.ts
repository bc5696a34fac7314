// The AmoCRM v4 surface: which account a call is for, the gate, then the routers. Paths under
// /api/v4/ and /oauth2/access_token come here (GHL never uses them).
import { Hono } from "hono";
import { arrivalTime } from "../arrival";
import type { AmoAccounts } from "./accounts";
import { companies } from "./companies";
import { contacts } from "./contacts";
import { amoErrors, problem } from "./envelope";
import type { AmoEnv } from "./env";
import { amoGate, bearer, hostSubdomain, tooLong } from "./gate";
import { notes } from "./notes";
import { handleToken } from "./oauth";
import { tasks } from "./tasks";

export function isAmoPath(pathname: string): boolean {
  return pathname.startsWith("/api/v4/") || pathname === "/oauth2/access_token";
}

const api = new Hono<AmoEnv>({ strict: false })
  .basePath("/api/v4")
  .route("/contacts/notes", notes("contacts"))
  .route("/companies/notes", notes("companies"))
  .route("/contacts", contacts)
  .route("/companies", companies)
  .route("/tasks", tasks)
  .notFound((c) => amoErrors.notFound(`${c.req.method} ${new URL(c.req.url).pathname}`))
  .onError((err) => {
    console.error("sandbox AmoCRM route failed", err);
    return problem(500, "Internal Server Error", "Internal error");
  });

/**
 * The account is the host's subdomain when the host is an AmoCRM one (so another account's token
 * is a 401 there), else whichever account issued the bearer token (localhost, tests).
 */
export function handleAmo(accounts: AmoAccounts, req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname === "/oauth2/access_token") return handleToken(accounts, req);
  const sub = hostSubdomain(url.hostname);
  const token = bearer(req);
  const account = sub !== undefined ? accounts.get(sub) : token ? accounts.byToken(token) : undefined;
  if (!account) {
    return Promise.resolve(tooLong(req.url) ? amoErrors.plain(414, "Request-URI Too Large")
      : amoErrors.unauthorized(sub !== undefined ? `Unknown account ${sub}` : "Invalid access token"));
  }
  const now = accounts.now();
  return amoGate(account, req, arrivalTime(req, now), () => {
    if (!token || !account.tokens.isValid(token, now)) return amoErrors.unauthorized(token ? "Invalid or expired access token" : "Authorization header is missing");
    return api.fetch(req, { account });
  });
}
