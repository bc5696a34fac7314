// `npm start`: the whole thing on this machine, then a widget URL with a dev token.
import { startStack } from "./stack";

const verbose = process.argv.includes("--verbose");
console.log("Building the widget, migrating local D1, starting the sandbox and the Worker…");
const stack = await startStack({
  port: Number(process.env.PORT ?? 8787),
  sandboxPort: Number(process.env.SANDBOX_PORT ?? 8789),
  webhooks: true,
  log: (line) => {
    // wrangler cannot fetch the Request.cf object offline: harmless, so not worth a line.
    if (verbose || (/error|✘/i.test(line) && !/workers\.cloudflare\.com|Request\.cf/.test(line))) console.log(line);
  },
});
const token = await stack.token("demo", 24 * 3600);

// The first call finds the cache empty and starts the background sync.
const first = await fetch(`${stack.apiUrl}/api/get-location-contacts-fast?limit=1`, { headers: { authorization: `Bearer ${token}` } });
const body = (await first.json()) as { sync_status?: string; total?: number };

console.log(`
CRM Edge is running.
  Widget:   ${stack.apiUrl}/#token=${token}
  API:      ${stack.apiUrl}/api/get-location-contacts-fast   (Authorization: Bearer <token above>)
  Sandbox:  ${stack.sandboxUrl}/__sandbox/stats?account=demo   (GHL simulator, 25,000 contacts)
  Install:  ${stack.apiUrl}/api/oauth/ghl/install   (the sandbox's Marketplace app: connects its seeded agency, demo, over OAuth)
  Cache:    ${body.total ?? 0} contacts, sync_status=${body.sync_status ?? "?"}
Admin key and secrets are in .dev.vars. Ctrl+C stops everything.`);

const shutdown = async () => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
