// `npm run import:amocrm -- --location <id> [--dry-run] [--incremental] [--api <url>]`: runs the
// filtered import of an AmoCRM location on a running local stack (`npm start`) and prints its
// metrics block. The filter is the location's settings.company_filter.
import { parseArgs } from "node:util";
import { ensureDevSecrets } from "./dev-vars";
import { metricsBlock, syncAndWait } from "./lib/sync-client";

const { values } = parseArgs({
  options: {
    location: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    incremental: { type: "boolean", default: false },
    api: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 8787}` },
  },
});
if (!values.location) {
  console.error("usage: npm run import:amocrm -- --location <id> [--dry-run] [--incremental] [--api http://127.0.0.1:8787]");
  process.exit(2);
}
const { ADMIN_API_KEY } = ensureDevSecrets();
const minted = await fetch(`${values.api}/api/admin/tokens`, {
  method: "POST",
  headers: { authorization: `Bearer ${ADMIN_API_KEY}`, "content-type": "application/json" },
  body: JSON.stringify({ locations: [values.location], subject: "import-cli" }),
}).catch((err: unknown) => {
  console.error(`No API at ${values.api} (${String(err)}): start the stack with \`npm start\` first.`);
  process.exit(1);
});
if (minted.status !== 201) {
  console.error(`Could not get a token: ${minted.status} ${await minted.text()}`);
  process.exit(1);
}
const { token } = (await minted.json()) as { token: string };
const [run] = await syncAndWait(values.api, token, values.location, {
  mode: "filtered",
  ...(values["dry-run"] ? { dry_run: true } : {}),
  ...(values.incremental ? { incremental: true } : {}),
});
if (!run) throw new Error("the API started no run");
console.log(metricsBlock(run));
process.exit(run.status === "succeeded" ? 0 : 1);
