/** Requests per second per upstream account (DESIGN: 7/s, GCRA in the RateLimiter DO). The API does not report it. */
export const RPS_LIMIT = 7;
