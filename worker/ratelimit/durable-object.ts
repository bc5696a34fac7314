// Placeholder: the RateLimiter Durable Object is being written (issue #3).
import { DurableObject } from "cloudflare:workers";

export class RateLimiter extends DurableObject<Env> {}
