// Calls that make us spend upstream requests (starting a sync, the fresh endpoint's pull, a
// contact's tasks and notes) are limited per token and per location, so one token cannot drain an
// account's 7-per-second bucket or GoHighLevel's daily quota for everyone else.
import type { TokenClaims } from "../auth/tokens";
import type { Config } from "../config";
import { abuseLimits } from "./client";

export async function chargeUpstreamCall(env: Env, config: Config, claims: Pick<TokenClaims, "jti">, locationId: string): Promise<void> {
  const limits = abuseLimits(env.ABUSE_LIMITER);
  await limits.check(`upstream-token:${claims.jti}`, config.UPSTREAM_CALLS_PER_TOKEN, "calls that reach the CRM with this token");
  await limits.check(`upstream-loc:${locationId}`, config.UPSTREAM_CALLS_PER_LOCATION, "calls that reach the CRM for this location");
}
