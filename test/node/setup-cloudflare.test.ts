// `npm run setup:cloudflare`: the dry run (offline, as a developer runs it) names every resource
// wrangler.toml binds and every secret README's configuration table lists, and changes nothing; a
// real run against a stand-in wrangler that answers in wrangler 4.86's formats creates what is
// missing, writes the D1 id into wrangler.toml, and on a second run reuses everything.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_DATABASE_ID, readResources, withDatabaseId } from "../../scripts/lib/cloudflare-resources";
import { setup } from "../../scripts/setup-cloudflare";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TOML = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
const DEV_VARS_EXAMPLE = readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8");

// Read here with plain patterns, not with the script's own reader.
const queueNames = [...new Set([...TOML.matchAll(/^(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => m[1]))];
const bucketNames = [...TOML.matchAll(/^bucket_name\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
const databaseNames = [...TOML.matchAll(/^database_name\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
const readmeSecrets = [...readFileSync(path.join(ROOT, "README.md"), "utf8").matchAll(/^\| `([A-Z0-9_]+)` \| secret \|/gm)].map((m) => m[1]);

describe("setup:cloudflare --dry-run", () => {
  it("prints the wrangler command for every database, queue, dead-letter queue, bucket and secret, offline, changing nothing", () => {
    expect(queueNames.length).toBeGreaterThanOrEqual(4);
    expect(readmeSecrets).toEqual(expect.arrayContaining(["AUTH_SECRET", "ADMIN_API_KEY", "CREDENTIALS_KEY"]));
    // As a developer runs it, with no Cloudflare credentials and an empty home directory.
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/setup-cloudflare.ts", "--dry-run"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: "/nonexistent", WRANGLER_SEND_METRICS: "false" },
    });
    for (const name of databaseNames) expect(out).toContain(`wrangler d1 create ${name}`);
    expect(out).toContain(`database_id = "${PLACEHOLDER_DATABASE_ID}"`);
    for (const name of queueNames) expect(out).toContain(`wrangler queues create ${name}`);
    for (const name of bucketNames) expect(out).toContain(`wrangler r2 bucket create ${name}`);
    for (const name of readmeSecrets) expect(out).toContain(`wrangler secret put ${name}`);
    expect(readFileSync(path.join(ROOT, "wrangler.toml"), "utf8")).toBe(TOML);
  });

  it("never calls wrangler", () => {
    const saved: string[] = [];
    setup({
      dryRun: true,
      toml: TOML,
      devVarsExample: DEV_VARS_EXAMPLE,
      saveToml: (t) => saved.push(t),
      wrangler: (args) => {
        throw new Error(`dry run ran wrangler ${args.join(" ")}`);
      },
      log: () => {},
    });
    expect(saved).toEqual([]);
  });
});

/** A stand-in for wrangler 4.86 on an account: its output formats, copied from its source. */
function fakeAccount(initial: { databases?: Record<string, string>; queues?: string[]; buckets?: string[] } = {}) {
  const databases = new Map(Object.entries(initial.databases ?? {}));
  const queues = new Set(initial.queues ?? []);
  const buckets = new Set(initial.buckets ?? []);
  const calls: string[] = [];
  const wrangler = (args: string[]) => {
    const cmd = args.join(" ");
    calls.push(cmd);
    const [group, verb, name] = args[0] === "r2" ? [`r2 ${args[1]}`, args[2], args[3]] : [args[0], args[1], args[2]];
    if (cmd === "d1 list --json") {
      const list = [...databases].map(([n, uuid]) => ({ uuid, name: n, created_at: "2026-01-01T00:00:00.000Z", version: "production", num_tables: 0 }));
      return { stdout: `▲ [WARNING] A newer version of wrangler is available.\n[WARNING] a bracketed line\n${JSON.stringify(list, null, 2)}\n`, exitCode: 0 };
    }
    if (group === "d1" && verb === "create" && name) {
      databases.set(name, `${"a".repeat(8)}-0000-4000-8000-${String(databases.size).padStart(12, "0")}`);
      return { stdout: `✅ Successfully created DB '${name}'\n`, exitCode: 0 };
    }
    if (group === "queues" && verb === "info" && name) {
      return queues.has(name)
        ? { stdout: `Queue Name: ${name}\nQueue ID: q-${name}\nCreated On: 2026-01-01\n`, exitCode: 0 }
        : { stdout: `✘ [ERROR] Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}\n`, exitCode: 1 };
    }
    if (group === "queues" && verb === "create" && name) {
      queues.add(name);
      return { stdout: `Creating queue '${name}'\nCreated queue '${name}'\n`, exitCode: 0 };
    }
    if (cmd === "r2 bucket list") {
      return { stdout: `Listing buckets...\n${[...buckets].map((b) => `name:           ${b}\ncreation_date:  2026-01-01T00:00:00.000Z`).join("\n\n")}\n`, exitCode: 0 };
    }
    if (group === "r2 bucket" && verb === "create" && name) {
      buckets.add(name);
      return { stdout: `Creating bucket '${name}'...\n✅ Created bucket '${name}'\n`, exitCode: 0 };
    }
    throw new Error(`unexpected wrangler ${cmd}`);
  };
  return { wrangler, calls, databases, queues, buckets };
}

function realRun(account: ReturnType<typeof fakeAccount>, toml = TOML): string {
  let current = toml;
  setup({ dryRun: false, toml, devVarsExample: DEV_VARS_EXAMPLE, saveToml: (t) => (current = t), wrangler: account.wrangler, log: () => {} });
  return current;
}

describe("setup:cloudflare against an account", () => {
  it("creates what is missing and writes the database id; a second run reuses everything and changes nothing", () => {
    const account = fakeAccount({ queues: [queueNames[0]!] });
    const written = realRun(account);
    expect([...account.queues].sort()).toEqual([...queueNames].sort());
    expect([...account.buckets]).toEqual(bucketNames);
    const id = account.databases.get(databaseNames[0]!);
    expect(id).toMatch(/^a{8}-/);
    expect((parse(written) as { d1_databases: { database_id: string }[] }).d1_databases[0]?.database_id).toBe(id);
    // Only that line changed: comments and layout stay.
    expect(written.split("\n").filter((line, i) => line !== TOML.split("\n")[i])).toEqual([`database_id = "${id}"`]);
    expect(account.calls.filter((c) => c.includes(" create ")).length).toBe(1 + queueNames.length - 1 + bucketNames.length);

    account.calls.length = 0;
    expect(realRun(account, written)).toBe(written);
    expect(account.calls.filter((c) => c.includes("create"))).toEqual([]);
  });

  it("stops on an answer that says neither 'exists' nor 'does not exist' (not logged in, say)", () => {
    const account = fakeAccount();
    const wrangler = (args: string[]) =>
      args[0] === "queues" ? { stdout: "✘ [ERROR] You are not authenticated. Please run `wrangler login`.\n", exitCode: 1 } : account.wrangler(args);
    expect(() => setup({ dryRun: false, toml: TOML, devVarsExample: DEV_VARS_EXAMPLE, saveToml: () => {}, wrangler, log: () => {} })).toThrow(
      /said neither that the queue exists nor that it does not/,
    );
    expect(account.queues.size).toBe(0);
  });

  it("a dead-letter queue named only by its consumer's setting is created too", () => {
    const toml = '[[queues.consumers]]\nqueue = "work"\ndead_letter_queue = "work-dlq"\n';
    expect(readResources(toml).queues).toEqual(["work", "work-dlq"]);
  });

  it("withDatabaseId refuses a database wrangler.toml does not bind", () => {
    expect(() => withDatabaseId(TOML, "no-such-db", "x")).toThrow(/no \[\[d1_databases\]\] block/);
  });
});
