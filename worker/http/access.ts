// Who may call a route. Every route's first handler is one of these declarations, and the app
// refuses to start when a route has none (assertEveryRouteDeclared), so a new route cannot ship
// open by accident. The security suite enumerates the app's routes and checks each against its
// declaration (test/worker/security.routes.test.ts).
//
// Every failed authentication answers exactly the same (401 `unauthorized`, one sentence): no
// token, a malformed one, a forged signature, an unknown key id, an expired or revoked token, a
// wrong admin key. Only an authenticated caller learns more (403 for a scope it lacks).
import type { Hono, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { type Scope, hasScope } from "../../shared/schemas/scopes";
import { SecretError } from "../auth/keyring";
import { isTokenRevoked } from "../auth/revocation";
import { readSecrets, type Secrets } from "../auth/secrets";
import { verifyToken } from "../auth/tokens";
import type { AppEnv } from "../env";
import { AppError } from "./errors";

export type AccessPolicy =
  | { kind: "public"; why: string }
  | { kind: "admin" }
  | { kind: "token"; scope: Scope };

const POLICY = Symbol.for("crm-edge.access-policy");
type Declared = MiddlewareHandler<AppEnv> & { [POLICY]?: AccessPolicy };

export const AUTH_FAILED = "Authentication failed: send a valid bearer token.";

function declare(policy: AccessPolicy, handler: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  (handler as Declared)[POLICY] = policy;
  return handler;
}

export function policyOf(handler: unknown): AccessPolicy | undefined {
  return typeof handler === "function" ? (handler as Declared)[POLICY] : undefined;
}

function bearer(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

export async function secretsOf(env: Env): Promise<Secrets> {
  try {
    return await readSecrets(env);
  } catch (err) {
    if (err instanceof SecretError) throw new AppError("misconfigured", err.message);
    throw err;
  }
}

/** Constant-time comparison of two strings of any length (hash both, compare the digests). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(da, db);
}

const denied = () => new AppError("unauthorized", AUTH_FAILED);

const requireToken = (scope: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const secrets = await secretsOf(c.env);
    const token = bearer(c.req.header("authorization"));
    if (!token) throw denied();
    const check = await verifyToken(secrets.auth, token);
    if (!check.ok) throw denied();
    const { claims } = check;
    if (await isTokenRevoked(c.var.db, claims, c.var.config.REVOCATION_CACHE_MS)) throw denied();
    if (!hasScope(claims.scope, scope)) {
      throw new AppError("insufficient_scope", `This token may not do this: it needs the '${scope}' scope.`);
    }
    c.set("auth", claims);
    await next();
  });

const requireAdminKey = createMiddleware<AppEnv>(async (c, next) => {
  const secrets = await secretsOf(c.env);
  const key = bearer(c.req.header("authorization"));
  if (!key || !(await sameSecret(key, secrets.adminKey))) throw denied();
  await next();
});

export const access = {
  /** Anyone; `why` says what makes that safe (it is printed by the security suite). */
  public: (why: string) => declare({ kind: "public", why }, async (_c, next) => next()),
  /** The operator's ADMIN_API_KEY. */
  admin: () => declare({ kind: "admin" }, requireAdminKey),
  /** A valid, unrevoked location token with this scope (`admin` implies every scope). */
  token: (scope: Scope) => declare({ kind: "token", scope }, requireToken(scope)),
};

export type DeclaredRoute = { method: string; path: string; policy: AccessPolicy };

/** Every route of the app with its declaration; throws naming the routes that have none. */
export function declaredRoutes(app: Hono<AppEnv>, prefix = "/api/"): DeclaredRoute[] {
  const byRoute = new Map<string, { method: string; path: string; policy?: AccessPolicy }>();
  for (const r of app.routes) {
    if (r.method === "ALL" || !r.path.startsWith(prefix)) continue; // app-wide middleware, the widget's catch-all
    const key = `${r.method} ${r.path}`;
    const entry = byRoute.get(key) ?? { method: r.method, path: r.path };
    // Only the route's first handler counts: a declaration after a validator would run too late.
    if (!byRoute.has(key)) entry.policy = policyOf(r.handler);
    byRoute.set(key, entry);
  }
  const missing = [...byRoute.keys()].filter((k) => !byRoute.get(k)?.policy);
  if (missing.length) throw new Error(`Routes without an access declaration (worker/http/access.ts): ${missing.join(", ")}`);
  return [...byRoute.values()].map((r) => ({ method: r.method, path: r.path, policy: r.policy as AccessPolicy }));
}
