// createSandboxApp: the whole simulator as a plain fetch function, with no Durable Object needed,
// so tests can drive it directly. The Worker wraps exactly this inside SandboxState.
import { Hono } from "hono";
import { handleAmo, isAmoPath } from "./amocrm/app";
import { parseAmoSeeds } from "./amocrm/accounts";
import { control } from "./control";
import { handleGhl } from "./ghl/app";
import { handleGhlOAuth, isGhlOAuthPath } from "./ghl/oauth";
import { DEFAULT_RATE, Sandbox, parseSeedLocations, type SandboxOptions } from "./sandbox";

export interface SandboxApp {
  sandbox: Sandbox;
  fetch(req: Request): Promise<Response>;
}

export function createSandboxApp(options: SandboxOptions): SandboxApp {
  const sandbox = new Sandbox(options);
  const controlApp = new Hono<{ Bindings: { sandbox: Sandbox } }>()
    .route("/__sandbox", control)
    .notFound((c) => c.json({ error: "unknown control route" }, 404));
  return {
    sandbox,
    async fetch(req) {
      const { pathname } = new URL(req.url);
      if (pathname === "/__sandbox" || pathname.startsWith("/__sandbox/")) return controlApp.fetch(req, { sandbox });
      if (isAmoPath(pathname)) return handleAmo(sandbox.amo, req);
      if (isGhlOAuthPath(pathname) || pathname === "/v2/oauth/chooselocation") return handleGhlOAuth(sandbox, req);
      return handleGhl(sandbox, req);
    },
  };
}

/** The Worker's vars, all optional: the test harness may load the sandbox with none of them set. */
export interface SandboxVars {
  SANDBOX_SEED_LOCATIONS?: string;
  SANDBOX_RATE_MAX?: string;
  SANDBOX_RATE_INTERVAL_MS?: string;
  SANDBOX_DAILY_LIMIT?: string;
  /** AmoCRM accounts: comma list `subdomain:contacts:companies[:seed]` (default `amodemo:25000:2000`). */
  SANDBOX_AMO_ACCOUNTS?: string;
}

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

export function optionsFromVars(vars: SandboxVars): SandboxOptions {
  return {
    seedLocations: parseSeedLocations(vars.SANDBOX_SEED_LOCATIONS),
    rate: {
      max: positiveInt(vars.SANDBOX_RATE_MAX, DEFAULT_RATE.max),
      intervalMs: positiveInt(vars.SANDBOX_RATE_INTERVAL_MS, DEFAULT_RATE.intervalMs),
      daily: positiveInt(vars.SANDBOX_DAILY_LIMIT, DEFAULT_RATE.daily),
      retryAfter: false,
    },
    amoAccounts: parseAmoSeeds(vars.SANDBOX_AMO_ACCOUNTS),
  };
}
