// What `npm run setup:cloudflare` provisions, read from wrangler.toml and .dev.vars.example, and
// how it reads wrangler's answers. Pure functions: the script (scripts/setup-cloudflare.ts) runs
// wrangler, the tests feed these functions wrangler 4.86's output formats.
import { stripVTControlCharacters } from "node:util";
import { parse } from "smol-toml";

type Resources = {
  /** D1 databases by name, with the id wrangler.toml holds now. */
  databases: { binding: string; name: string; id: string | undefined }[];
  /** Every queue a producer, consumer or dead-letter setting names, once, in file order. */
  queues: string[];
  buckets: string[];
};

type RawConfig = {
  d1_databases?: { binding: string; database_name: string; database_id?: string }[];
  queues?: { producers?: { queue: string }[]; consumers?: { queue: string; dead_letter_queue?: string }[] };
  r2_buckets?: { bucket_name: string }[];
};

/** The id wrangler.toml carries until setup writes a real one (local dev and tests need none). */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-4000-8000-000000000000";

export function readResources(toml: string): Resources {
  const config = parse(toml) as RawConfig;
  const queues = new Set<string>();
  for (const p of config.queues?.producers ?? []) queues.add(p.queue);
  for (const c of config.queues?.consumers ?? []) {
    queues.add(c.queue);
    if (c.dead_letter_queue) queues.add(c.dead_letter_queue);
  }
  return {
    databases: (config.d1_databases ?? []).map((d) => ({ binding: d.binding, name: d.database_name, id: d.database_id })),
    queues: [...queues],
    buckets: [...new Set((config.r2_buckets ?? []).map((b) => b.bucket_name))],
  };
}

/**
 * Secret names, from .dev.vars.example (the same file `wrangler types` reads them from). The
 * `_PREVIOUS` ones belong to a key rotation (docs/security.md), not to a first setup.
 */
export function readSecretNames(devVarsExample: string): string[] {
  return devVarsExample
    .split("\n")
    .map((line) => /^\s*([A-Z][A-Z0-9_]*)\s*=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && !name.endsWith("_PREVIOUS"));
}

/**
 * `wrangler d1 list --json`: an array of `{uuid, name, …}`, maybe after warning lines (which
 * carry brackets too, "▲ [WARNING] …"): the first line-start `[` that parses to the end wins.
 */
export function parseD1List(stdout: string): { uuid: string; name: string }[] {
  const text = stripVTControlCharacters(stdout);
  const end = text.lastIndexOf("]");
  let list: unknown;
  for (const start of [...text.matchAll(/^\[/gm)].map((m) => m.index)) {
    try {
      list = JSON.parse(text.slice(start, end + 1));
      break;
    } catch {
      // not the array: a warning line that starts with a bracket
    }
  }
  if (!Array.isArray(list)) throw new Error(`wrangler d1 list --json printed no JSON array:\n${stdout}`);
  return list.map((d: { uuid?: unknown; name?: unknown }) => {
    if (typeof d.uuid !== "string" || typeof d.name !== "string") throw new Error(`wrangler d1 list --json: unexpected entry ${JSON.stringify(d)}`);
    return { uuid: d.uuid, name: d.name };
  });
}

/**
 * `wrangler queues info <name>`: "Queue ID: …" when it exists; exit 1 with `Queue "<name>" does
 * not exist.` when not. Anything else (not logged in, no network) is an error, not an absence.
 */
export function queueState(name: string, output: string, exitCode: number): "exists" | "missing" {
  const text = stripVTControlCharacters(output);
  if (exitCode === 0 && /^Queue ID:\s*\S+/m.test(text)) return "exists";
  if (text.includes(`Queue "${name}" does not exist`)) return "missing";
  throw new Error(`wrangler queues info ${name} (exit ${exitCode}) said neither that the queue exists nor that it does not:\n${output}`);
}

/** `wrangler r2 bucket list`: blocks of `name: <bucket>` / `creation_date: …`. */
export function parseBucketList(stdout: string): string[] {
  return [...stripVTControlCharacters(stdout).matchAll(/^name:\s+(\S+)\s*$/gm)].map((m) => m[1] ?? "");
}

/**
 * wrangler.toml with `database_id` of the `[[d1_databases]]` block named `name` set to `id`.
 * A text edit, so comments and layout stay as they are (a TOML round trip would drop comments).
 */
export function withDatabaseId(toml: string, name: string, id: string): string {
  const blocks = toml.split(/(?=^\[\[?[^\]]+\]\]?\s*$)/m);
  let found = false;
  const out = blocks.map((block) => {
    if (!/^\[\[d1_databases\]\]/.test(block)) return block;
    const named = new RegExp(`^database_name\\s*=\\s*"${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*$`, "m");
    if (!named.test(block)) return block;
    found = true;
    if (/^database_id\s*=/m.test(block)) return block.replace(/^database_id\s*=.*$/m, `database_id = "${id}"`);
    return block.replace(named, (line) => `${line}\ndatabase_id = "${id}"`);
  });
  if (!found) throw new Error(`wrangler.toml has no [[d1_databases]] block with database_name = "${name}"`);
  return out.join("");
}
