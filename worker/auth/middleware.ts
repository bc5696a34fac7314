// Request guards: the location-scoped bearer token for /api/*, the admin key for /api/admin/*.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../http/errors";
import { verifyToken } from "./tokens";

function bearer(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

export const requireToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  if (!token) throw new AppError("unauthorized", "Send 'Authorization: Bearer <token>'.");
  if (!c.env.AUTH_SECRET) throw new AppError("misconfigured", "AUTH_SECRET is not set.");
  const check = await verifyToken(c.env.AUTH_SECRET, token);
  if (!check.ok) {
    throw check.reason === "expired"
      ? new AppError("token_expired", "The token has expired: get a new one.")
      : new AppError("unauthorized", "The token is not valid.");
  }
  c.set("auth", check.claims);
  await next();
});

/** Constant-time comparison of two strings of any length (hash both, compare the digests). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(a)),
    crypto.subtle.digest("SHA-256", enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearer(c.req.header("authorization"));
  if (!c.env.ADMIN_API_KEY) throw new AppError("misconfigured", "ADMIN_API_KEY is not set.");
  if (!key || !(await sameSecret(key, c.env.ADMIN_API_KEY))) {
    throw new AppError("unauthorized", "Send 'Authorization: Bearer <ADMIN_API_KEY>'.");
  }
  await next();
});

/**
 * The location a request acts on: the one it names, which the token must cover, or the token's
 * only location when it names none.
 */
export function resolveLocation(auth: { loc: string[] }, requested: string | undefined): string {
  if (requested === undefined) {
    const only = auth.loc.length === 1 ? auth.loc[0] : undefined;
    if (!only) throw new AppError("invalid_parameter", "location_id is required: the token covers several locations.");
    return only;
  }
  if (!auth.loc.includes(requested)) {
    throw new AppError("forbidden_location", `The token does not cover location '${requested}'.`);
  }
  return requested;
}
