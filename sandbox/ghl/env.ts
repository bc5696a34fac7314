// What the GHL routers see: the whole sandbox and the location the bearer token belongs to.
import type { Context } from "hono";
import type { Location, Sandbox } from "../sandbox";
import { ghlErrors } from "./errors";

export type GhlEnv = { Bindings: { sandbox: Sandbox; location: Location } };

/**
 * GHL scopes every call to the token's location: a missing id is a 422, another location's id a
 * 403 (even if that location exists).
 */
export function checkLocation(c: Context<GhlEnv>, requested: unknown, name = "locationId"): Response | null {
  if (typeof requested !== "string" || requested === "") return ghlErrors.unprocessable([`${name} should not be empty`]);
  return requested === c.env.location.store.id ? null : ghlErrors.forbidden();
}
