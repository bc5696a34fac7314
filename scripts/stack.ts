// Brings up the whole thing locally: widget build, migrated local D1, the sandbox Worker behind its
// ingress proxy and the API Worker (two `wrangler dev` processes, talking over HTTP as in
// production), and the `demo` location registered. Used by `npm start`, the browser tests and the
// benches.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { WebSocket } from "ws";
import { ensureDevSecrets } from "./dev-vars";
import { freePort, startSandboxIngress } from "./lib/sandbox-ingress";
import { SANDBOX_WEBHOOK_KEYS } from "../sandbox/webhook-keys";

export type Stack = {
  apiUrl: string;
  sandboxUrl: string;
  adminKey: string;
  /** The GoHighLevel SSO shared secret the API Worker decrypts with (from .dev.vars). */
  ghlSsoKey: string;
  token(locationId: string, ttlSeconds?: number): Promise<string>;
  stop(): Promise<void>;
};

export type StackOptions = {
  port?: number;
  sandboxPort?: number;
  /** Local state folder (D1, queues, DOs); tests use their own so `npm start` data is untouched. */
  persistTo?: string;
  /** Sandbox seed, `id:count` list. */
  seed?: string;
  build?: boolean;
  log?: (line: string) => void;
  /** Extra `--var NAME:VALUE` for the API Worker. */
  vars?: Record<string, string>;
  /** Benches: no DevTools network recording in the API Worker (see stopNetworkRecording). */
  noNetworkRecording?: boolean;
  /** The sandbox sends signed GoHighLevel webhooks to the Worker on every mutation (`npm start`). */
  webhooks?: boolean;
};

const WRANGLER = "node_modules/.bin/wrangler";

/** Fails early and clearly when a port is taken (another `npm start`, say). */
async function assertPortFree(port: number, envName: string): Promise<void> {
  const { createServer } = await import("node:net");
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
      .once("error", () => reject(new Error(`Port ${port} is in use: stop what runs there or set ${envName}.`)))
      .once("listening", () => probe.close(() => resolve()))
      .listen(port, "127.0.0.1");
  });
}

async function waitFor(url: string, child: ChildProcess, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

function startWrangler(args: string[], name: string, log: (line: string) => void): ChildProcess {
  const child = spawn(WRANGLER, ["dev", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    detached: true,
  });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) log(`[${name}] ${line}`);
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000).unref();
  });
}

async function admin(apiUrl: string, key: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * `wrangler dev` records every fetch the Worker makes for its DevTools network panel (its
 * inspector proxy sends `Network.enable` to the Worker's runtime, DevTools open or not). That work
 * runs on the Worker's own thread for each upstream request and response, which production
 * does not do: at the upstream's rate limit it made callers wake late for their slots (bench:sync,
 * docs/benchmarks.md). This sends `Network.disable` through the same inspector, as DevTools
 * would, and waits for the runtime's answer. It lasts until wrangler reconnects to the runtime (a
 * reload), which benches do not do.
 */
