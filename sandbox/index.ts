// Worker entry of the GHL and AmoCRM simulators. Every request goes to ONE Durable Object instance, so all
// callers (the main Worker, tests, benches, curl) see the same state, limiter and stats.
import { createSandboxApp, optionsFromVars, type SandboxApp, type SandboxVars } from "./app";
import { handleDoh } from "./doh/handler";

export interface Env extends SandboxVars {
  SANDBOX: DurableObjectNamespace;
}

/**
 * State lives in isolate memory, keyed by object id. Keeping it at module level (not on the DO
 * instance) means an idle eviction of the object does not wipe mutations or faults mid-test,
 * while restarting the process still reseeds from scratch, as a simulator should.
 */
const apps = new Map<string, SandboxApp>();

export class SandboxState implements DurableObject {
  private readonly app: SandboxApp;

  constructor(state: DurableObjectState, env: Env) {
    const key = state.id.toString();
    let app = apps.get(key);
    if (!app) {
      app = createSandboxApp(optionsFromVars(env));
      apps.set(key, app);
    }
    this.app = app;
  }

  fetch(request: Request): Promise<Response> {
    return this.app.fetch(request);
  }
}

export default {
  async fetch(request, env) {
    // DNS-over-HTTPS is stateless: answered here, on any host name, without the Durable Object.
    if (new URL(request.url).pathname === "/dns-query") return handleDoh(request);
    const stub = env.SANDBOX.get(env.SANDBOX.idFromName("sandbox"));
    // Buffer the body first: streaming it through the stub fails ("Can't read from request stream
    // after response has been sent") whenever the simulator answers without reading it, e.g. a 401.
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const body = hasBody ? await request.arrayBuffer() : null;
    // manual: a redirect the simulator answers goes back to the caller as it is (the stub would follow it).
    return stub.fetch(new Request(request.url, { method: request.method, headers: request.headers, body, redirect: "manual" }));
  },
} satisfies ExportedHandler<Env>;
