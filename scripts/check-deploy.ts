// `npm run check:deploy` (CI runs it too): what `npm run deploy` needs, checked offline.
//   1. The Worker bundles: `wrangler deploy --dry-run --outdir <tmp>`, and its gzip size stays
//      within BUNDLE_BUDGET_KIB (Cloudflare's own limit is 3 MB on Free, 10 MB on Paid).
//   2. The migrations are consistent: `drizzle-kit check`.
//   3. The migrations match the schema: `drizzle-kit generate` into a copy of drizzle/ adds nothing
//      (a schema change without its migration fails here).
// No Cloudflare account or network is needed. Builds the widget first when web/dist is missing,
// as the dry run reads the assets directory.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "node_modules/.bin");
/** 339 KiB measured (Dec 2026), 392 KiB with the OpenAPI document (hono-openapi, zod's JSON Schema); budget 450. */
const BUNDLE_BUDGET_KIB = 450;

function run(cmd: string, args: string[], what: string): string {
  const res = spawnSync(path.join(BIN, cmd), args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  const out = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  if (res.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(" ")}, exit ${res.status ?? res.signal}):\n${out}`);
  return out;
}

/** Gzip size of the modules wrangler would upload (source maps and its README left out). */
function bundleGzipBytes(outdir: string): number {
  return readdirSync(outdir)
    .filter((f) => /\.(m?js|wasm)$/.test(f))
    .reduce((sum, f) => sum + gzipSync(readFileSync(path.join(outdir, f))).length, 0);
}

function checkBundle(): void {
  if (!existsSync(path.join(ROOT, "web/dist/index.html"))) run("vite", ["build", "--config", "web/vite.config.ts"], "widget build");
  const outdir = mkdtempSync(path.join(tmpdir(), "crm-edge-bundle-"));
  try {
    run("wrangler", ["deploy", "--dry-run", "--outdir", outdir], "wrangler deploy --dry-run");
    const kib = bundleGzipBytes(outdir) / 1024;
    const line = `Worker bundle: ${kib.toFixed(1)} KiB gzipped (budget ${BUNDLE_BUDGET_KIB} KiB)`;
    if (kib > BUNDLE_BUDGET_KIB) throw new Error(`${line}: over budget. Find what grew (esbuild --metafile) before raising it.`);
    console.log(`ok  ${line}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Files of a folder (recursively) with their contents, to compare before and after. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), readFileSync(full, "utf8"));
  }
  return files;
}

function checkMigrations(schema = "./shared/db"): void {
  run("drizzle-kit", ["check"], "drizzle-kit check");
  console.log("ok  drizzle-kit check: the migrations are consistent");
  const copy = mkdtempSync(path.join(tmpdir(), "crm-edge-drizzle-"));
  try {
    cpSync(path.join(ROOT, "drizzle"), copy, { recursive: true });
    const before = snapshot(copy);
    // drizzle-kit prefixes `out` with "./": give it a path relative to the repository.
    run("drizzle-kit", ["generate", "--dialect", "sqlite", "--schema", schema, "--out", path.relative(ROOT, copy)], "drizzle-kit generate");
    const after = snapshot(copy);
    const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
    if (changed.length) {
      throw new Error(`The schema has changes without a migration (drizzle-kit generate would write ${changed.join(", ")}): run npm run db:generate.`);
    }
    console.log("ok  drizzle-kit generate: no schema change without its migration");
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("check-deploy.ts")) {
  try {
    checkMigrations();
    checkBundle();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
