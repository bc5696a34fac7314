// `npm run token -- --location <id> [--location <id2>] [--ttl <seconds>]`: a dev token signed with
// the AUTH_SECRET of .dev.vars (the secret `wrangler dev` uses).
import { parseArgs } from "node:util";
import { mintToken } from "../worker/auth/tokens";
import { ensureDevSecrets } from "./dev-vars";

const { values } = parseArgs({
  options: {
    location: { type: "string", multiple: true },
    ttl: { type: "string", default: "3600" },
    subject: { type: "string", default: "cli" },
  },
});
const locations = values.location ?? [];
const ttl = Number(values.ttl);
if (locations.length === 0 || !Number.isInteger(ttl) || ttl < 60) {
  console.error("usage: npm run token -- --location <id> [--location <id>] [--ttl <seconds ≥ 60>]");
  process.exit(2);
}
const { AUTH_SECRET } = ensureDevSecrets();
console.log(await mintToken(AUTH_SECRET, { subject: values.subject, locations, ttlSeconds: ttl }));
