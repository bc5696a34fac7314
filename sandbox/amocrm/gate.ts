// The front door of every AmoCRM call once its account is known, in the order the real edge
// applies it: URL length (414) -> block (403) -> rate limit (429, may start a block) ->
// injected 502 -> the route (which checks the token). Every arrival is counted in the stats.
import type { AmoAccount } from "./accounts";
import { amoErrors } from "./envelope";

export const MAX_URL_LENGTH = 8192;

/** `<sub>.amocrm.ru` / `.amocrm.com` / `.kommo.com` -> `<sub>`; any other host -> undefined. */
export function hostSubdomain(hostname: string): string | undefined {
  return /^([a-z0-9-]+)\.(?:amocrm\.ru|amocrm\.com|kommo\.com)$/i.exec(hostname)?.[1]?.toLowerCase();
}

export function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1];
}

export const tooLong = (url: string): boolean => url.length > MAX_URL_LENGTH;

export async function amoGate(
  account: AmoAccount, req: Request, now: number, route: () => Response | Promise<Response>,
): Promise<Response> {
  account.stats.arrive(now, `${req.method} ${new URL(req.url).pathname}`);
  const res = await decide();
  account.stats.finish(res.status);
  return res;

  async function decide(): Promise<Response> {
    if (tooLong(req.url)) return amoErrors.plain(414, "Request-URI Too Large");
    const admission = account.throttle.admit(now);
    if (admission === "blocked") return amoErrors.forbidden();
    if (admission === "limited-now-blocked") account.stats.gotBlocked();
    if (admission !== "ok") return amoErrors.plain(429, "Too Many Requests");
    if (account.faults.error5xx > 0) {
      account.faults.error5xx--;
      return new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 502, headers: { "content-type": "text/html" } });
    }
    if (account.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, account.faults.latencyMs));
    return route();
  }
}
