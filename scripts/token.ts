// `npm run token -- --location <id> [--location <id2>] [--ttl <seconds>] [--scope read …]`: a dev token
// signed with the AUTH_SECRET of .dev.vars (the key `wrangler dev` uses). Scopes default to all.
import { parseArgs } from "node:util";
import { SCOPES, type Scope } from "../shared/schemas/scopes";
import { authKeyRing } from "../worker/auth/keyring";
import { mintToken } from "../worker/auth/tokens";
import { ensureDevSecrets, readDevVars } from "./dev-vars";

const { values } = parseArgs({
  options: {
    location: { type: "string", multiple: true },
    ttl: { type: "string", default: "3600" },
    subject: { type: "string", default: "cli" },
    scope: { type: "string", multiple: true },
  },
});
const locations = values.location ?? [];
const ttl = Number(values.ttl);
const scopes = (values.scope ?? [...SCOPES]) as Scope[];
if (locations.length === 0 || !Number.isInteger(ttl) || ttl < 60 || ttl > 86_400 || scopes.some((s) => !SCOPES.includes(s))) {
  console.error(`usage: npm run token -- --location <id> [--location <id>] [--ttl <60..86400 seconds>] [--scope ${SCOPES.join("|")} …]`);
  process.exit(2);
}
ensureDevSecrets();
const keys = await authKeyRing(readDevVars());
console.log((await mintToken(keys, { subject: values.subject, locations, scopes, ttlSeconds: ttl })).token);