async function stopNetworkRecording(inspectorPort: number): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/`, { headers: { origin: "http://localhost" } });
  try {
    await new Promise<void>((resolve, reject) => {
      const id = 1;
      const timer = setTimeout(() => reject(new Error("the Worker's inspector did not answer Network.disable within 10 s")), 10_000);
      socket.once("error", reject);
      socket.once("open", () => socket.send(JSON.stringify({ id, method: "Network.disable" })));
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (message.id !== id) return; // buffered runtime events drained to us
        clearTimeout(timer);
        if (message.error) reject(new Error(`Network.disable: ${message.error.message}`));
        else resolve();
      });
    });
  } finally {
    socket.close();
  }
}

/** Registers (or re-points) the demo location at the sandbox with the sandbox's token for it. */
async function registerDemo(apiUrl: string, key: string): Promise<void> {
  const fields = { provider: "ghl", account_id: "demo", name: "Demo (sandbox)", credentials: { access_token: "sbx-demo" } };
  const created = await admin(apiUrl, key, "POST", "/api/admin/locations", { id: "demo", ...fields });
  if (created.status === 201) return;
  if (created.status !== 409) throw new Error(`registering demo: ${created.status} ${await created.text()}`);
  const { provider: _p, ...patch } = fields;
  const patched = await admin(apiUrl, key, "PATCH", "/api/admin/locations/demo", patch);
  if (!patched.ok) throw new Error(`updating demo: ${patched.status} ${await patched.text()}`);
}

/**
 * Registers (or re-points) `amodemo`: the sandbox's seeded AmoCRM account (25,000 contacts, 2,000
 * companies) with its long-lived token and the 50-company filter the simulator seeds.
 */
async function registerAmoDemo(apiUrl: string, key: string, sandboxUrl: string): Promise<void> {
  const account = await fetch(`${sandboxUrl}/__sandbox/amocrm/accounts/amodemo`);
  if (!account.ok) throw new Error(`reading the amodemo sandbox account: ${account.status} ${await account.text()}`);
  const { long_lived_token, filter } = (await account.json()) as { long_lived_token: string; filter: Record<string, unknown> };
  const fields = {
    provider: "amocrm",
    account_id: "amodemo",
    name: "AmoCRM demo (sandbox)",
    base_url: sandboxUrl,
    credentials: { access_token: long_lived_token, long_lived: true },
    settings: { company_filter: filter },
  };
  const created = await admin(apiUrl, key, "POST", "/api/admin/locations", { id: "amodemo", ...fields });
  if (created.status === 201) return;
  if (created.status !== 409) throw new Error(`registering amodemo: ${created.status} ${await created.text()}`);
  const { provider: _p, ...patch } = fields;
  const patched = await admin(apiUrl, key, "PATCH", "/api/admin/locations/amodemo", patch);
  if (!patched.ok) throw new Error(`updating amodemo: ${patched.status} ${await patched.text()}`);
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const port = opts.port ?? 8787;
  const sandboxPort = opts.sandboxPort ?? 8789;
  const persistTo = opts.persistTo ?? ".wrangler/state";
  const log = opts.log ?? (() => {});
  const secrets = ensureDevSecrets();
  await assertPortFree(port, "PORT");
  await assertPortFree(sandboxPort, "SANDBOX_PORT");

  if (opts.build !== false) execFileSync("node_modules/.bin/vite", ["build", "--config", "web/vite.config.ts"], { stdio: "ignore" });
  execFileSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    stdio: "ignore",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });

  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const apiUrl = `http://127.0.0.1:${port}`;
  // Callers reach the sandbox through its ingress, which stamps arrival times (sandbox/arrival.ts).
  const sandboxWorkerPort = await freePort();
  const ingress = await startSandboxIngress(sandboxPort, sandboxWorkerPort);
  const sandboxArgs = ["-c", "sandbox/wrangler.toml", "--ip", "127.0.0.1", "--port", String(sandboxWorkerPort), "--inspector-port", String(sandboxPort + 1000), "--persist-to", persistTo];
  if (opts.seed) sandboxArgs.push("--var", `SANDBOX_SEED_LOCATIONS:${opts.seed}`);
  const sandbox = startWrangler(sandboxArgs, "sandbox", log);
  // Upstreams and DNS-over-HTTPS both come from the sandbox: nothing leaves the machine.
  // DEV_MODE: the sandbox is plain http on loopback, which production refuses (providers/hosts.ts).
  // The sandbox's own Marketplace app (sandbox/ghl/oauth-state.ts): its install page is the
  // sandbox's /oauth/chooselocation, so the install link works locally end to end.
  // The Worker accepts webhooks signed with the sandbox's key pairs (PEM newlines as \n: one argument).
  const vars = {
    DEV_MODE: "1",
    GHL_BASE_URL: sandboxUrl,
    DOH_URL: `${sandboxUrl}/dns-query`,
    GHL_CLIENT_ID: "sbx-ghl-client",
    GHL_CLIENT_SECRET: "sbx-ghl-secret",
    GHL_MARKETPLACE_URL: sandboxUrl,
    GHL_WEBHOOK_PUBLIC_KEY: SANDBOX_WEBHOOK_KEYS.rsaPublicPem.trim().replace(/\n/g, "\\n"),
    GHL_WEBHOOK_ED25519_PUBLIC_KEY: SANDBOX_WEBHOOK_KEYS.ed25519PublicPem.trim().replace(/\n/g, "\\n"),
    ...opts.vars,
  };
  const worker = startWrangler(
    [
      "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(port + 1000), "--persist-to", persistTo,
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    "api",
    log,
  );
  const stop = async () => {
    await Promise.all([kill(worker), kill(sandbox), ingress.close()]);
  };
  try {
    await Promise.all([
      waitFor(`${sandboxUrl}/__sandbox/health`, sandbox, "sandbox"),
      waitFor(`${apiUrl}/api/health`, worker, "api"),
    ]);
    if (opts.noNetworkRecording) await stopNetworkRecording(port + 1000);
    await registerDemo(apiUrl, secrets.ADMIN_API_KEY);
    await registerAmoDemo(apiUrl, secrets.ADMIN_API_KEY, sandboxUrl);
    if (opts.webhooks) {
      const res = await fetch(`${sandboxUrl}/__sandbox/webhooks`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: `${apiUrl}/api/webhooks/ghl` }),
      });
      if (!res.ok) throw new Error(`sandbox webhooks: ${res.status} ${await res.text()}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    apiUrl,
    sandboxUrl,
    adminKey: secrets.ADMIN_API_KEY,
    ghlSsoKey: secrets.GHL_SSO_KEY,
    async token(locationId, ttlSeconds) {
      const res = await admin(apiUrl, secrets.ADMIN_API_KEY, "POST", "/api/admin/tokens", {
        locations: [locationId],
        subject: "local-dev",
        ...(ttlSeconds ? { ttl_seconds: ttlSeconds } : {}),
      });
      if (res.status !== 201) throw new Error(`minting a token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    stop,
  };
}
