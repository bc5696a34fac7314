// The pace of one upstream account: the deployment's RATE_LIMIT_RPS / RATE_LIMIT_BURST, with a
// location's own settings on top. Read by the callers (ratelimit/client.ts) and the Durable Object.
import { z } from "zod";
import { toGcraConfig } from "./gcra";
import type { RateLimitConfig } from "./interface";

const envSchema = z.object({
  RATE_LIMIT_RPS: z.coerce.number().positive().max(1000).default(7),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1000).default(1),
});

/**
 * The deployment default (RATE_LIMIT_RPS / RATE_LIMIT_BURST), with a location's own settings on
 * top. A bad var is a deployment error and a bad override a settings error: both throw, clearly.
 */
export function rateLimitConfigFrom(
  env: Pick<Env, "RATE_LIMIT_RPS" | "RATE_LIMIT_BURST">,
  overrides: { rps?: number | undefined; burst?: number | undefined } = {},
): RateLimitConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid rate limit configuration: ${z.prettifyError(parsed.error)}`);
  const config = {
    rps: overrides.rps ?? parsed.data.RATE_LIMIT_RPS,
    burst: overrides.burst ?? parsed.data.RATE_LIMIT_BURST,
  };
  toGcraConfig(config);
  return config;
}
