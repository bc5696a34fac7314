// `npm run setup:cloudflare [-- --dry-run]`: creates on the logged-in Cloudflare account what
// wrangler.toml binds (the D1 database, every queue and dead-letter queue, the R2 bucket), reusing
// any that exist, writes the D1 database's id into wrangler.toml, and prints the
// `wrangler secret put` lines for every secret in .dev.vars.example. `--dry-run` prints the same
// plan and runs nothing (offline, no account needed).
//
// wrangler 4.86 commands used (flags checked with `npx wrangler <cmd> --help`):
//   d1 list --json, d1 create <name>, queues info <name>, queues create <name>,
//   r2 bucket list, r2 bucket create <name>.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  PLACEHOLDER_DATABASE_ID,
  parseBucketList,
  parseD1List,
  queueState,
  readResources,
  readSecretNames,
  withDatabaseId,
} from "./lib/cloudflare-resources";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONFIG = path.join(ROOT, "wrangler.toml");
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");

/** How to make each secret's value; the README's configuration table says what each one is. */
const random = (encoding: "base64" | "base64url") =>
  `node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('${encoding}'))"`;
const SECRET_SOURCES: Record<string, { command: string; note: string }> = {
  AUTH_SECRET: { command: `${random("base64url")} | npx wrangler secret put AUTH_SECRET`, note: "signs the API's bearer tokens (rotation: docs/security.md)" },
  ADMIN_API_KEY: {
    command: "npx wrangler secret put ADMIN_API_KEY",
    note: `paste a key you keep (it authorizes /api/admin/*), e.g. from ${random("base64url")}`,
  },
  CREDENTIALS_KEY: {
    command: `${random("base64")} | npx wrangler secret put CREDENTIALS_KEY`,
    note: "seals upstream credentials: rotate it with CREDENTIALS_KEY_PREVIOUS and npm run rotate-credentials-key (docs/security.md)",
  },
  GHL_SSO_KEY: { command: "npx wrangler secret put GHL_SSO_KEY", note: "optional: paste the GoHighLevel app's Shared Secret (SSO is off without it)" },
};

function secretLines(names: string[]): string[] {
  return names.map((name) => {
    const source = SECRET_SOURCES[name] ?? { command: `npx wrangler secret put ${name}`, note: "see README, Configuration" };
    return `${source.command}   # ${source.note}`;
  });
}

type Wrangler = (args: string[]) => { stdout: string; exitCode: number };

const runWrangler: Wrangler = (args) => {
  console.log(`$ wrangler ${args.join(" ")}`);
  const res = spawnSync(WRANGLER, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  if (res.error) throw res.error;
  return { stdout: `${res.stdout}${res.stderr}`, exitCode: res.status ?? 1 };
};

function must(args: string[], wrangler: Wrangler): string {
  const { stdout, exitCode } = wrangler(args);
  if (exitCode !== 0) throw new Error(`wrangler ${args.join(" ")} failed (exit ${exitCode}):\n${stdout}`);
  return stdout;
}

type SetupOptions = {
  dryRun: boolean;
  toml: string;
  devVarsExample: string;
  /** Called with wrangler.toml's new text as soon as an id changes (not in a dry run). */
  saveToml: (text: string) => void;
  wrangler?: Wrangler;
  log?: (line: string) => void;
};

/** Prints (dry run) or performs each step. */
export function setup(opts: SetupOptions): void {
  const log = opts.log ?? console.log;
  const wrangler = opts.wrangler ?? runWrangler;
  const resources = readResources(opts.toml);
  let toml = opts.toml;

  if (opts.dryRun) {
    log("Dry run: nothing is created or written. The steps, in order:");
    for (const db of resources.databases) {
      log(`  wrangler d1 list --json              → reuse the D1 database "${db.name}" if listed, else: wrangler d1 create ${db.name}`);
      log(`  wrangler.toml [[d1_databases]] ${db.binding}: database_id = "${db.id ?? ""}" → the id wrangler reports for "${db.name}"`);
    }
    for (const queue of resources.queues) {
      log(`  wrangler queues info ${queue}   → reuse if it exists, else: wrangler queues create ${queue}`);
    }
    if (resources.buckets.length) log("  wrangler r2 bucket list              → reuse the buckets listed, create the others:");
    for (const bucket of resources.buckets) log(`  wrangler r2 bucket create ${bucket}   (only if not listed)`);
  } else {
    for (const db of resources.databases) {
      let found = parseD1List(must(["d1", "list", "--json"], wrangler)).find((d) => d.name === db.name);
      if (found) log(`D1 database "${db.name}" exists (${found.uuid}): reused.`);
      else {
        must(["d1", "create", db.name], wrangler);
        found = parseD1List(must(["d1", "list", "--json"], wrangler)).find((d) => d.name === db.name);
        if (!found) throw new Error(`wrangler d1 create ${db.name} succeeded but d1 list does not show it`);
        log(`D1 database "${db.name}" created (${found.uuid}).`);
      }
      if (db.id === found.uuid) log(`wrangler.toml already has database_id = "${found.uuid}".`);
      else {
        toml = withDatabaseId(toml, db.name, found.uuid);
        opts.saveToml(toml);
        log(`wrangler.toml: database_id of "${db.name}" ${db.id === PLACEHOLDER_DATABASE_ID ? "(placeholder)" : db.id} → ${found.uuid}`);
      }
    }
    for (const queue of resources.queues) {
      const { stdout, exitCode } = wrangler(["queues", "info", queue]);
      if (queueState(queue, stdout, exitCode) === "exists") log(`Queue "${queue}" exists: reused.`);
      else {
        must(["queues", "create", queue], wrangler);
        log(`Queue "${queue}" created.`);
      }
    }
    if (resources.buckets.length) {
      const existing = new Set(parseBucketList(must(["r2", "bucket", "list"], wrangler)));
      for (const bucket of resources.buckets) {
        if (existing.has(bucket)) log(`R2 bucket "${bucket}" exists: reused.`);
        else {
          must(["r2", "bucket", "create", bucket], wrangler);
          log(`R2 bucket "${bucket}" created.`);
        }
      }
    }
  }

  log("");
  log("Then set the Worker's secrets (each line once; re-running one replaces that secret):");
  for (const line of secretLines(readSecretNames(opts.devVarsExample))) log(`  ${line}`);
}

if (process.argv[1]?.endsWith("setup-cloudflare.ts")) {
  try {
    setup({
      dryRun: process.argv.includes("--dry-run"),
      toml: readFileSync(CONFIG, "utf8"),
      devVarsExample: readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8"),
      saveToml: (text) => writeFileSync(CONFIG, text),
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
